/**
 * Bluesky's XRPC: `com.atproto.repo.createRecord` for an `app.bsky.feed.post`
 * record (under the client's record key when it gives one: a TID, refused
 * answered 500 when taken, as the reference PDS does), `getRecord`, and `listRecords` as a PDS pages them (by record
 * key, newest first, `limit` 1–100, `cursor` the last key of the page before).
 * Errors are `{error, message}`.
 */
import { randomInt } from 'node:crypto';
import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorFormat, NetworkGate, queryOf } from '../network-gate';
import { Account, MockPost } from '../store';

const BLUESKY_ERRORS: ErrorFormat = {
  invalidStatus: 400,
  body: (_status, kind, message) => ({
    error: { unauthorized: 'InvalidToken', invalid: 'InvalidRequest', rate_limited: 'RateLimitExceeded', server_error: 'InternalServerError', not_found: 'RecordNotFound' }[kind],
    message,
  }),
};

const COLLECTION = 'app.bsky.feed.post';
const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

interface BlueskyImage {
  image?: { url?: string };
  alt?: string;
}

@Controller('bluesky')
export class BlueskyController {
  constructor(private readonly gate: NetworkGate) {}

  @Post('xrpc/com.atproto.repo.createRecord')
  async createRecord(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('bluesky', request, response, BLUESKY_ERRORS, (account) => {
      const body = request.body as { repo?: unknown; collection?: unknown; rkey?: unknown; record?: { text?: unknown; createdAt?: unknown; embed?: { images?: BlueskyImage[] } } };
      if (body.repo !== account.handle && body.repo !== didOf(account)) return { status: 400, body: BLUESKY_ERRORS.body(400, 'invalid', 'Input/repo must be the authenticated account') };
      if (body.collection !== COLLECTION) return { status: 400, body: BLUESKY_ERRORS.body(400, 'invalid', `Input/collection must be ${COLLECTION}`) };
      if (body.rkey !== undefined && (typeof body.rkey !== 'string' || !TID.test(body.rkey))) {
        return { status: 400, body: BLUESKY_ERRORS.body(400, 'invalid', 'Input/rkey must be a valid TID') };
      }
      const rkey = typeof body.rkey === 'string' ? body.rkey : newTid();
      // As the reference PDS answers a key that is taken: a 500, not a 4xx.
      if (this.gate.store.find(uriOf(account, rkey))) return { status: 500, body: BLUESKY_ERRORS.body(500, 'server_error', 'Internal Server Error') };
      const text = typeof body.record?.text === 'string' ? body.record.text : '';
      const createdAt = typeof body.record?.createdAt === 'string' && !Number.isNaN(Date.parse(body.record.createdAt)) ? body.record.createdAt : undefined;
      const media = (body.record?.embed?.images ?? [])
        .filter((image) => typeof image.image?.url === 'string')
        .map((image) => ({ url: image.image!.url!, ...(image.alt ? { alt: image.alt } : {}) }));
      this.gate.checkContent('bluesky', text, media);
      const post = this.gate.store.accept(account, text, media, null, () => uriOf(account, rkey), createdAt);
      return { status: 200, body: { uri: post.id, cid: cidOf(rkey) } };
    });
  }

  @Get('xrpc/com.atproto.repo.getRecord')
  async getRecord(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('bluesky', request, response, BLUESKY_ERRORS, (account) => {
      const { repo, collection, rkey } = queryOf(request);
      if (!repo || !collection || !rkey) return { status: 400, body: BLUESKY_ERRORS.body(400, 'invalid', 'repo, collection and rkey are required') };
      const uri = `at://${repo === account.handle ? didOf(account) : repo}/${collection}/${rkey}`;
      const post = this.gate.store.find(uri);
      if (!post) return { status: 400, body: BLUESKY_ERRORS.body(400, 'not_found', `Could not locate record: ${uri}`) };
      return { status: 200, body: toRecord(post) };
    });
  }

  @Get('xrpc/com.atproto.repo.listRecords')
  async listRecords(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('bluesky', request, response, BLUESKY_ERRORS, (account) => {
      const query = queryOf(request);
      const limit = query.limit === undefined ? 50 : Number(query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) return { status: 400, body: BLUESKY_ERRORS.body(400, 'invalid', 'limit must be 1 to 100') };
      const newestFirst = [...this.gate.store.postsOf(account)].sort((a, b) => (rkeyOf(a) < rkeyOf(b) ? 1 : -1));
      const after = query.cursor === undefined ? newestFirst : newestFirst.filter((post) => rkeyOf(post) < query.cursor!);
      const records = after.slice(0, limit);
      return {
        status: 200,
        body: { records: records.map(toRecord), ...(records.length === limit && after.length > limit ? { cursor: rkeyOf(records[records.length - 1]!) } : {}) },
      };
    });
  }
}

function didOf(account: Account): string {
  return `did:plc:${Buffer.from(account.handle).toString('hex').slice(0, 24)}`;
}

function uriOf(account: Account, rkey: string): string {
  return `at://${didOf(account)}/${COLLECTION}/${rkey}`;
}

function rkeyOf(post: MockPost): string {
  return post.id.split('/').pop() ?? '';
}

function cidOf(rkey: string): string {
  return `bafyrei${rkey}`;
}

function toRecord(post: MockPost) {
  return {
    uri: post.id,
    cid: cidOf(rkeyOf(post)),
    value: {
      $type: COLLECTION,
      text: post.text,
      createdAt: post.createdAt,
      ...(post.media.length > 0 ? { embed: { $type: 'app.bsky.embed.images', images: post.media.map((item) => ({ image: { url: item.url }, alt: item.alt ?? '' })) } } : {}),
    },
  };
}

const TID_ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';
const clockId = BigInt(randomInt(1024));
let lastMicros = 0n;

/** A record key the way a PDS makes one when the client gives none: microseconds and a clock id, base32-sortable. */
function newTid(): string {
  let micros = BigInt(Date.now()) * 1000n;
  if (micros <= lastMicros) micros = lastMicros + 1n;
  lastMicros = micros;
  let value = (micros << 10n) | clockId;
  let tid = '';
  for (let index = 0; index < 13; index += 1) {
    tid = TID_ALPHABET[Number(value & 31n)] + tid;
    value >>= 5n;
  }
  return tid;
}
