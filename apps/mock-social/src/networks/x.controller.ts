/**
 * X API v2, simplified where harmless: `POST /2/tweets`, a URL-based stand-in
 * for media upload (the real one takes the bytes), `GET /2/users/me`, and a
 * user's posts as X pages them (`GET /2/users/:id/tweets`: newest first,
 * `max_results` 5–100, `start_time`/`end_time`, `pagination_token`, fields
 * only when asked for). Errors use X's problem format `{title, detail, type, status}`.
 */
import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorFormat, headerOf, NetworkGate, queryOf } from '../network-gate';
import { MockMedia, MockPost } from '../store';
import { decodeCursor, encodeCursor, numericIdOf } from '../timeline-paging';

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
      const media = ids.map((id) => this.gate.store.staged_(id)).filter((item): item is NonNullable<typeof item> => item !== undefined);
      this.gate.checkContent('x', text, media);
      const post = this.gate.store.accept(account, text, media.map(({ url, alt }): MockMedia => ({ url, ...(alt ? { alt } : {}) })), null);
      return { status: 201, body: { data: { id: post.id, text: post.text, edit_history_tweet_ids: [post.id] } } };
    });
  }

  @Get('2/users/me')
  async me(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('x', request, response, X_ERRORS, (account) => ({
      status: 200,
      body: { data: { id: numericIdOf(account.handle), name: account.handle, username: account.handle } },
    }));
  }

  @Get('2/users/:id/tweets')
  async timeline(@Req() request: FastifyRequest, @Res() response: FastifyReply, @Param('id') userId: string): Promise<void> {
    await this.gate.run('x', request, response, X_ERRORS, (account) => {
      const query = queryOf(request);
      if (userId !== numericIdOf(account.handle)) return { status: 404, body: X_ERRORS.body(404, 'not_found', `Could not find user with id: [${userId}].`) };
      const max = query.max_results === undefined ? 10 : Number(query.max_results);
      if (!Number.isInteger(max) || max < 5 || max > 100) {
        return { status: 400, body: X_ERRORS.body(400, 'invalid', `The \`max_results\` query parameter value [${query.max_results}] is not between 5 and 100`) };
      }
      const sinceMs = query.start_time ? Date.parse(query.start_time) : undefined;
      const untilMs = query.end_time ? Date.parse(query.end_time) : undefined;
      if (Number.isNaN(sinceMs) || Number.isNaN(untilMs)) return { status: 400, body: X_ERRORS.body(400, 'invalid', 'Invalid start_time or end_time') };
      const beforePosition = query.pagination_token ? decodeCursor(query.pagination_token) : undefined;
      if (query.pagination_token && beforePosition === undefined) return { status: 400, body: X_ERRORS.body(400, 'invalid', 'Invalid pagination_token') };
      const page = this.gate.store.timeline(account, { limit: max, beforePosition, sinceMs, untilMs });
      const fields = new Set((query['tweet.fields'] ?? '').split(','));
      return {
        status: 200,
        body: {
          ...(page.posts.length > 0 ? { data: page.posts.map((post) => toTweet(post, fields)) } : {}),
          meta: {
            result_count: page.posts.length,
            ...(page.posts.length > 0 ? { newest_id: page.posts[0]!.id, oldest_id: page.posts[page.posts.length - 1]!.id } : {}),
            ...(page.nextBefore !== undefined ? { next_token: encodeCursor(page.nextBefore) } : {}),
          },
        },
      };
    });
  }
}

/** A post as X lists it: `id`, `text` and `edit_history_tweet_ids` always, other fields when `tweet.fields` names them. */
function toTweet(post: MockPost, fields: Set<string>) {
  return {
    id: post.id,
    text: post.text,
    edit_history_tweet_ids: [post.id],
    ...(fields.has('created_at') ? { created_at: post.createdAt } : {}),
    ...(fields.has('attachments') && post.media.length > 0 ? { attachments: { media_keys: post.media.map((_, index) => `3_${post.id}${index}`) } } : {}),
  };
}
