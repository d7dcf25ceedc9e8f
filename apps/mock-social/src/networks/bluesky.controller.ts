/**
 * Bluesky's XRPC: `com.atproto.repo.createRecord` for an `app.bsky.feed.post`
 * record and `com.atproto.repo.listRecords` for lookups. Errors are
 * `{error, message}`.
 */
import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorFormat, NetworkGate, queryOf } from '../network-gate';

const BLUESKY_ERRORS: ErrorFormat = {
  invalidStatus: 400,
  body: (_status, kind, message) => ({
    error: { unauthorized: 'InvalidToken', invalid: 'InvalidRequest', rate_limited: 'RateLimitExceeded', server_error: 'InternalServerError', not_found: 'RecordNotFound' }[kind],
    message,
  }),
};

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
      const body = request.body as { collection?: string; record?: { text?: unknown; embed?: { images?: BlueskyImage[] } } };
      const text = typeof body.record?.text === 'string' ? body.record.text : '';
      const media = (body.record?.embed?.images ?? [])
        .filter((image) => typeof image.image?.url === 'string')
        .map((image) => ({ url: image.image!.url!, ...(image.alt ? { alt: image.alt } : {}) }));
      this.gate.checkContent('bluesky', text, media);
      const post = this.gate.store.accept(account, text, media, null, (n) => `at://did:plc:${didOf(account.handle)}/app.bsky.feed.post/${n}`);
      return { status: 200, body: { uri: post.id, cid: `bafyrei${post.id.split('/').pop()}` } };
    });
  }

  @Get('xrpc/com.atproto.repo.listRecords')
  async listRecords(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('bluesky', request, response, BLUESKY_ERRORS, (account) => {
      const limit = Math.min(100, Math.max(1, Number(queryOf(request).limit) || 50));
      const posts = this.gate.store.postsOf(account).slice(-limit).reverse();
      return {
        status: 200,
        body: {
          records: posts.map((post) => ({
            uri: post.id,
            cid: `bafyrei${post.id.split('/').pop()}`,
            value: { $type: 'app.bsky.feed.post', text: post.text, createdAt: post.receivedAt },
          })),
        },
      };
    });
  }
}

function didOf(handle: string): string {
  return Buffer.from(handle).toString('hex').slice(0, 24);
}
