/**
 * A PDS's repository methods for `app.bsky.feed.post`: `createRecord`
 * (into the session's own repo only, under the client's record key when it
 * gives one, a TID; a key that is taken answers 500, as the reference PDS
 * does; the record checked as the PDS checks it; its CID computed over its
 * DAG-CBOR encoding, see record-cid.ts; a reply's `parent` and `root`
 * strong refs must name records this PDS has, with their CIDs, the root
 * being the parent's thread's first post), `deleteRecord` (one's own;
 * a record not there is a no-op; `swapRecord` checked), `getRecord` and
 * `listRecords` (repo by handle or DID; auth optional; paged by record key,
 * newest first) and `uploadBlob` (raw bytes up to 5,000,000, a raw-codec
 * CID, the type sniffed from the bytes as the PDS does).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Account } from '../../accounts';
import { Refusal, refusalsOf } from '../../content-rules';
import { AuthOutcome, ContentRefused } from '../../gate';
import { fieldsOf, headerOf, queryOf } from '../../http/answer';
import { inspectMedia } from '../../media/inspect';
import { MockPost, MockStore } from '../../store';
import { MockWorld } from '../../world';
import { blueskyFace, xrpcError } from './bluesky.face';
import { DAG_CBOR, RAW, cidFor } from './cid';
import { StoredBlob, StrongRef, checkPostRecord } from './post-record';
import { recordCid } from './record-cid';
import { TID, newTid } from './tid';

const COLLECTION = 'app.bsky.feed.post';
/** The mock PDS's blob limit (the reference PDS's is configurable; images are held to the lexicon's 2,000,000 at createRecord). */
const BLOB_MAX = 5_000_000;

interface StoredRecord {
  cid: string;
  value: unknown;
}

