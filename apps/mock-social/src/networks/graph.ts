/** Meta's Graph API: its error format, the second step of a two-step publish, and its cursor paging, shared by the Threads, Instagram and Facebook mocks. */
import type { FastifyRequest } from 'fastify';
import { Answer, ErrorFormat, NetworkGate, queryOf } from '../network-gate';
import { Account, MockPost } from '../store';
import { decodeCursor, encodeCursor } from '../timeline-paging';

export const GRAPH_ERRORS: ErrorFormat = {
  invalidStatus: 400,
  body: (_status, kind, message) => ({
    error: {
      message: kind === 'unauthorized' ? 'Error validating access token: The session has been invalidated.' : message,
      type: kind === 'unauthorized' ? 'OAuthException' : kind === 'invalid' ? 'GraphMethodException' : 'GraphServerException',
      code: { unauthorized: 190, invalid: 100, rate_limited: 4, server_error: 2, not_found: 803 }[kind],
      fbtrace_id: Math.random().toString(36).slice(2, 13),
    },
  }),
};

/**
 * The second step of Threads' and Instagram's two-step publish: the container
 * named by `creation_id` goes live, once; its status becomes `PUBLISHED`.
 */
export function publishContainer(gate: NetworkGate, network: 'threads' | 'instagram', account: Account, request: FastifyRequest): Answer {
  const creationId = String((queryOf(request).creation_id ?? (request.body as { creation_id?: unknown }).creation_id) ?? '');
  const container = gate.store.staged_(creationId);
  if (!container) return { status: 400, body: GRAPH_ERRORS.body(400, 'invalid', 'Invalid creation_id') };
  if (container.status === 'PUBLISHED') return { status: 400, body: GRAPH_ERRORS.body(400, 'invalid', 'The media has already been published') };
  const children = (container.children ?? []).map((id) => gate.store.staged_(id)).filter((child) => child !== undefined);
  const media =
    children.length > 0
      ? children.map((child) => ({ url: child!.url, ...(child!.alt ? { alt: child!.alt } : {}) }))
      : container.url
        ? [{ url: container.url, ...(container.alt ? { alt: container.alt } : {}) }]
        : [];
  gate.checkContent(network, container.text ?? '', media);
  const post = gate.store.accept(account, container.text ?? '', media, null);
  container.status = 'PUBLISHED';
  container.publishedId = post.id;
  return { status: 200, body: { id: post.id } };
}

/** A container's status, under the field name its network uses (`status` on Threads, `status_code` on Instagram). */
export function containerStatus(gate: NetworkGate, containerId: string, field: 'status' | 'status_code'): Answer {
  const container = gate.store.staged_(containerId);
  if (!container) return { status: 400, body: GRAPH_ERRORS.body(400, 'not_found', `Unsupported get request. Object with ID '${containerId}' does not exist`) };
  return { status: 200, body: { id: containerId, [field]: container.status } };
}

/**
 * A page of an account's posts as the Graph API pages edges: newest first,
 * `limit` (default 25, at most 100), `since`/`until` as Unix seconds, the
 * `after` cursor of the page before; `paging.next` only when more remain.
 */
export function graphPage(gate: NetworkGate, account: Account, request: FastifyRequest, toItem: (post: MockPost) => unknown): Answer {
  const query = queryOf(request);
  const limit = Math.min(100, Math.max(1, Number(query.limit) || 25));
  const seconds = (value: string | undefined) => (value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value));
  const sinceMs = seconds(query.since);
  const untilMs = seconds(query.until);
  if (Number.isNaN(sinceMs) || Number.isNaN(untilMs)) return { status: 400, body: GRAPH_ERRORS.body(400, 'invalid', 'since and until must be Unix times') };
  const beforePosition = query.after ? decodeCursor(query.after) : undefined;
  if (query.after && beforePosition === undefined) return { status: 400, body: GRAPH_ERRORS.body(400, 'invalid', 'Invalid after cursor') };
  const page = gate.store.timeline(account, { limit, beforePosition, sinceMs, untilMs });
  const after = page.nextBefore !== undefined ? encodeCursor(page.nextBefore) : undefined;
  const first = page.posts[0]?.position;
  return {
    status: 200,
    body: {
      data: page.posts.map(toItem),
      paging: {
        cursors: { before: first !== undefined ? encodeCursor(first + 1) : '', after: after ?? '' },
        ...(after ? { next: `${request.url.split('?')[0]}?${new URLSearchParams({ ...definedOf(query), after }).toString()}` } : {}),
      },
    },
  };
}

function definedOf(query: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
