// The child process behind pds-harness.ts: an in-memory PLC directory (@did-plc/server) and the
// reference Bluesky PDS (@atproto/pds, SQLite and blobs in the parent's temp dir), both on 127.0.0.1.
//
// Plain ESM on purpose: the @atproto packages are ESM-only, and running them here keeps them out of
// Jest's CommonJS module system. It needs Node >= 22 and a better-sqlite3 built for the Node that runs
// it. The @atproto and @did-plc packages resolve from this folder's own node_modules (package.json
// here), which scripts/test-pds.js installs for node_modules/.bin/node; Herald's npm ci does not.
//
// Over the IPC channel it reports {type: 'ready', info} or {type: 'fatal', error}, and answers
// commands {id, cmd, args} with {id, ok, error?}: setAccessTokenTtl, setClockOffset. SIGTERM stops it.

import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const started = performance.now();
const timings = {};
const mark = (name) => (timings[name] = Math.round(performance.now() - started));
const config = JSON.parse(process.env.HERALD_PDS_CONFIG ?? '{}');

// A shifted global Date ages the tokens already handed out: jose's exp checks, the account store's
// expiry columns and new TIDs all ask Date for "now".
const RealDate = Date;
let clockOffsetMs = 0;
class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + clockOffsetMs);
    else super(...args);
  }
  static now() {
    return RealDate.now() + clockOffsetMs;
  }
  // Node's internals still make real Dates (fs.Stats...): instanceof must accept them.
  static [Symbol.hasInstance](value) {
    return value instanceof RealDate;
  }
}
globalThis.Date = ShiftedDate;

// @atproto/pds hard-codes access tokens to '120mins' and has no setting for it, so the lifetime is
// rewritten just before an access token ('at+jwt') is signed: per account first, then for everyone.
let accessTokenTtl = null;
const accessTokenTtlByDid = new Map();

let plcServer;
let pds;
let stopping;

async function main() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    throw new Error(`@atproto/pds needs Node >= 22; this child runs ${process.version} (${process.execPath}). Run the tests through npm or npx, which put Node 24 first on the path.`);
  }
  // Read by the @atproto loggers when their modules load, so set before the imports below.
  process.env.LOG_ENABLED = config.log ? 'true' : 'false';
  process.env.LOG_LEVEL ??= 'info';
  const plc = await import('@did-plc/server');
  const { PDS } = await import('@atproto/pds');
  patchAccessTokenLifetime(await importJoseOfPds());
  mark('imports');

  plcServer = plc.PlcServer.create({ db: plc.Database.mock(), port: 0 });
  bindToLoopback(plcServer.app);
  const plcUrl = `http://localhost:${(await plcServer.start()).address().port}`;
  mark('plc');

  const blobDir = path.join(config.dataDir, 'blobs');
  fs.mkdirSync(blobDir, { recursive: true });
  const jwtSecret = crypto.randomBytes(32).toString('hex');
  const handleDomains = config.handleDomains ?? ['.test'];
  let lastError;
  // The free port can be taken by another process before the PDS binds it: try another.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      pds = await PDS.fromEnv(pdsEnvironment({ port, plcUrl, blobDir, jwtSecret, handleDomains }));
      bindToLoopback(pds.app);
      await pds.start();
      mark('pds');
      const info = { url: `http://localhost:${port}`, plcUrl, serviceDid: pds.ctx.cfg.service.did, handleDomains, jwtSecret, timings };
      process.send({ type: 'ready', info });
      return;
    } catch (error) {
      lastError = error;
      await pds?.destroy().catch(() => undefined);
      pds = undefined;
      if (error?.code !== 'EADDRINUSE') break;
    }
  }
  throw lastError;
}

