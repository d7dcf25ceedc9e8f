import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { refusalOf } from './content-rules';
import { MockNetwork } from './networks';
import { Faults } from './faults';
import { Account, MockMedia, MockStore } from './store';

/** How one network words its errors. */
export interface ErrorFormat {
  /** Body for an HTTP error of this network; `kind` says why. */
  body(status: number, kind: 'unauthorized' | 'invalid' | 'rate_limited' | 'server_error' | 'not_found', message: string): unknown;
  /** Status the network uses for content it refuses (400 or 422). */
  invalidStatus: number;
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * What every mock network endpoint does around its own work: authenticate the
 * bearer token, apply the fault rules (latency, failures, dropped
 * connections), check content against the network's real limits, and answer
 * errors in the network's own format.
 */
@Injectable()
export class NetworkGate {
  constructor(
    readonly store: MockStore,
    private readonly faults: Faults,
  ) {}

  async run(
    network: MockNetwork,
    request: FastifyRequest,
    response: FastifyReply,
    format: ErrorFormat,
    work: (account: Account) => Answer | Promise<Answer>,
  ): Promise<void> {
    const account = this.store.accountOf(network, headerOf(request, 'authorization'));
    const decision = await this.faults.decide(network, account?.handle);
    // Only a call that creates something can be accepted and then dropped; reads answer normally.
    if (request.method === 'GET') decision.drop = false;
    if (!account) return this.send(response, { status: 401, body: format.body(401, 'unauthorized', 'Invalid or expired token') });
    if (decision.failWith && !decision.drop) return this.send(response, this.failure(format, decision.failWith));
    let answer: Answer;
    try {
      answer = await work(account);
    } catch (error) {
      if (error instanceof ContentRefused) {
        return this.send(response, { status: format.invalidStatus, body: format.body(format.invalidStatus, 'invalid', error.message) });
      }
      throw error;
    }
    if (decision.drop) {
      // The ambiguous case: the network acted, the caller never hears of it.
      response.raw.socket?.destroy();
      return;
    }
    this.send(response, answer);
  }

  /** Throws `ContentRefused` when the network's own limits refuse the text or media (see content-rules). */
  checkContent(network: MockNetwork, text: string, media: MockMedia[]): void {
    const refusal = refusalOf(network, text, media);
    if (refusal) throw new ContentRefused(refusal);
  }

  /** The oauth-like token endpoint every network has: a token bound to (network, handle). */
  issueToken(network: MockNetwork, request: FastifyRequest, response: FastifyReply): void {
    const handle = (request.body as { handle?: unknown } | undefined)?.handle;
    if (typeof handle !== 'string' || handle.length === 0 || handle.length > 200) {
      this.send(response, { status: 400, body: { error: 'invalid_request', error_description: 'handle is required' } });
      return;
    }
    this.send(response, { status: 200, body: { access_token: this.store.issueToken({ network, handle }), token_type: 'bearer', scope: 'write' } });
  }

  private failure(format: ErrorFormat, failWith: { status: number; retryAfter?: number; message?: string }): Answer {
    if (failWith.status === 429) {
      const retryAfter = String(failWith.retryAfter ?? 1);
      return {
        status: 429,
        body: format.body(429, 'rate_limited', failWith.message ?? 'Too Many Requests'),
        headers: { 'Retry-After': retryAfter, 'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + Number(retryAfter)) },
      };
    }
    return { status: failWith.status, body: format.body(failWith.status, 'server_error', failWith.message ?? 'The service is temporarily unavailable') };
  }

  private send(response: FastifyReply, answer: Answer): void {
    response.status(answer.status).headers(answer.headers ?? {});
    if (answer.body === undefined) response.send();
    else response.send(answer.body);
  }
}

export class ContentRefused extends Error {}

/** A request header as one string (the first, if sent twice). */
export function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The query string's parameters (Fastify types them as unknown). */
export function queryOf(request: FastifyRequest): Record<string, string | undefined> {
  return (request.query ?? {}) as Record<string, string | undefined>;
}

/** Media given by URL, with alt text, the way each network's simplified upload takes it. */
export function parseMediaUrls(value: unknown): MockMedia[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((item): item is { url: string; alt?: string } => typeof item === 'object' && item !== null && typeof (item as { url?: unknown }).url === 'string')
    .map((item) => ({ url: item.url, ...(typeof item.alt === 'string' ? { alt: item.alt } : {}) }));
}