export function registerBlueskyRepo(app: FastifyInstance, world: MockWorld): void {
  const face = blueskyFace(world);
  const { gate, store, accounts } = world;
  const didOf = (account: Account) => accounts.blueskyDid(account.handle);
  const blobs = store.shelf<StoredBlob>('bluesky-blobs');

  app.post('/xrpc/com.atproto.repo.createRecord', (request, reply) =>
    gate.run(face, request, reply, async (account) => {
      const body = fieldsOf(request);
      const repo = accounts.blueskyRepo(body.repo);
      if (!repo) return xrpcError(400, 'InvalidRequest', `Could not find repo: ${String(body.repo)}`);
      if (repo.did !== didOf(account)) return xrpcError(401, 'AuthenticationRequired', 'Authentication Required');
      if (body.collection !== COLLECTION) return xrpcError(400, 'InvalidRequest', `Invalid collection: the mock takes ${COLLECTION} records only`);
      if (body.rkey !== undefined && (typeof body.rkey !== 'string' || !TID.test(body.rkey))) return xrpcError(400, 'InvalidRequest', 'Invalid record key: a post is keyed by a TID');
      const rkey = typeof body.rkey === 'string' ? body.rkey : newTid();
      const uri = `at://${repo.did}/${COLLECTION}/${rkey}`;
      const checked = checkPostRecord(body.record, (cid) => blobs.of(account, cid));
      if (!checked.ok) throw new ContentRefused(checked.message, xrpcError(400, checked.error, checked.message));
      const refusal = blueskyRefusal(refusalsOf('bluesky', checked.text, checked.media));
      if (refusal) throw new ContentRefused(refusal, xrpcError(400, 'InvalidRequest', `Invalid app.bsky.feed.post record: ${refusal}`));
      const thread = checked.reply ? replyProblem(store, checked.reply) : undefined;
      if (thread) throw new ContentRefused(thread, xrpcError(400, 'InvalidRequest', `Invalid app.bsky.feed.post record: ${thread}`));
      const cid = await recordCid(body.record);
      // As the reference PDS answers a key that is taken: a 500, not a 4xx (checked after the await: nothing was written meanwhile).
      if (store.find(uri)) return xrpcError(500, 'InternalServerError', 'Internal Server Error');
      const record: StoredRecord = { cid, value: body.record };
      store.accept(account, checked.text, checked.media, {
        idFor: () => uri,
        ...(checked.reply ? { replyTo: { kind: 'reply', id: checked.reply.parent.uri } } : {}),
        createdAt: checked.createdAt,
        ...(checked.facets ? { facets: checked.facets } : {}),
        ...(checked.embed !== undefined ? { embed: checked.embed } : {}),
        record,
      });
      return { status: 200, body: { uri, cid: record.cid, commit: { cid: cidFor(DAG_CBOR, `commit ${uri}`), rev: newTid() }, validationStatus: 'valid' } };
    }),
  );

  // As the reference PDS: a record that is not there is no error (the delete is a no-op, answered without a commit).
  app.post('/xrpc/com.atproto.repo.deleteRecord', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const body = fieldsOf(request);
      const repo = accounts.blueskyRepo(body.repo);
      if (!repo) return xrpcError(400, 'InvalidRequest', `Could not find repo: ${String(body.repo)}`);
      if (repo.did !== didOf(account)) return xrpcError(401, 'AuthenticationRequired', 'Authentication Required');
      if (typeof body.collection !== 'string' || typeof body.rkey !== 'string') return xrpcError(400, 'InvalidRequest', 'Input must have the properties "collection" and "rkey"');
      const post = store.find(`at://${repo.did}/${body.collection}/${body.rkey}`);
      if (!post) return { status: 200, body: {} };
      const cid = (post.record as StoredRecord).cid;
      if (body.swapRecord !== undefined && body.swapRecord !== cid) return xrpcError(400, 'InvalidSwap', `Record was at ${cid}`);
      store.remove(post.id);
      return { status: 200, body: { commit: { cid: cidFor(DAG_CBOR, `delete ${post.id}`), rev: newTid() } } };
    }),
  );

  app.get('/xrpc/com.atproto.repo.getRecord', (request, reply) => {
    const { repo, collection, rkey } = queryOf(request);
    const owner = accounts.blueskyRepo(repo);
    return gate.run(
      face,
      request,
      reply,
      () => {
        if (!repo || !collection || !rkey) return xrpcError(400, 'InvalidRequest', 'repo, collection and rkey are required');
        if (!owner) return xrpcError(400, 'InvalidRequest', `Could not find repo: ${repo}`);
        const uri = `at://${owner.did}/${collection}/${rkey}`;
        const post = store.find(uri);
        if (!post) return xrpcError(400, 'RecordNotFound', `Could not locate record: ${uri}`);
        return { status: 200, body: toRecord(post) };
      },
      optionalAuth(world, request, owner?.handle),
    );
  });

  app.get('/xrpc/com.atproto.repo.listRecords', (request, reply) => {
    const query = queryOf(request);
    const owner = accounts.blueskyRepo(query.repo);
    return gate.run(
      face,
      request,
      reply,
      () => {
        if (!owner) return xrpcError(400, 'InvalidRequest', `Could not find repo: ${String(query.repo)}`);
        const limit = query.limit === undefined ? 50 : Number(query.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) return xrpcError(400, 'InvalidRequest', 'limit must be 1 to 100');
        const posts = query.collection === COLLECTION ? store.postsOf({ network: 'bluesky', handle: owner.handle }) : [];
        const reverse = query.reverse === 'true';
        const ordered = [...posts].sort((a, b) => (rkeyOf(a) < rkeyOf(b) ? 1 : -1) * (reverse ? -1 : 1));
        const after = query.cursor === undefined ? ordered : ordered.filter((post) => (reverse ? rkeyOf(post) > query.cursor! : rkeyOf(post) < query.cursor!));
        const records = after.slice(0, limit);
        return { status: 200, body: { records: records.map(toRecord), ...(after.length > limit ? { cursor: rkeyOf(records[records.length - 1]!) } : {}) } };
      },
      optionalAuth(world, request, owner?.handle),
    );
  });

  app.post('/xrpc/com.atproto.repo.uploadBlob', (request, reply) =>
    gate.authenticated(face, request, reply, (account) => {
      const bytes = Buffer.isBuffer(request.body) ? request.body : undefined;
      if (!bytes) return xrpcError(400, 'InvalidRequest', 'uploadBlob takes the raw bytes of the blob, with their Content-Type');
      if (bytes.length > BLOB_MAX) return xrpcError(400, 'BlobTooLarge', `This file is too large. It is ${(bytes.length / 1e6).toFixed(2)}MB but the maximum size is ${(BLOB_MAX / 1e6).toFixed(2)}MB.`);
      // As the PDS answers: the type sniffed from the bytes, the declared one only when the bytes tell nothing. The
      // mock keeps what the bytes are, so bytes that are no image are refused as an image at createRecord.
      const declared = (headerOf(request, 'content-type') ?? '').split(';')[0]!.trim() || 'application/octet-stream';
      const facts = inspectMedia(bytes);
      const cid = cidFor(RAW, bytes);
      blobs.put(account, cid, { ...(facts ?? { type: 'image', mimeType: 'application/octet-stream', size: bytes.length }), cid });
      return { status: 200, body: { blob: { $type: 'blob', ref: { $link: cid }, mimeType: facts?.mimeType ?? declared, size: bytes.length } } };
    }),
  );
}

