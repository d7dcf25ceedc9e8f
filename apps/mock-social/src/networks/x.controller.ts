/**
 * X API v2, simplified where harmless: `POST /2/tweets`, a URL-based stand-in
 * for media upload (the real one takes the bytes), and the user's timeline
 * for lookups. Errors use X's problem format `{title, detail, type, status}`.
 */
import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorFormat, headerOf, NetworkGate } from '../network-gate';
import { MockMedia } from '../store';

const X_ERRORS: ErrorFormat = {
  invalidStatus: 400,
  body: (status, kind, message) => ({
    title: { unauthorized: 'Unauthorized', invalid: 'Invalid Request', rate_limited: 'Too Many Requests', server_error: 'Service Unavailable', not_found: 'Not Found Error' }[kind],
    detail: message,
    type: `https://api.twitter.com/2/problems/${kind === 'invalid' ? 'invalid-request' : kind.replace('_', '-')}`,
    status,
  }),
};

@Controller('x')
export class XController {
  constructor(private readonly gate: NetworkGate) {}

  @Post('2/media/upload')
  upload(@Req() request: FastifyRequest, @Res() response: FastifyReply): void {
    const account = this.gate.store.accountOf('x', headerOf(request, 'authorization'));
    const { url, alt_text: alt } = request.body as { url?: unknown; alt_text?: unknown };
    if (!account) return void response.status(401).send(X_ERRORS.body(401, 'unauthorized', 'Unauthorized'));
    if (typeof url !== 'string') return void response.status(400).send(X_ERRORS.body(400, 'invalid', 'url is required'));
    const id = this.gate.store.stage({ url, ...(typeof alt === 'string' ? { alt } : {}) });
    response.status(200).send({ data: { id, media_key: `3_${id}` } });
  }

  @Post('2/tweets')
  async tweet(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('x', request, response, X_ERRORS, (account) => {
      const body = request.body as { text?: unknown; media?: { media_ids?: unknown } };
      const text = typeof body.text === 'string' ? body.text : '';
      const ids = Array.isArray(body.media?.media_ids) ? (body.media!.media_ids as unknown[]).map(String) : [];
      const media = ids.map((id) => this.gate.store.staged_(id)).filter((item): item is MockMedia => item !== undefined);
      this.gate.checkContent('x', text, media);
      const post = this.gate.store.accept(account, text, media, null);
      return { status: 201, body: { data: { id: post.id, text: post.text, edit_history_tweet_ids: [post.id] } } };
    });
  }

  @Get('2/users/me/tweets')
  async timeline(@Req() request: FastifyRequest, @Res() response: FastifyReply, @Query('max_results') max?: string): Promise<void> {
    await this.gate.run('x', request, response, X_ERRORS, (account) => {
      const limit = Math.min(100, Math.max(5, Number(max) || 10));
      const posts = this.gate.store.postsOf(account).slice(-limit).reverse();
      return { status: 200, body: { data: posts.map((post) => ({ id: post.id, text: post.text, created_at: post.receivedAt })), meta: { result_count: posts.length } } };
    });
  }
}
