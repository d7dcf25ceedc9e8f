// Reads what a PDS holds through @atproto/api, Bluesky's own client, as a reader of the post would:
//
//   node read-back-child.mjs record <pdsUrl> <did-or-handle> <rkey> [collection]   com.atproto.repo.getRecord
//   node read-back-child.mjs blob <pdsUrl> <did> <cid>                             com.atproto.sync.getBlob
//
// It prints one JSON line: {ok: true, uri, cid, value} (the record as JSON, facets and embed
// included) or {ok: true, size, mimeType} for a blob, or {ok: false, status, error, message} when
// the PDS refuses. A separate process because @atproto/api is ESM-only and Jest runs CommonJS.

import { AtpAgent, stringifyLex } from '@atproto/api';

const [mode, service, ...rest] = process.argv.slice(2);
const agent = new AtpAgent({ service });

async function read() {
  if (mode === 'record') {
    const [repo, rkey, collection = 'app.bsky.feed.post'] = rest;
    const { data } = await agent.com.atproto.repo.getRecord({ repo, collection, rkey });
    return { uri: data.uri, cid: data.cid, value: data.value };
  }
  if (mode === 'blob') {
    const [did, cid] = rest;
    const { data, headers } = await agent.com.atproto.sync.getBlob({ did, cid });
    return { size: data.byteLength, mimeType: headers['content-type'] };
  }
  throw new Error(`unknown mode ${mode}: record or blob`);
}

try {
  // stringifyLex writes blob refs and CIDs in their JSON form ({$link}), as the PDS sent them.
  process.stdout.write(`${stringifyLex({ ok: true, ...(await read()) })}\n`);
} catch (error) {
  // The PDS's refusal is an answer the tests check; a network failure (XRPCError status 1) or a
  // malformed answer (2) is this script's failure.
  if (!(error?.status >= 400) || typeof error?.error !== 'string') throw error;
  process.stdout.write(`${JSON.stringify({ ok: false, status: error.status, error: error.error, message: error.message })}\n`);
}