/** Reads need no session; one given must be good. Faults apply to the repo's account either way. */
function optionalAuth(world: MockWorld, request: FastifyRequest, handle: string | undefined): AuthOutcome {
  if (headerOf(request, 'authorization') !== undefined) return blueskyFace(world).authenticate(request);
  return { account: { network: 'bluesky', handle: handle ?? '' } };
}

/**
 * Why a reply's refs do not hold, or undefined: the parent and the root
 * must be records here with the CIDs the refs give, and the root must be
 * the first post of the parent's thread (the parent itself when it is no
 * reply). The reference PDS stores such a reply anyway and the AppView
 * leaves it out of the thread; the mock refuses it, so a wrong ref is seen
 * at once.
 */
function replyProblem(store: MockStore, reply: { root: StrongRef; parent: StrongRef }): string | undefined {
  for (const [name, ref] of [['parent', reply.parent], ['root', reply.root]] as const) {
    const target = store.find(ref.uri);
    if (!target || target.network !== 'bluesky') return `reply ${name} ${ref.uri} could not be found`;
    const cid = (target.record as StoredRecord).cid;
    if (cid !== ref.cid) return `reply ${name} cid ${ref.cid} does not match the record at ${ref.uri} (${cid})`;
  }
  const root = store.threadRootOf(store.find(reply.parent.uri)!);
  if (root.id !== reply.root.uri) return `reply root must be the first post of the parent's thread, ${root.id}`;
  return undefined;
}

/**
 * The first reason the PDS gives for a record it refuses: a text too long
 * in the lexicon validator's words (`@atproto/lex-schema`, since PDS
 * 0.4.217: its UTF-8 length checked before its graphemes), others in the
 * mock's.
 */
function blueskyRefusal(refusals: Refusal[]): string | undefined {
  const bytes = refusals.find((refusal) => refusal.kind === 'too_long_bytes');
  if (bytes) return `string too big (maximum ${bytes.max}, got ${bytes.count}) at $.record.text`;
  const graphemes = refusals.find((refusal) => refusal.kind === 'too_long');
  if (graphemes) return `grapheme too big (maximum ${graphemes.max}, got ${graphemes.count}) at $.record.text`;
  return refusals[0]?.message;
}

function rkeyOf(post: MockPost): string {
  return post.id.slice(post.id.lastIndexOf('/') + 1);
}

function toRecord(post: MockPost) {
  const record = post.record as StoredRecord;
  return { uri: post.id, cid: record.cid, value: record.value };
}
