/**
 * Mastodon's REST API: `POST /api/v1/statuses` honouring `Idempotency-Key`
 * (the same key from the same account within an hour returns the same
 * status), a URL-based stand-in for `POST /api/v2/media`, and the account's
 * statuses for lookups. Errors are `{error}`.
 */
import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorFormat, headerOf, NetworkGate, queryOf } from '../network-gate';
import { MockMedia, MockPost } from '../store';
import { numericIdOf } from '../timeline-paging';

const MASTODON_ERRORS: ErrorFormat = {
  invalidStatus: 422,
  body: (_status, kind, message) => ({
    error: kind === 'unauthorized' ? 'The access token is invalid' : kind === 'invalid' ? `Validation failed: ${message}` : kind === 'rate_limited' ? 'Too many requests' : message,
  }),
};

@Controller('mastodon')
export class MastodonController {
  constructor(private readonly gate: NetworkGate) {}

  @Post('api/v2/media')
  media(@Req() request: FastifyRequest, @Res() response: FastifyReply): void {
    const account = this.gate.store.accountOf('mastodon', headerOf(request, 'authorization'));
    const { url, description } = request.body as { url?: unknown; description?: unknown };
    if (!account) return void response.status(401).send(MASTODON_ERRORS.body(401, 'unauthorized', ''));
    if (typeof url !== 'string') return void response.status(422).send(MASTODON_ERRORS.body(422, 'invalid', 'File is missing'));
    const id = this.gate.store.stage({ url, ...(typeof description === 'string' ? { alt: description } : {}) });
    response.status(200).send({ id, type: 'image', url, description: description ?? null });
  }

  @Post('api/v1/statuses')
  async status(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('mastodon', request, response, MASTODON_ERRORS, (account) => {
      const key = headerOf(request, 'idempotency-key') ?? null;
      const earlier = key ? this.gate.store.idempotentPost(account, key) : undefined;
      if (earlier) return { status: 200, body: toStatus(earlier) };
      const body = request.body as { status?: unknown; media_ids?: unknown };
      const text = typeof body.status === 'string' ? body.status : '';
      const ids = Array.isArray(body.media_ids) ? body.media_ids.map(String) : [];
      const media = ids
        .map((id) => this.gate.store.staged_(id))
        .filter((item) => item !== undefined)
        .map(({ url, alt }): MockMedia => ({ url, ...(alt ? { alt } : {}) }));
      this.gate.checkContent('mastodon', text, media);
      const post = this.gate.store.accept(account, text, media, key);
      if (key) this.gate.store.rememberIdempotent(account, key, post);
      return { status: 200, body: toStatus(post) };
    });
  }

  @Get('api/v1/accounts/verify_credentials')
  async verify(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('mastodon', request, response, MASTODON_ERRORS, (account) => ({
      status: 200,
      body: { id: accountId(account.handle), username: account.handle.split('@')[0], acct: account.handle },
    }));
  }

  /**
   * The account's statuses newest first, as Mastodon pages them: `limit`
   * (default 20, at most 40), `max_id` (older than), and a `Link` header whose
   * `rel="next"` names the next page.
   */
  @Get('api/v1/accounts/:id/statuses')
  async statuses(@Req() request: FastifyRequest, @Res() response: FastifyReply, @Param('id') id: string): Promise<void> {
    await this.gate.run('mastodon', request, response, MASTODON_ERRORS, (account) => {
      if (id !== accountId(account.handle)) return { status: 404, body: MASTODON_ERRORS.body(404, 'not_found', 'Record not found') };
      const query = queryOf(request);
      const limit = Math.min(40, Math.max(1, Number(query.limit) || 20));
      const maxId = query.max_id ? this.gate.store.find(query.max_id) : undefined;
      if (query.max_id && !maxId) return { status: 200, body: [] };
      const page = this.gate.store.timeline(account, { limit, beforePosition: maxId?.position });
      const last = page.posts[page.posts.length - 1];
      const base = `${request.protocol}://${request.headers.host ?? 'localhost'}${request.url.split('?')[0]}`;
      const headers: Record<string, string> = {};
      if (page.nextBefore !== undefined && last) headers.link = `<${base}?limit=${limit}&max_id=${encodeURIComponent(last.id)}>; rel="next"`;
      return { status: 200, body: page.posts.map(toStatus), headers };
    });
  }
}

const accountId = numericIdOf;

function toStatus(post: MockPost) {
  const [user, server] = post.handle.split('@');
  return {
    id: post.id,
    created_at: post.receivedAt,
    url: `https://${server ?? 'mastodon.social'}/@${user}/${post.id}`,
    content: `<p>${post.text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`,
    text: post.text,
    media_attachments: post.media.map((item) => ({ type: 'image', url: item.url, description: item.alt ?? null })),
  };
}
