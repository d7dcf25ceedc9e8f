/**
 * What every network API call goes through around its own work: the
 * network's authentication (its own answers to a missing, expired or
 * revoked token), the account's rate-limit budget (its headers on every
 * answer, the network's 429 once it is spent), the fault rules (latency,
 * failures in the network's error format with its rate-limit headers, a
 * connection dropped after the work is done), and content refused by the
 * network's own rules. It tells the call log whose call it was and why it
 * was answered as it was.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Account } from './accounts';
import { CallLog } from './calls';
import { commentRefusalOf, refusalOf, JudgedMedia } from './content-rules';
import { CallScope, FaultDecision, Faults } from './faults';
import { Answer, send } from './http/answer';
import { ErrorFormat } from './http/server';
import { RateLimits, RateLimitVerdict } from './rate-limits';

/** The account a call acts as, with the scope its token was granted (when it has one). */
export type Principal = Account & { scope?: string };

export type AuthOutcome = { account: Principal } | { refusal: Answer; handle?: string };

/** A network (or one Mastodon instance) as the gate sees it. */
export interface NetworkFace {
  network: string;
  /** The Mastodon instance's name ("one", "two"). */
  instance?: string;
  instanceUrl?: string;
  errors: ErrorFormat;
  /** The account the request's credentials stand for, or the network's answer to bad ones. */
  authenticate(request: FastifyRequest): AuthOutcome;
}

export class ContentRefused extends Error {
  constructor(
    message: string,
    readonly answer?: Answer,
  ) {
    super(message);
  }
}

export class Gate {
  constructor(
    private readonly faults: Faults,
    private readonly rateLimits: RateLimits,
    private readonly calls: CallLog,
  ) {}

  /**
   * Runs an API call: authenticate, apply the faults' latency, refuse a bad
   * token, take the call from the account's budget (429 when spent), apply
   * the faults' failures, do the work. `auth` replaces the face's own
   * authentication (optional auth).
   */
  async run(face: NetworkFace, request: FastifyRequest, reply: FastifyReply, work: (account: Principal) => Answer | Promise<Answer>, auth?: AuthOutcome): Promise<void> {
    const outcome = auth ?? face.authenticate(request);
    const scope: CallScope = {
      network: face.network,
      ...(face.instance ? { instance: face.instance } : {}),
      handle: 'account' in outcome ? outcome.account.handle : outcome.handle,
      path: request.url.split('?')[0],
      method: request.method,
      ...(request.body !== undefined && request.body !== null ? { body: typeof request.body === 'string' ? request.body : Buffer.isBuffer(request.body) ? '' : JSON.stringify(request.body) } : {}),
    };
    this.calls.note(request, { handle: scope.handle });
    const decision: FaultDecision = await this.faults.decide(scope);
    // Only a call that creates something can be accepted and then dropped; reads answer normally.
    if (request.method === 'GET') decision.drop = false;
    if (!('account' in outcome)) return send(reply, outcome.refusal);
    const budget = this.budget(face, scope, outcome.account, request, reply);
    if (budget && !budget.allowed) return;
    if (decision.failWith && !decision.drop) {
      this.calls.note(request, { outcome: 'fault' });
      // A fault's 429 tells its own spent limit, unless a test's rule sets the account's budget; other failures carry the budget's headers as any answer does.
      const keepBudget = budget && (budget.source === 'rule' || decision.failWith.status !== 429);
      return send(reply, withHeaders(failure(face.errors, decision.failWith), keepBudget ? face.errors.rateLimitHeaders(budget) : undefined));
    }
    let answer: Answer;
    try {
      answer = await work(outcome.account);
    } catch (error) {
      if (error instanceof ContentRefused) return send(reply, error.answer ?? { status: face.errors.invalidStatus, body: face.errors.body(face.errors.invalidStatus, 'invalid', error.message) });
      throw error;
    }
    // Accepted: a 2xx, or YouTube's 308 Resume Incomplete (a chunk taken).
    if (decision.drop && answer.status < 400) {
      // The ambiguous case: the network acted, the caller never hears of it.
      this.calls.dropped(request);
      request.raw.socket?.destroy();
      return;
    }
    send(reply, answer);
  }

