/**
 * Rate-limit budgets: the networks' documented defaults (default-budgets.ts,
 * their limits times a scale: 1 as documented, 0 none), and the test rules
 * of `PUT /_mock/ratelimits`, which replace the defaults for the accounts
 * they name. A rule is a fixed window per
 * account (per network; per instance on Mastodon) of `limit` calls. The
 * window starts at the account's first call after the rule is set and
 * lasts `windowSeconds`; each call takes one from `remaining`; a call when
 * nothing remains is refused (the network's 429) until the window ends, and
 * the first call after that starts a new, whole window. A rule may start
 * the first window part spent (`remaining`) and ending at a given time
 * (`resetInSeconds` from when the rule is set), so a test can say "one call
 * left, reset in 3 s".
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_BUDGETS, DefaultBudget, pointsOf } from './default-budgets';
import { CallScope } from './faults';

export interface RateLimitInput {
  network: string;
  /** A Mastodon instance's name ("one", "two"); without it, each instance's accounts have windows of their own. */
  instance?: string;
  /** One account; without it, every account of the network (or instance), each with its own window. */
  handle?: string;
  limit: number;
  windowSeconds: number;
  /** What the first window starts with (default: `limit`). */
  remaining?: number;
  /** When the first window ends, in seconds from when the rule is set (default: `windowSeconds` after the first call). */
  resetInSeconds?: number;
}

export interface RateLimitRule extends RateLimitInput {
  id: string;
  /** When the rule was set (ISO 8601). */
  setAt: string;
}

/** One account's window under a rule, as `GET /_mock/ratelimits` shows it. */
export interface RateLimitWindow {
  handle: string;
  instance?: string;
  remaining: number;
  /** When the window ends (ISO 8601). */
  resetAt: string;
}

/** What a budget says of one call: allowed or not, and what the network's headers must tell. */
export interface RateLimitVerdict {
  allowed: boolean;
  limit: number;
  /** Left after this call. */
  remaining: number;
  resetAtMs: number;
  windowSeconds: number;
  /** Whole seconds until the window ends (at least 1), for `Retry-After`. */
  retryAfterSeconds: number;
  /** A test's rule, or the network's documented default. */
  source: 'rule' | 'default';
}

/** A call as the defaults count it: its method and route (`/2/tweets/:id`, as the mock declares it). */
export interface BudgetedCall {
  method: string;
  route: string;
}

interface Window {
  handle: string;
  instance?: string;
  remaining: number;
  resetAtMs: number;
}

interface Budget {
  rule: RateLimitRule;
  setAtMs: number;
  windows: Map<string, Window>;
}

export class RateLimits {
  private budgets: Budget[] = [];
  /** The defaults' windows, by network, instance, account and budget. */
  private defaultWindows = new Map<string, Window>();
  private scale: number;

  /** `scale`: the defaults' limits times this (MOCK_RATE_LIMIT_SCALE; 0: no defaults). */
  constructor(private readonly configuredScale = 1) {
    this.scale = configuredScale;
  }

  /** Scales the defaults (their windows start afresh). */
  setScale(scale: number): void {
    this.scale = scale;
    this.defaultWindows.clear();
  }

  /** The defaults as they apply now: each budget's limit scaled, and the scale. */
  defaults(): { scale: number; data: DefaultBudget[] } {
    return { scale: this.scale, data: this.scale > 0 ? DEFAULT_BUDGETS.map((budget) => ({ ...budget, limit: this.scaled(budget.limit) })) : [] };
  }

  /** Sets a rule; one for the same network, instance and handle is replaced (its windows start afresh). */
  set(input: RateLimitInput, now = Date.now()): RateLimitRule {
    const rule: RateLimitRule = {
      id: randomUUID(),
      network: input.network,
      ...(input.instance !== undefined ? { instance: input.instance } : {}),
      ...(input.handle !== undefined ? { handle: input.handle } : {}),
      limit: input.limit,
      windowSeconds: input.windowSeconds,
      ...(input.remaining !== undefined ? { remaining: input.remaining } : {}),
      ...(input.resetInSeconds !== undefined ? { resetInSeconds: input.resetInSeconds } : {}),
      setAt: new Date(now).toISOString(),
    };
    this.budgets = this.budgets.filter((budget) => !sameScope(budget.rule, rule));
    this.budgets.push({ rule, setAtMs: now, windows: new Map() });
    return rule;
  }

  /** Every rule with the windows its accounts are in. */
  list(now = Date.now()): (RateLimitRule & { windows: RateLimitWindow[] })[] {
    return this.budgets.map((budget) => ({
      ...budget.rule,
      windows: [...budget.windows.values()]
        .filter((window) => now < window.resetAtMs)
        .map((window) => ({ handle: window.handle, ...(window.instance ? { instance: window.instance } : {}), remaining: window.remaining, resetAt: new Date(window.resetAtMs).toISOString() })),
    }));
  }

