/**
 * A PDS's repository methods for `app.bsky.feed.post`: `createRecord`
 * (into the session's own repo only, under the client's record key when it
 * gives one, a TID; a key that is taken answers 500, as the reference PDS
 * does; the record checked as the PDS checks it), `getRecord` and
 * `listRecords` (repo by handle or DID; auth optional; paged by record key,
 * newest first) and `uploadBlob` (raw bytes up to 5,000,000, a raw-codec
 * CID, the type sniffed from the bytes as the PDS does).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Account } from '../../accounts';
import { refusalOf } from '../../content-rules';
import { AuthOutcome, ContentRefused } from '../../gate';
import { fieldsOf, headerOf, queryOf } from '../../http/answer';
import { inspectMedia } from '../../media/inspect';
import { MockPost } from '../../store';
import { MockWorld } from '../../world';
import { blueskyFace, xrpcError } from './bluesky.face';
import { DAG_CBOR, RAW, cidFor } from './cid';
import { StoredBlob, checkPostRecord } from './post-record';
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
    gate.run(face, request, reply, (account) => {
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
      const refusal = refusalOf('bluesky', checked.text, checked.media);
      if (refusal) throw new ContentRefused(refusal, xrpcError(400, 'InvalidRequest', `Invalid app.bsky.feed.post record: ${refusal}`));
      // As the reference PDS answers a key that is taken: a 500, not a 4xx.
      if (store.find(uri)) return xrpcError(500, 'InternalServerError', 'Internal Server Error');
      const record: StoredRecord = { cid: cidFor(DAG_CBOR, JSON.stringify(body.record)), value: body.record };
      store.accept(account, checked.text, checked.media, {
        idFor: () => uri,
        createdAt: checked.createdAt,
        ...(checked.facets ? { facets: checked.facets } : {}),
        ...(checked.embed !== undefined ? { embed: checked.embed } : {}),
        record,
      });
      return { status: 200, body: { uri, cid: record.cid, commit: { cid: cidFor(DAG_CBOR, `commit ${uri}`), rev: newTid() }, validationStatus: 'valid' } };
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

function rkeyOf(post: MockPost): string {
  return post.id.slice(post.id.lastIndexOf('/') + 1);
}

function toRecord(post: MockPost) {
  const record = post.record as StoredRecord;
  return { uri: post.id, cid: record.cid, value: record.value };
}
