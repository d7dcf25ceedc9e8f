/**
 * Meta's Graph API, shared by the Threads, Instagram and Facebook mocks:
 * its error format (`{error: {message, type, code, error_subcode, fbtrace_id}}`),
 * its access tokens (as `access_token` in the query or body, or a bearer
 * header; code 190 with subcode 463 expired, 460 invalidated), the posting
 * quota's usage, and cursor paging. (Containers: containers.ts.)
 */
import type { FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { Account } from '../../accounts';
import { bearerOf } from '../../auth/tokens';
import { NetworkFace } from '../../gate';
import { Answer, fieldsOf, headerOf, queryOf, stringField } from '../../http/answer';
import { ErrorFormat } from '../../http/server';
import { postsInLastDay, QUOTA_DURATION_SECONDS, THREADS_REPLY_QUOTA, repliesInLastDay } from '../../quotas';
import { MockPost } from '../../store';
import { decodeCursor, encodeCursor } from '../../timeline-paging';
import { MockWorld } from '../../world';

export type MetaNetwork = 'threads' | 'instagram' | 'facebook';

export interface GraphErrorFields {
  message: string;
  type?: string;
  code: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
}

export function graphError(status: number, error: GraphErrorFields): Answer {
  return { status, body: { error: { type: 'OAuthException', ...error, fbtrace_id: randomBytes(8).toString('base64url') } } };
}

export const GRAPH_ERRORS: ErrorFormat = {
  invalidStatus: 400,
  body: (status, kind, message) =>
    graphError(status, {
      message,
      type: kind === 'invalid' ? 'GraphMethodException' : kind === 'not_found' ? 'GraphMethodException' : 'OAuthException',
      code: { invalid: 100, rate_limited: 4, server_error: 2, not_found: 803 }[kind],
    }).body,
  // Meta tells usage, not counts: `X-App-Usage` as percentages of the app's limit (the mock counts calls only: its
  // total_cputime and total_time stay 0).
  rateLimitHeaders: (state) => ({
    'x-app-usage': JSON.stringify({ call_count: Math.min(100, Math.ceil(((state.limit - state.remaining) * 100) / state.limit)), total_cputime: 0, total_time: 0 }),
  }),
  usualLimit: { limit: 200, windowSeconds: 3600 },
  rateLimitedMessage: '(#4) Application request limit reached',
};

const NO_TOKEN = graphError(400, { message: 'An active access token must be used to query information about the current user.', code: 2500 });
const UNPARSABLE = graphError(400, { message: 'Invalid OAuth access token - Cannot parse access token', code: 190 });
const EXPIRED = graphError(400, { message: 'Error validating access token: Session has expired.', code: 190, error_subcode: 463 });
const INVALIDATED = graphError(400, {
  message: 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
  code: 190,
  error_subcode: 460,
});

/** The access token of a Graph call: `access_token` in the query or body, or a bearer header. */
export function graphTokenOf(request: FastifyRequest): string | undefined {
  return queryOf(request).access_token ?? stringField(fieldsOf(request), 'access_token') ?? bearerOf(headerOf(request, 'authorization'));
}

export function metaFace(world: MockWorld, network: MetaNetwork): NetworkFace {
  return {
    network,
    errors: GRAPH_ERRORS,
    authenticate(request) {
      const token = graphTokenOf(request);
      if (!token) return { refusal: NO_TOKEN };
      const checked = world.tokens.check(token, network);
      if (checked.state === 'valid') return { account: checked.grant };
      if (checked.state === 'unknown') return { refusal: UNPARSABLE };
      return { refusal: checked.state === 'expired' ? EXPIRED : INVALIDATED, handle: checked.grant.handle };
    },
  };
}

/**
 * A node read as the Graph API reads it: `fields` names the fields wanted
 * (`id` always comes), none gives the node type's defaults; a field the
 * node does not have is Graph's 400 code 100. A field the node has but
 * this one lacks (an unset value) is left out, as Graph leaves it out.
 */
export function graphNode(fields: string | undefined, node: Record<string, unknown>, known: readonly string[], defaults: readonly string[], nodeType: string): Answer {
  const asked = fields === undefined || fields.trim() === '' ? defaults : fields.split(',').map((field) => field.trim()).filter(Boolean);
  const unknown = asked.find((field) => field !== 'id' && !known.includes(field));
  if (unknown) return graphError(400, { message: `(#100) Tried accessing nonexisting field (${unknown}) on node type (${nodeType})`, code: 100 });
  return { status: 200, body: Object.fromEntries(['id', ...asked.filter((field) => field !== 'id')].filter((field) => node[field] !== undefined).map((field) => [field, node[field]])) };
}

/** "Object does not exist": a path id that is not this account's. */
export function unknownObject(id: string, method: string): Answer {
  return graphError(400, {
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    type: 'GraphMethodException',
    code: 100,
    error_subcode: 33,
  });
}

/**
 * `GET /{user-id}/threads_publishing_limit` (Threads) or
 * `/content_publishing_limit` (Instagram): the posts published in the last
 * 24 hours and the quota (and on Threads `reply_quota_usage`, `reply_config`:
 * replies have their own), with the fields asked for (`quota_usage` alone
 * when `fields` names none, as the Graph API answers).
 */
export function publishingLimit(world: MockWorld, network: 'threads' | 'instagram', account: Account, request: FastifyRequest): Answer {
  const fields = new Set((queryOf(request).fields ?? 'quota_usage').split(',').map((field) => field.trim()));
  const entry = {
    ...(fields.has('quota_usage') ? { quota_usage: postsInLastDay(world.store.topLevelOf(account)) } : {}),
    ...(fields.has('config') ? { config: { quota_total: world.quotas.totalFor(network, account.handle), quota_duration: QUOTA_DURATION_SECONDS } } : {}),
    // Threads counts replies apart.
    ...(network === 'threads' && fields.has('reply_quota_usage') ? { reply_quota_usage: repliesInLastDay(world.store.postsOf(account)) } : {}),
    ...(network === 'threads' && fields.has('reply_config') ? { reply_config: { quota_total: THREADS_REPLY_QUOTA, quota_duration: QUOTA_DURATION_SECONDS } } : {}),
  };
  return { status: 200, body: { data: [entry] } };
}

/**
 * A page of an account's posts as the Graph API pages edges: newest first,
 * `limit` (default 25, at most 100), `since`/`until` as Unix seconds, the
 * `after` cursor of the page before; `paging.next` (absolute) only when more remain.
 */
export function graphPage(world: MockWorld, baseUrl: string, account: Account, request: FastifyRequest, toItem: (post: MockPost) => unknown, only?: (post: MockPost) => boolean): Answer {
  const query = queryOf(request);
  const limit = Math.min(100, Math.max(1, Number(query.limit) || 25));
  const seconds = (value: string | undefined) => (value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value));
  const sinceMs = seconds(query.since);
  const untilMs = seconds(query.until);
  if (Number.isNaN(sinceMs) || Number.isNaN(untilMs)) return { status: 400, body: GRAPH_ERRORS.body(400, 'invalid', 'since and until must be Unix times') };
  const beforePosition = query.after ? decodeCursor(query.after) : undefined;
  if (query.after && beforePosition === undefined) return { status: 400, body: GRAPH_ERRORS.body(400, 'invalid', 'Invalid after cursor') };
  const page = world.store.timeline(account, { limit, beforePosition, sinceMs, untilMs, ...(only ? { only } : {}) });
  const after = page.nextBefore !== undefined ? encodeCursor(page.nextBefore) : undefined;
  const first = page.posts[0]?.position;
  const defined = Object.fromEntries(Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return {
    status: 200,
    body: {
      data: page.posts.map(toItem),
      paging: {
        cursors: { before: first !== undefined ? encodeCursor(first + 1) : '', after: after ?? '' },
        ...(after ? { next: `${baseUrl}${request.url.split('?')[0]}?${new URLSearchParams({ ...defined, after }).toString()}` } : {}),
      },
    },
  };
}
