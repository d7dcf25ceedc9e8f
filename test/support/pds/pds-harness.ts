/**
 * The reference Bluesky PDS (@atproto/pds) with an in-memory PLC directory, on loopback, for the
 * tests of Herald's Bluesky adapter: accounts with app passwords, raw XRPC, handle -> DID -> PDS,
 * and access tokens made to expire (minted expired, given a lifetime of seconds, or aged by shifting
 * the PDS's clock). One PDS per test file:
 *
 *   const pds = await startPds();                  // beforeAll; about 3 s
 *   const alice = await pds.createAccount('alice'); // alice.test, with alice.appPassword
 *   await pds.stop();                              // afterAll
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { HttpAnswer } from '../http';
import { PdsProcess, type PdsProcessOptions, type PdsReady } from './pds-process';

export type StartPdsOptions = PdsProcessOptions;

export interface TestAccount {
  did: string;
  handle: string;
  email: string;
  /** The main password; Herald is given appPassword instead. */
  password: string;
  /** From com.atproto.server.createAppPassword: xxxx-xxxx-xxxx-xxxx. */
  appPassword: string;
  /** The session createAccount opened (full access, not app-password scoped). */
  accessJwt: string;
  refreshJwt: string;
}

export interface PdsSession {
  did: string;
  handle: string;
  accessJwt: string;
  refreshJwt: string;
}

export interface DidDocument {
  id: string;
  alsoKnownAs?: string[];
  service?: { id: string; type: string; serviceEndpoint: string }[];
}

export interface XrpcRequest {
  /** Default: GET without a body, POST with one. */
  method?: 'GET' | 'POST';
  params?: Record<string, string | number | boolean | undefined>;
  /** JSON, or raw bytes (uploadBlob) sent as contentType. */
  body?: unknown;
  contentType?: string;
  /** Sent as a Bearer token. */
  token?: string;
}

export type AccessScope = 'com.atproto.access' | 'com.atproto.appPass' | 'com.atproto.appPassPrivileged';

export async function startPds(options: StartPdsOptions = {}): Promise<TestPds> {
  const startedAt = Date.now();
  const { pdsProcess, ready } = await PdsProcess.start(options);
  return new TestPds(pdsProcess, ready, Date.now() - startedAt);
}

export class TestPds {
  /** http://localhost:<port>, also the #atproto_pds endpoint in every account's DID document. */
  readonly url: string;
  /** GET `${plcUrl}/${did}` answers the DID document. */
  readonly plcUrl: string;
  /** did:web:localhost, the audience of the PDS's access tokens. */
  readonly serviceDid: string;
  readonly handleDomains: string[];
  /** What the child reported: ms since it started, at its imports, PLC up, PDS up. */
  readonly timings: Record<string, number>;
  private readonly jwtSecret: string;
  // The lifetimes asked of the child, to check the tokens it then issues.
  private accessTokenTtl: number | null = null;
  private readonly accessTokenTtlByDid = new Map<string, number>();

  constructor(
    private readonly pdsProcess: PdsProcess,
    ready: PdsReady,
    /** ms from fork to both servers listening. */
    readonly startupMs: number,
  ) {
    this.url = ready.url;
    this.plcUrl = ready.plcUrl;
    this.serviceDid = ready.serviceDid;
    this.handleDomains = ready.handleDomains;
    this.timings = ready.timings;
    this.jwtSecret = ready.jwtSecret;
  }

  /** An account and an app password for it; a handle without a dot gets the first handle domain. */
  async createAccount(handle: string): Promise<TestAccount> {
    const fullHandle = this.fullHandle(handle);
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const email = `${fullHandle.split('.')[0]}-${randomBytes(4).toString('hex')}@example.com`;
    const created = await this.expectOk<PdsSession>('com.atproto.server.createAccount', { body: { handle: fullHandle, email, password } });
    this.checkLifetime(created.accessJwt);
    const app = await this.expectOk<{ password: string }>('com.atproto.server.createAppPassword', { body: { name: 'herald-test' }, token: created.accessJwt });
    return { did: created.did, handle: created.handle, email, password, appPassword: app.password, accessJwt: created.accessJwt, refreshJwt: created.refreshJwt };
  }

  /** com.atproto.server.createSession, with a handle, DID or email and the main or an app password. */
  async login(identifier: string, password: string): Promise<PdsSession> {
    const session = await this.expectOk<PdsSession>('com.atproto.server.createSession', { body: { identifier, password } });
    this.checkLifetime(session.accessJwt);
    return { did: session.did, handle: session.handle, accessJwt: session.accessJwt, refreshJwt: session.refreshJwt };
  }

