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

  @Get('rest/posts')
  async byAuthor(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('linkedin', request, response, LINKEDIN_ERRORS, (account) => {
      const count = Math.min(100, Math.max(1, Number(queryOf(request).count) || 10));
      const posts = this.gate.store.postsOf(account).slice(-count).reverse();
      return {
        status: 200,
        body: { elements: posts.map((post) => ({ id: post.id, commentary: post.text, createdAt: Date.parse(post.receivedAt) })) },
      };
    });
  }
}
