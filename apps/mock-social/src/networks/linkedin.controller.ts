/**
 * LinkedIn's Posts API (`/rest/posts`): 201 with the post's URN in
 * `x-restli-id`, and the author's posts (`q=author`) for lookups. Errors are
 * `{status, serviceErrorCode, message}`.
 */
import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorFormat, NetworkGate, queryOf } from '../network-gate';

const LINKEDIN_ERRORS: ErrorFormat = {
  invalidStatus: 422,
  body: (status, kind, message) => ({
    status,
    serviceErrorCode: { unauthorized: 65600, invalid: 100, rate_limited: 101, server_error: 0, not_found: 404 }[kind],
    code: kind === 'unauthorized' ? 'REVOKED_ACCESS_TOKEN' : kind.toUpperCase(),
    message,
  }),
};

@Controller('linkedin')
export class LinkedInController {
  constructor(private readonly gate: NetworkGate) {}

  @Post('rest/posts')
  async create(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('linkedin', request, response, LINKEDIN_ERRORS, (account) => {
      const body = request.body as { commentary?: unknown; content?: { multiImage?: { images?: { id?: string; altText?: string }[] }; media?: { id?: string; altText?: string } } };
      const text = typeof body.commentary === 'string' ? body.commentary : '';
      const images = body.content?.multiImage?.images ?? (body.content?.media ? [body.content.media] : []);
      const media = images.filter((image) => typeof image.id === 'string').map((image) => ({ url: image.id!, ...(image.altText ? { alt: image.altText } : {}) }));
      this.gate.checkContent('linkedin', text, media);
      const post = this.gate.store.accept(account, text, media, null, (n) => `urn:li:share:${n}`);
      return { status: 201, headers: { 'x-restli-id': post.id } };
    });
  }

  /**
   * The author's posts (`q=author`), newest first, `count` (1–100, default 10)
   * from offset `start`, as LinkedIn pages them; only the account's own.
   */
  @Get('rest/posts')
  async byAuthor(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('linkedin', request, response, LINKEDIN_ERRORS, (account) => {
      const query = queryOf(request);
      if (query.q !== 'author') return { status: 400, body: LINKEDIN_ERRORS.body(400, 'invalid', 'q must be author') };
      if (query.author !== `urn:li:person:${account.handle}`) return { status: 403, body: LINKEDIN_ERRORS.body(403, 'invalid', 'Not enough permissions to access posts of this author') };
      const count = query.count === undefined ? 10 : Number(query.count);
      const start = query.start === undefined ? 0 : Number(query.start);
      if (!Number.isInteger(count) || count < 1 || count > 100 || !Number.isInteger(start) || start < 0) {
        return { status: 400, body: LINKEDIN_ERRORS.body(400, 'invalid', 'count must be 1 to 100 and start at least 0') };
      }
      const all = this.gate.store.postsOf(account);
      const posts = all.slice(Math.max(0, all.length - start - count), Math.max(0, all.length - start)).reverse();
      return {
        status: 200,
        body: {
          paging: { start, count, total: all.length, links: start + count < all.length ? [{ rel: 'next', type: 'application/json', href: `/rest/posts?q=author&start=${start + count}&count=${count}` }] : [] },
          elements: posts.map((post) => ({
            id: post.id,
            author: `urn:li:person:${account.handle}`,
            commentary: post.text,
            createdAt: Date.parse(post.createdAt),
            publishedAt: Date.parse(post.createdAt),
            lastModifiedAt: Date.parse(post.createdAt),
            lifecycleState: 'PUBLISHED',
            ...(post.media.length === 1
              ? { content: { media: { id: post.media[0]!.url, ...(post.media[0]!.alt ? { altText: post.media[0]!.alt } : {}) } } }
              : post.media.length > 1
                ? { content: { multiImage: { images: post.media.map((item) => ({ id: item.url, ...(item.alt ? { altText: item.alt } : {}) })) } } }
                : {}),
          })),
        },
      };
    });
  }
}