  /** One XRPC call; answers every status (an XRPC error's body is {error, message}). */
  async xrpc<T = any>(nsid: string, request: XrpcRequest = {}): Promise<HttpAnswer<T>> {
    const url = new URL(`/xrpc/${nsid}`, this.url);
    for (const [name, value] of Object.entries(request.params ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = {};
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (request.body instanceof Uint8Array) {
      body = new Uint8Array(request.body);
      headers['content-type'] = request.contentType ?? 'application/octet-stream';
    } else if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(url, { method: request.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (getBlob): keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  /** com.atproto.identity.resolveHandle on the PDS. */
  async resolveHandle(handle: string): Promise<string> {
    return (await this.expectOk<{ did: string }>('com.atproto.identity.resolveHandle', { params: { handle: this.fullHandle(handle) } })).did;
  }

  async getDidDocument(did: string): Promise<DidDocument> {
    const response = await fetch(`${this.plcUrl}/${encodeURIComponent(did)}`);
    if (!response.ok) throw new Error(`PLC GET ${did}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as DidDocument;
  }

  /** The #atproto_pds service endpoint of the DID's document. */
  async getPdsEndpoint(did: string): Promise<string> {
    const document = await this.getDidDocument(did);
    const service = document.service?.find((entry) => entry.id === '#atproto_pds' || entry.id === `${did}#atproto_pds`);
    if (!service) throw new Error(`the DID document of ${did} names no #atproto_pds service`);
    return service.serviceEndpoint;
  }

  /** An access token signed as the PDS signs them; expiresInSeconds <= 0 gives one already expired (400 ExpiredToken). */
  mintAccessToken({ did, expiresInSeconds, scope = 'com.atproto.access' }: { did: string; expiresInSeconds: number; scope?: AccessScope }): string {
    const now = Math.floor(Date.now() / 1000);
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const unsigned = `${encode({ typ: 'at+jwt', alg: 'HS256' })}.${encode({ scope, aud: this.serviceDid, sub: did, iat: now, exp: now + expiresInSeconds })}`;
    return `${unsigned}.${createHmac('sha256', this.jwtSecret).update(unsigned).digest('base64url')}`;
  }

  /**
   * The lifetime of access tokens issued from now on (createAccount, createSession, refreshSession):
   * one account's when did is given (it wins over the PDS-wide one), else every account's; null goes
   * back to the PDS's 120 minutes.
   */
  async setAccessTokenTtl(seconds: number | null, { did }: { did?: string } = {}): Promise<void> {
    await this.pdsProcess.command('setAccessTokenTtl', { seconds, did });
    if (!did) this.accessTokenTtl = seconds;
    else if (seconds === null) this.accessTokenTtlByDid.delete(did);
    else this.accessTokenTtlByDid.set(did, seconds);
  }

  /** Moves the PDS's clock by ms (0 puts it back): tokens already issued age with it. PDS-wide. */
  async setClockOffset(ms: number): Promise<void> {
    await this.pdsProcess.command('setClockOffset', { ms });
  }

  /** The child's output; its pino logs only with startPds({ log: true }). */
  logs(): string {
    return this.pdsProcess.logs();
  }

  stop(): Promise<void> {
    return this.pdsProcess.stop();
  }

  private fullHandle(handle: string): string {
    return handle.includes('.') ? handle : `${handle}${this.handleDomains[0]}`;
  }

  private async expectOk<T>(nsid: string, request: XrpcRequest): Promise<T> {
    const answer = await this.xrpc<T>(nsid, request);
    if (answer.status !== 200) throw new Error(`${nsid}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  // The lifetime is rewritten inside the PDS's jose (pds-child.mjs); if another jose version stops
  // that from working, say so here rather than hand out two-hour tokens to a test about expiry.
  private checkLifetime(accessJwt: string): void {
    const claims = JSON.parse(Buffer.from(accessJwt.split('.')[1]!, 'base64url').toString()) as { sub: string; iat: number; exp: number };
    const expected = this.accessTokenTtlByDid.get(claims.sub) ?? this.accessTokenTtl;
    if (expected !== null && claims.exp - claims.iat !== expected) {
      throw new Error(`the PDS issued an access token for ${claims.exp - claims.iat} s, not ${expected} s: the jose patch in pds-child.mjs did not take`);
    }
  }
}
