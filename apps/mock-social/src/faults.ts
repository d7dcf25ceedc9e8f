/**
 * The fault rules of `PUT /_mock/faults` and the decision they make for
 * each API call: latency, failures in the network's own format, a dropped
 * connection after the work is done; and, once when the rule is added,
 * tokens revoked (`revokeToken`) or counted expired (`expireTokens`), and
 * consent refused from then on (`denyConsent`). A rule may name a network,
 * one Mastodon instance (`instance`, its name as `/_mock/networks` lists
 * it), an account (`handle`), or any combination.
 */
import { randomUUID } from 'node:crypto';
import { TokenStore } from './auth/tokens';

export interface FaultRule {
  id: string;
  network?: string;
  /** A Mastodon instance's name ("one", "two"): only that instance's calls. */
  instance?: string;
  handle?: string;
  failRate: number;
  /** 400, 403, 422: the network refuses the call for good (with `textContains`, a post it will not take); 429, 500, 503: it cannot take it now. */
  status?: 400 | 403 | 422 | 429 | 500 | 503;
  retryAfter?: number;
  latencyMs?: number;
  revokeToken?: boolean;
  dropAfterAccept?: boolean;
  denyConsent?: boolean;
  expireTokens?: boolean;
  /** The error message a failure answers with (in the network's own error format), instead of the usual one. */
  message?: string;
  /** Only calls whose path (without the query) ends with this, e.g. `/2/tweets`: the others of the account go through. */
  path?: string;
  /** Only calls of this method (YouTube's upload session is opened by a POST and fed by PUTs at one path). */
  method?: 'POST' | 'PUT' | 'DELETE';
  /** Only calls whose body contains this text (a post's text, say): a network refusing one post of a thread. */
  textContains?: string;
  /** Fails this many matching calls, then no more (unset: every one, at `failRate`). */
  times?: number;
}

export type FaultInput = Omit<FaultRule, 'id' | 'failRate'> & { failRate?: number };

/** Whose call it is: the network, the Mastodon instance, the account (when the call names one). */
export interface CallScope {
  network: string;
  instance?: string;
  handle?: string;
  /** The call's path, without the query. */
  path?: string;
  method?: string;
  /** The call's body as text (JSON), for `textContains`. */
  body?: string;
}

/** What a network endpoint must do with one call. */
export interface FaultDecision {
  /** Answer this status (in the network's own error format) instead of doing the work. */
  failWith?: { status: number; retryAfter?: number; message?: string };
  /** Do the work, then close the connection without answering. */
  drop: boolean;
}

export class Faults {
  private rules: FaultRule[] = [];

  /** `instanceUrlOf` names a Mastodon instance's URL (its tokens are kept by URL). */
  constructor(
    private readonly tokens: TokenStore,
    private readonly instanceUrlOf: (instance: string) => string | undefined = () => undefined,
  ) {}

  add(input: FaultInput): FaultRule {
    const rule: FaultRule = { ...input, failRate: input.failRate ?? 1, id: randomUUID() };
    const tokens = { network: rule.instance ? 'mastodon' : rule.network, handle: rule.handle, ...(rule.instance ? { instanceUrl: this.instanceUrlOf(rule.instance) ?? `(instance ${rule.instance})` } : {}) };
    if (rule.revokeToken) this.tokens.revokeMatching(tokens);
    if (rule.expireTokens) this.tokens.expireMatching(tokens);
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return this.rules;
  }

  clear(): void {
    this.rules = [];
  }

  /** Applies latency, then picks the outcome of one call for this account. */
  async decide(scope: CallScope, random: () => number = Math.random): Promise<FaultDecision> {
    const decision: FaultDecision = { drop: false };
    if (this.rules.length === 0) return decision;
    const matching = this.matching(scope);
    const latency = matching.reduce((total, rule) => total + (rule.latencyMs ?? 0), 0);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    for (const rule of matching) {
      if (rule.status === undefined && !rule.dropAfterAccept) continue;
      if (rule.times !== undefined && rule.times <= 0) continue;
      if (random() >= rule.failRate) continue;
      if (rule.times !== undefined) rule.times -= 1;
      if (rule.status !== undefined && !decision.failWith) decision.failWith = { status: rule.status, retryAfter: rule.retryAfter, message: rule.message };
      if (rule.dropAfterAccept) decision.drop = true;
    }
    return decision;
  }

  /** Whether a `denyConsent` rule refuses this consent (the handle is the `login_hint`, when given). */
  deniesConsent(scope: CallScope, random: () => number = Math.random): boolean {
    return this.matching(scope).some((rule) => rule.denyConsent && random() < rule.failRate);
  }

  private matching({ network, instance, handle, path, method, body }: CallScope): FaultRule[] {
    return this.rules.filter(
      (rule) =>
        (!rule.network || rule.network === network) &&
        (!rule.instance || (network === 'mastodon' && rule.instance === instance)) &&
        (!rule.handle || rule.handle === handle) &&
        (!rule.path || (path ?? '').endsWith(rule.path)) &&
        (!rule.method || rule.method === method) &&
        (!rule.textContains || (body ?? '').includes(rule.textContains)),
    );
  }
}
