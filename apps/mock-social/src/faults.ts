import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MockStore } from './store';

/** One fault rule of `PUT /_mock/faults`. */
export interface FaultRule {
  id: string;
  network?: string;
  handle?: string;
  failRate: number;
  status?: 429 | 500 | 503;
  retryAfter?: number;
  latencyMs?: number;
  revokeToken?: boolean;
  dropAfterAccept?: boolean;
  /** The error message a failure answers with (in the network's own error format), instead of the usual one. */
  message?: string;
}

/** What a network endpoint must do with one call. */
export interface FaultDecision {
  /** Answer this status (in the network's own error format) instead of doing the work. */
  failWith?: { status: number; retryAfter?: number; message?: string };
  /** Do the work, then close the connection without answering. */
  drop: boolean;
}

/** The fault rules, and the decision for each publishing or lookup call. */
@Injectable()
export class Faults {
  private rules: FaultRule[] = [];

  constructor(private readonly store: MockStore) {}

  add(input: Omit<FaultRule, 'id' | 'failRate'> & { failRate?: number }): FaultRule {
    const rule: FaultRule = { ...input, failRate: input.failRate ?? 1, id: randomUUID() };
    if (rule.revokeToken) this.store.revokeTokens(rule.network, rule.handle);
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
  async decide(network: string, handle: string | undefined, random: () => number = Math.random): Promise<FaultDecision> {
    const matching = this.rules.filter((rule) => (!rule.network || rule.network === network) && (!rule.handle || rule.handle === handle));
    const latency = matching.reduce((total, rule) => total + (rule.latencyMs ?? 0), 0);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const decision: FaultDecision = { drop: false };
    for (const rule of matching) {
      if (rule.status === undefined && !rule.dropAfterAccept) continue;
      if (random() >= rule.failRate) continue;
      if (rule.status !== undefined && !decision.failWith) decision.failWith = { status: rule.status, retryAfter: rule.retryAfter, message: rule.message };
      if (rule.dropAfterAccept) decision.drop = true;
    }
    return decision;
  }
}
