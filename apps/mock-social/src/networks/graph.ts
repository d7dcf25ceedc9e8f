/** Meta's Graph API error format, shared by the Threads, Instagram and Facebook mocks. */
import type { FastifyRequest } from 'fastify';
import { Answer, ErrorFormat, NetworkGate, queryOf } from '../network-gate';
import { Account } from '../store';

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

/** The second step of Threads' and Instagram's two-step publish: the container named by `creation_id` goes live. */
export function publishContainer(gate: NetworkGate, network: 'threads' | 'instagram', account: Account, request: FastifyRequest): Answer {
  const creationId = String((queryOf(request).creation_id ?? (request.body as { creation_id?: unknown }).creation_id) ?? '');
  const container = gate.store.staged_(creationId);
  if (!container) return { status: 400, body: GRAPH_ERRORS.body(400, 'invalid', 'Invalid creation_id') };
  const children = (container.children ?? []).map((id) => gate.store.staged_(id)).filter((child) => child !== undefined);
  const media =
    children.length > 0
      ? children.map((child) => ({ url: child!.url, ...(child!.alt ? { alt: child!.alt } : {}) }))
      : container.url
        ? [{ url: container.url, ...(container.alt ? { alt: container.alt } : {}) }]
        : [];
  gate.checkContent(network, container.text ?? '', media);
  const post = gate.store.accept(account, container.text ?? '', media, null);
  return { status: 200, body: { id: post.id } };
}