/** What readEnv() would build from PDS_* variables; PDS.fromEnv reads only this object. */
function pdsEnvironment({ port, plcUrl, blobDir, jwtSecret, handleDomains }) {
  return {
    port,
    hostname: 'localhost', // publicUrl http://localhost:<port>, service DID did:web:localhost
    devMode: true, // allows http:// and loopback addresses
    dataDirectory: config.dataDir,
    blobstoreDiskLocation: blobDir,
    didPlcUrl: plcUrl,
    serviceHandleDomains: handleDomains,
    inviteRequired: false,
    enableDidDocWithSession: true, // createSession answers with the DID document, as bsky.social does
    jwtSecret,
    adminPassword: crypto.randomBytes(16).toString('hex'),
    plcRotationKeyK256PrivateKeyHex: k256PrivateKeyHex(),
    // No AppView, crawlers or mail server to reach, and no rate limits to trip the tests.
    crawlers: [],
    rateLimitsEnabled: false,
    serviceName: 'Herald test PDS',
    ...config.extraEnv,
  };
}

// The jose instance the PDS itself imports (the nearest node_modules/jose above the PDS's files):
// patching another copy would leave its tokens at two hours.
async function importJoseOfPds() {
  let dir = path.dirname(fileURLToPath(import.meta.resolve('@atproto/pds')));
  for (let parent = path.dirname(dir); parent !== dir; dir = parent, parent = path.dirname(dir)) {
    const manifest = path.join(dir, 'node_modules', 'jose', 'package.json');
    if (fs.existsSync(manifest)) {
      const entry = JSON.parse(fs.readFileSync(manifest, 'utf8')).exports['.'].import;
      return import(pathToFileURL(path.join(path.dirname(manifest), entry)).href);
    }
  }
  return import('jose');
}

// jose 5's SignJWT keeps its payload and header in plain fields; the harness checks the lifetime of
// the tokens it receives, so a jose that stops doing so fails the tests instead of going unnoticed.
function patchAccessTokenLifetime(jose) {
  const sign = jose.SignJWT.prototype.sign;
  jose.SignJWT.prototype.sign = function (key, options) {
    const payload = this._payload;
    if (this._protectedHeader?.typ === 'at+jwt' && typeof payload?.iat === 'number') {
      const ttl = accessTokenTtlByDid.has(payload.sub) ? accessTokenTtlByDid.get(payload.sub) : accessTokenTtl;
      if (ttl !== null) payload.exp = payload.iat + ttl;
    }
    return sign.call(this, key, options);
  };
}

// The PLC and PDS Express apps call app.listen(port), which binds every interface.
function bindToLoopback(app) {
  const listen = app.listen.bind(app);
  app.listen = (port, ...rest) => listen(port, '127.0.0.1', ...rest);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The PLC rotation key, a secp256k1 private key as 32 bytes of hex. */
function k256PrivateKeyHex() {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
  return Buffer.from(privateKey.export({ format: 'jwk' }).d, 'base64url').toString('hex');
}

function stop() {
  stopping ??= (async () => {
    try {
      await pds?.destroy();
    } finally {
      await plcServer?.destroy();
    }
  })();
  return stopping;
}

const commands = {
  setAccessTokenTtl({ seconds, did }) {
    if (seconds !== null && !Number.isInteger(seconds)) throw new Error('seconds must be an integer or null');
    if (did && seconds === null) accessTokenTtlByDid.delete(did);
    else if (did) accessTokenTtlByDid.set(did, seconds);
    else accessTokenTtl = seconds;
  },
  setClockOffset({ ms }) {
    if (!Number.isFinite(ms)) throw new Error('ms must be a finite number');
    clockOffsetMs = ms;
  },
};

process.on('message', ({ id, cmd, args }) => {
  try {
    if (!commands[cmd]) throw new Error(`unknown command ${cmd}`);
    commands[cmd](args ?? {});
    process.send({ id, ok: true });
  } catch (error) {
    process.send({ id, ok: false, error: String(error?.message ?? error) });
  }
});

// However it ends, the data goes with it: its parent may be gone (a killed Jest worker, Ctrl-C).
function stopAndExit(code) {
  stop()
    .catch(() => undefined)
    .finally(() => {
      fs.rmSync(config.dataDir, { recursive: true, force: true });
      process.exit(code);
    });
}

// The parent died or let go: do not outlive it.
process.on('disconnect', () => stopAndExit(0));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => stopAndExit(0));

main().catch((error) => {
  process.stderr.write(`pds-child: ${error?.stack ?? error}\n`);
  process.send?.({ type: 'fatal', error: String(error?.message ?? error) });
  stopAndExit(1);
});