  /** Every rule gone, the defaults back to their configured scale, every window afresh. */
  clear(): void {
    this.budgets = [];
    this.setScale(this.configuredScale);
  }

  /**
   * Takes one call from the account's budget: a test rule's when one names
   * the account, else the network's defaults that count this call (undefined
   * when none does).
   */
  take(scope: CallScope & { handle: string }, now = Date.now(), call?: BudgetedCall): RateLimitVerdict | undefined {
    const budget = this.ruleFor(scope);
    if (!budget) return call ? this.takeDefault(scope, call, now) : undefined;
    const { rule } = budget;
    const key = `${scope.instance ?? ''}|${scope.handle}`;
    let window = budget.windows.get(key);
    if (!window || now >= window.resetAtMs) {
      const first = !window;
      const firstEnds = rule.resetInSeconds !== undefined ? budget.setAtMs + rule.resetInSeconds * 1000 : undefined;
      // The rule's own start (remaining, reset) applies to the account's first window, unless that window is already over.
      const fromRule = first && (firstEnds === undefined || now < firstEnds);
      window = {
        handle: scope.handle,
        ...(scope.instance ? { instance: scope.instance } : {}),
        remaining: fromRule ? (rule.remaining ?? rule.limit) : rule.limit,
        resetAtMs: fromRule && firstEnds !== undefined ? firstEnds : now + rule.windowSeconds * 1000,
      };
      budget.windows.set(key, window);
    }
    const allowed = window.remaining > 0;
    if (allowed) window.remaining -= 1;
    return {
      allowed,
      limit: rule.limit,
      remaining: window.remaining,
      resetAtMs: window.resetAtMs,
      windowSeconds: rule.windowSeconds,
      retryAfterSeconds: Math.max(1, Math.ceil((window.resetAtMs - now) / 1000)),
      source: 'rule',
    };
  }

  /** The network's defaults for this call: refused when one has too few points left, else each takes its points; the verdict is the one closest to running out. */
  private takeDefault(scope: CallScope & { handle: string }, call: BudgetedCall, now: number): RateLimitVerdict | undefined {
    if (this.scale <= 0) return undefined;
    const counted = DEFAULT_BUDGETS.flatMap((budget) => {
      const points = budget.network === scope.network ? pointsOf(budget, call) : 0;
      if (points === 0) return [];
      const key = `${scope.network}|${scope.instance ?? ''}|${scope.handle}|${budget.name}`;
      const limit = this.scaled(budget.limit);
      let window = this.defaultWindows.get(key);
      if (!window || now >= window.resetAtMs) {
        window = { handle: scope.handle, ...(scope.instance ? { instance: scope.instance } : {}), remaining: limit, resetAtMs: now + budget.windowSeconds * 1000 };
        this.defaultWindows.set(key, window);
      }
      return [{ budget, limit, points, window }];
    });
    if (counted.length === 0) return undefined;
    const verdict = ({ budget, limit, window }: (typeof counted)[number], allowed: boolean): RateLimitVerdict => ({
      allowed,
      limit,
      remaining: allowed ? window.remaining : 0,
      resetAtMs: window.resetAtMs,
      windowSeconds: budget.windowSeconds,
      retryAfterSeconds: Math.max(1, Math.ceil((window.resetAtMs - now) / 1000)),
      source: 'default',
    });
    const short = counted.find((entry) => entry.window.remaining < entry.points);
    if (short) return verdict(short, false);
    for (const entry of counted) entry.window.remaining -= entry.points;
    const tightest = counted.reduce((low, entry) => (entry.window.remaining < low.window.remaining ? entry : low));
    return verdict(tightest, true);
  }

  private scaled(limit: number): number {
    return Math.max(1, Math.round(limit * this.scale));
  }

  /** The most specific rule for the account: by handle and instance, then handle, then instance, then the network's. */
  private ruleFor(scope: CallScope): Budget | undefined {
    let best: Budget | undefined;
    let bestScore = -1;
    for (const budget of this.budgets) {
      const { rule } = budget;
      if (rule.network !== scope.network) continue;
      if (rule.instance !== undefined && rule.instance !== scope.instance) continue;
      if (rule.handle !== undefined && rule.handle !== scope.handle) continue;
      const score = (rule.handle !== undefined ? 2 : 0) + (rule.instance !== undefined ? 1 : 0);
      if (score > bestScore) {
        best = budget;
        bestScore = score;
      }
    }
    return best;
  }
}

function sameScope(a: RateLimitInput, b: RateLimitInput): boolean {
  return a.network === b.network && a.instance === b.instance && a.handle === b.handle;
}