  /** A call that needs a valid token but no fault applies to (media uploads, container creation); the account's budget does. */
  async authenticated(face: NetworkFace, request: FastifyRequest, reply: FastifyReply, work: (account: Principal) => Answer | Promise<Answer>): Promise<void> {
    const outcome = face.authenticate(request);
    if (!('account' in outcome)) {
      this.calls.note(request, { handle: outcome.handle });
      return send(reply, outcome.refusal);
    }
    this.calls.note(request, { handle: outcome.account.handle });
    const budget = this.budget(face, { network: face.network, ...(face.instance ? { instance: face.instance } : {}) }, outcome.account, request, reply);
    if (budget && !budget.allowed) return;
    try {
      send(reply, await work(outcome.account));
    } catch (error) {
      if (error instanceof ContentRefused) return send(reply, error.answer ?? { status: face.errors.invalidStatus, body: face.errors.body(face.errors.invalidStatus, 'invalid', error.message) });
      throw error;
    }
  }

  /**
   * Takes the call from the account's budget (a test's rule, or the
   * network's documented defaults for this call), when one applies: its headers
   * go on the reply now (so every answer carries them, errors included); a
   * spent budget is answered here with the network's 429.
   */
  private budget(face: NetworkFace, scope: CallScope, account: Principal, request: FastifyRequest, reply: FastifyReply): RateLimitVerdict | undefined {
    // A Bluesky read of a repo the mock does not know names no account: no budget.
    if (!account.handle) return undefined;
    const verdict = this.rateLimits.take({ ...scope, handle: account.handle }, Date.now(), { method: request.method, route: request.routeOptions.url ?? scope.path ?? '' });
    if (!verdict) return undefined;
    const headers = face.errors.rateLimitHeaders(verdict);
    reply.headers(headers);
    if (!verdict.allowed) {
      this.calls.note(request, { outcome: 'ratelimited' });
      send(reply, withHeaders(rateLimited(face.errors, verdict.retryAfterSeconds), headers));
    }
    return verdict;
  }
}

/** Throws `ContentRefused` when the network's own limits refuse the text or media (see content-rules). */
export function checkContent(network: string, text: string, media: JudgedMedia[], overrides: { maxLength?: number } = {}): void {
  const refusal = refusalOf(network, text, media, overrides);
  if (refusal) throw new ContentRefused(refusal);
}

/** Throws `ContentRefused` when the network's own comment limit refuses the text (see content-rules). */
export function checkComment(network: string, text: string): void {
  const refusal = commentRefusalOf(network, text);
  if (refusal) throw new ContentRefused(refusal);
}

/** A fault's failure; a 429 announces the network's usual limit, spent, resetting after `retryAfter` (1 s unless given). */
function failure(format: ErrorFormat, failWith: { status: number; retryAfter?: number; message?: string }): Answer {
  if (failWith.status === 429) {
    const retryAfter = failWith.retryAfter ?? 1;
    const spent = { ...format.usualLimit, remaining: 0, resetAtMs: Date.now() + retryAfter * 1000 };
    return rateLimited(format, retryAfter, failWith.message, format.rateLimitHeaders(spent));
  }
  if (failWith.status < 500) return { status: failWith.status, body: format.body(failWith.status, 'invalid', failWith.message ?? 'The request was refused') };
  return { status: failWith.status, body: format.body(failWith.status, 'server_error', failWith.message ?? 'The service is temporarily unavailable') };
}

/** The network's 429, in its error format, with `Retry-After` in seconds. */
function rateLimited(format: ErrorFormat, retryAfterSeconds: number, message?: string, headers: Record<string, string> = {}): Answer {
  return {
    status: 429,
    body: format.body(429, 'rate_limited', message ?? format.rateLimitedMessage ?? 'Too Many Requests'),
    headers: { 'retry-after': String(retryAfterSeconds), ...headers },
  };
}

/** The answer with these headers over its own (a budget's true values over a fault's usual ones). */
function withHeaders(answer: Answer, headers: Record<string, string> | undefined): Answer {
  return headers ? { ...answer, headers: { ...answer.headers, ...headers } } : answer;
}
