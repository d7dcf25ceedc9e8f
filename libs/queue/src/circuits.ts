/**
 * A circuit breaker per network host (one Mastodon instance, one Bluesky
 * PDS, one network's API elsewhere), its state in Redis so every worker
 * shares it. Each transition is one Lua script (atomic, on Redis's clock);
 * what the counts mean (down, degraded, reopen, close) is decided by the
 * pure rules in circuit-verdict.ts, whose thresholds the scripts are handed:
 *
 * - closed: calls go; each outcome is appended to the host's last
 *   `windowCalls` outcomes. When the window says the host is down (see
 *   judgeWindow), it opens. When it says degraded (failing some calls, not
 *   down), calls still go, at most `recoveryPerSecond` a second, and the
 *   caller is told so (its retry comes back within seconds).
 * - open: no call goes until its cool-off ends; then up to `halfOpenProbes`
 *   callers are let through as probes (half-open), each admitted by the
 *   script, so workers sharing Redis never let more through.
 * - half-open: the probes' outcomes decide (see judgeProbes): enough
 *   successes close it; enough failures open it again, with the cool-off
 *   doubled (up to `maxCooloffMs`) and a single probe next time only when
 *   none succeeded (the host is still down). Probes whose workers died are
 *   replaced after `probeTtlMs`.
 * - recovering (closed, just after an outage): at most `recoveryPerSecond`
 *   calls a second for `recoveryMs`, so the deliveries that waited do not
 *   come back as a thundering herd.
 *
 * Redis may be lost at any time: the breaker then starts closed, which is
 * what it would be without one.
 *
 * Its keys are under the queue prefix itself, beside the channel budgets the
 * admission reads: on a Redis Cluster one slot (the prefix's hash tag), so
 * each script's two keys never cross slots, whichever publish shard the
 * caller's delivery came from (a host's breaker is shared by the channels of
 * every shard). It talks through the reconcile queue's client, which is
 * under that prefix too.
 */
import { Injectable, Inject } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { HERALD_CONFIG, HeraldConfig, CircuitSettings } from '@herald/config';
import { QUEUES } from './queue-names';
import { DEGRADED_FAILURES, HostHealth, downThresholds, failuresToReopen } from './circuit-verdict';

export type CircuitState = 'closed' | 'open' | 'half_open';

/** What one caller may do now. */
export type Admission =
  | { kind: 'go'; probe: boolean }
  /** Not now: the host is down (`open`, with since when), being eased back (`paced`) or failing some calls (`degraded`, with since when). */
  | { kind: 'wait'; until: Date; why: 'open' | 'paced' | 'degraded' | 'budget'; since: Date | null; failures: number; ticket?: number };

/** A change of state one recorded outcome caused: announced once, by the caller that caused it. */
export type Transition =
  | { kind: 'opened'; failures: number; cooloffMs: number }
  | { kind: 'closed'; downSince: Date | null }
  /** `backedOff`: no probe succeeded, the cool-off doubled. */
  | { kind: 'reopened'; cooloffMs: number; backedOff: boolean }
  /** No change, and the host's whole window of calls succeeded: another success changes nothing it holds. */
  | { kind: 'clean' }
  | null;

export interface CircuitView {
  key: string;
  network: string;
  host: string;
  state: CircuitState;
  since: string | null;
  /** Failed calls among the last judged (closed), or since it opened (open, half-open). */
  failures: number;
  /** When the next probe may go (open). */
  probeAt: string | null;
  /** While closed after an outage: until when calls are paced. */
  recoveringUntil: string | null;
  /** While closed and failing some calls (degraded, not down): since when; its calls are paced. */
  degradedSince: string | null;
}

/** One recorded outcome's consequences: the change it caused, if any, and how the host is now. */
export interface Recorded {
  transition: Transition;
  /** `down` while the breaker is open or half-open. */
  health: HostHealth;
}

const NOW = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS: the host's hash, the caller's channel budget (a reset time while it
 * is spent: the caller waits for it first).
 * ARGV: probeTtlMs, spacingMs (1000 / recoveryPerSecond), cooloffMs, the
 * time the caller was handed when it was turned away (0: none; it goes then),
 * its ticket (0: none), and halfOpenProbes.
 *
 * A caller turned away while the host is down takes a ticket, once per
 * outage, in the order callers come (so in due-time order), and is handed the
 * time `cool-off end + (ticket - first ticket) x spacingMs`: however often the
 * probes fail and it comes back, it keeps its place, and when the host is
 * back the waiting calls go one `spacingMs` apart, in ticket order (the
 * recovery rate, no herd). While recovering or degraded, newcomers take the
 * next free slot behind them.
 *
 * Half-open, each probe is counted here as it is let through (`probes_out`),
 * so however many workers ask at once, no more than the episode's quota go.
 */
const ADMIT = `${NOW}
local h = KEYS[1]
local budget = tonumber(redis.call('GET', KEYS[2]) or '0')
if budget > now then return {'budget', tostring(budget), '', '0'} end
local spacing = tonumber(ARGV[2])
local state = redis.call('HGET', h, 'state')
local held = tonumber(ARGV[4])
if not state or state == 'closed' then
  if held > 0 and now >= held - spacing then return {'go', '', '', '0'} end
  local rec = tonumber(redis.call('HGET', h, 'recovering_until') or '0')
  local degraded = redis.call('HGET', h, 'degraded') == '1'
  if rec > now or degraded then
    local slot = math.max(now, tonumber(redis.call('HGET', h, 'pace_next') or '0'))
    redis.call('HSET', h, 'pace_next', slot + spacing)
    if slot - now >= spacing then
      if rec > now then return {'paced', tostring(slot), '', '0'} end
      local _, zeros = string.gsub(redis.call('HGET', h, 'outcomes') or '', '0', '')
      return {'degraded', tostring(slot), redis.call('HGET', h, 'degraded_since') or '', tostring(zeros)}
    end
  end
  return {'go', '', '', '0'}
end
local since = redis.call('HGET', h, 'since') or ''
local failures = redis.call('HGET', h, 'failures') or '0'
local untilAt = 0
if state == 'open' then
  untilAt = tonumber(redis.call('HGET', h, 'until') or '0')
else
  local quota = tonumber(redis.call('HGET', h, 'probe_quota') or ARGV[6])
  local out = tonumber(redis.call('HGET', h, 'probes_out') or '0')
  if out >= quota and now >= tonumber(redis.call('HGET', h, 'probe_until') or '0') then
    -- The episode's probes went quiet (their workers died): it starts again.
    redis.call('HSET', h, 'probes_out', 0, 'probe_ok', 0, 'probe_fail', 0)
    out = 0
  end
  if out < quota then
    redis.call('HSET', h, 'probes_out', out + 1, 'probe_until', now + tonumber(ARGV[1]))
    return {'probe', '', since, failures}
  end
  untilAt = now + math.min(tonumber(ARGV[1]), tonumber(ARGV[3]))
end
if now < untilAt then
  local base = tonumber(redis.call('HGET', h, 'ticket_base') or '-1')
  if base < 0 then
    base = tonumber(redis.call('HGET', h, 'tickets') or '0')
    redis.call('HSET', h, 'ticket_base', base)
  end
  local ticket = tonumber(ARGV[5])
  if ticket <= base then ticket = redis.call('HINCRBY', h, 'tickets', 1) end
  local slot = untilAt + (ticket - base) * spacing
  if slot > tonumber(redis.call('HGET', h, 'wait_tail') or '0') then redis.call('HSET', h, 'wait_tail', slot) end
  return {'open', tostring(slot), since, failures, tostring(ticket)}
end
redis.call('HSET', h, 'state', 'half_open', 'probe_until', now + tonumber(ARGV[1]), 'probes_out', 1, 'probe_ok', 0, 'probe_fail', 0, 'waiters', 0)
return {'probe', '', since, failures}`;

/**
 * ARGV: ok (1/0), probe (1/0), windowCalls, the down thresholds (failures
 * that make a window of n calls down, for n = 0..windowCalls, comma
 * separated), the failures that make it degraded, cooloffMs, maxCooloffMs,
 * recoveryMs, network, host, ttlMs, halfOpenProbes, and the failed probes
 * that reopen an episode of q probes (q = 1..halfOpenProbes, comma separated).
 * Answers the transition, its two figures, and the host's health after it.
 */
const RECORD = `${NOW}
local function nth(list, i)
  local k = 0
  for value in string.gmatch(list, '[^,]+') do
    k = k + 1
    if k == i then return tonumber(value) end
  end
  return math.huge
end
local h = KEYS[1]
local ok = ARGV[1] == '1'
local state = redis.call('HGET', h, 'state') or 'closed'
redis.call('SADD', KEYS[2], h)
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[11]))
redis.call('HSET', h, 'network', ARGV[9], 'host', ARGV[10])
redis.call('PEXPIRE', h, tonumber(ARGV[11]))
if state == 'open' then return {'none', '', '', 'down'} end
if state == 'half_open' then
  if ARGV[2] ~= '1' then return {'none', '', '', 'down'} end
  local succeeded = redis.call('HINCRBY', h, 'probe_ok', ok and 1 or 0)
  local failed = redis.call('HINCRBY', h, 'probe_fail', ok and 0 or 1)
  if not ok then redis.call('HINCRBY', h, 'failures', 1) end
  local quota = tonumber(redis.call('HGET', h, 'probe_quota') or ARGV[12])
  local reopenAt = nth(ARGV[13], quota)
  if failed >= reopenAt then
    local cooloff = tonumber(redis.call('HGET', h, 'cooloff') or ARGV[6])
    local backOff = succeeded == 0
    if backOff then cooloff = math.min(cooloff * 2, tonumber(ARGV[7])) end
    redis.call('HSET', h, 'state', 'open', 'until', now + cooloff, 'cooloff', cooloff, 'probe_until', 0, 'probes_out', 0, 'probe_ok', 0, 'probe_fail', 0, 'probe_quota', backOff and 1 or tonumber(ARGV[12]), 'waiters', 0)
    return {'reopened', tostring(cooloff), backOff and '1' or '0', 'down'}
  end
  if succeeded > quota - reopenAt then
    local downSince = redis.call('HGET', h, 'since') or ''
    redis.call('HSET', h, 'state', 'closed', 'since', now, 'outcomes', '', 'failures', 0, 'degraded', 0, 'recovering_until', now + tonumber(ARGV[8]), 'pace_next', math.max(now, tonumber(redis.call('HGET', h, 'wait_tail') or '0')), 'waiters', 0, 'wait_tail', 0)
    redis.call('HDEL', h, 'until', 'probe_until', 'cooloff', 'ticket_base', 'probes_out', 'probe_ok', 'probe_fail', 'probe_quota', 'degraded_since')
    return {'closed', downSince, '', 'healthy'}
  end
  return {'none', '', '', 'down'}
end
local outcomes = (redis.call('HGET', h, 'outcomes') or '') .. (ok and '1' or '0')
local window = tonumber(ARGV[3])
if #outcomes > window then outcomes = string.sub(outcomes, -window) end
local _, zeros = string.gsub(outcomes, '0', '')
if zeros >= nth(ARGV[4], #outcomes + 1) then
  local cooloff = tonumber(ARGV[6])
  redis.call('HSET', h, 'state', 'open', 'since', now, 'until', now + cooloff, 'cooloff', cooloff, 'failures', zeros, 'outcomes', '', 'recovering_until', 0, 'waiters', 0, 'degraded', 0, 'probe_quota', tonumber(ARGV[12]), 'probes_out', 0, 'probe_ok', 0, 'probe_fail', 0)
  redis.call('HDEL', h, 'degraded_since')
  return {'opened', tostring(cooloff), tostring(zeros), 'down'}
end
redis.call('HSET', h, 'outcomes', outcomes)
if redis.call('HEXISTS', h, 'since') == 0 then redis.call('HSET', h, 'state', 'closed', 'since', now) end
local degraded = zeros >= tonumber(ARGV[5])
if degraded then
  if redis.call('HGET', h, 'degraded') ~= '1' then redis.call('HSET', h, 'degraded', 1, 'degraded_since', now) end
  return {'none', '', '', 'degraded'}
end
if redis.call('HGET', h, 'degraded') == '1' then
  redis.call('HSET', h, 'degraded', 0)
  redis.call('HDEL', h, 'degraded_since')
end
if zeros == 0 and #outcomes >= window then return {'clean', '', '', 'healthy'} end
return {'none', '', '', 'healthy'}`;

/** How long a host's state is kept after its last call. */
const STATE_TTL_MS = 7 * 86_400_000;

/** BullMQ's client of its Redis (ioredis, or another adapter), with the scripts defined on it. */
type Client = Awaited<ReturnType<Queue['getBackend']>['client']>;

@Injectable()
export class NetworkCircuits {
  private readonly settings: CircuitSettings;
  private readonly prefix: string;
  private scripted?: Promise<Client>;
  /** The pure rules' thresholds, as the record script takes them. */
  private readonly downAt: string;
  private readonly reopenAt: string;

  constructor(
    @InjectQueue(QUEUES.reconcile) private readonly queue: Queue,
    @Inject(HERALD_CONFIG) config: HeraldConfig,
  ) {
    this.settings = config.circuit;
    this.prefix = `${config.queuePrefix}:circuit`;
    const { windowCalls, minCalls, failureRatio, halfOpenProbes } = this.settings;
    this.downAt = downThresholds(windowCalls, { minCalls, failureRatio }).join(',');
    this.reopenAt = Array.from({ length: halfOpenProbes }, (_, index) => failuresToReopen(index + 1, failureRatio)).join(',');
  }

  /** The breaker a call belongs to: a network and the host it is sent to. */
  static keyOf(network: string, host: string): string {
    return `${network}|${host}`;
  }

  /**
   * Whether a call to this host may go now. `probeTtlMs`: how long a probe is
   * waited for before another replaces it; `held`: the time and ticket this
   * caller was handed when it was last turned away (it goes at that time,
   * ahead of newcomers, and keeps its place in the queue).
   */
  async admit(key: string, probeTtlMs: number, held: { slot: Date; ticket?: number } | null = null, budgetKey = `${this.prefix}:-`): Promise<Admission> {
    const [kind, until, since, failures, ticket] = (await (await this.redis()).runCommand('heraldCircuitAdmit', [
      this.hashKey(key),
      budgetKey,
      probeTtlMs,
      1000 / this.settings.recoveryPerSecond,
      this.settings.cooloffMs,
      held?.slot.getTime() ?? 0,
      held?.ticket ?? 0,
      this.settings.halfOpenProbes,
    ])) as string[];
    if (kind === 'go') return { kind: 'go', probe: false };
    if (kind === 'probe') return { kind: 'go', probe: true };
    return {
      kind: 'wait',
      until: new Date(Number(until)),
      why: kind === 'paced' || kind === 'degraded' || kind === 'budget' ? kind : 'open',
      since: since ? new Date(Number(since)) : null,
      failures: Number(failures),
      ...(ticket ? { ticket: Number(ticket) } : {}),
    };
  }

  /** Records one call's outcome for its host: `ok` false only for the host's own failures (5xx, timeouts, refused connections). */
  async record(key: string, ok: boolean, probe: boolean): Promise<Recorded> {
    const [network, host] = splitKey(key);
    const s = this.settings;
    const [kind, a, b, health] = (await (await this.redis()).runCommand('heraldCircuitRecord', [
      this.hashKey(key),
      `${this.prefix}s`,
      ok ? 1 : 0,
      probe ? 1 : 0,
      s.windowCalls,
      this.downAt,
      DEGRADED_FAILURES,
      s.cooloffMs,
      s.maxCooloffMs,
      s.recoveryMs,
      network,
      host,
      STATE_TTL_MS,
      s.halfOpenProbes,
      this.reopenAt,
    ])) as string[];
    return { transition: transitionOf(kind, a, b), health: (health as HostHealth | undefined) ?? 'healthy' };
  }

  /**
   * Until when work that must never compete with publishing (metrics reads)
   * stays away from this host: while its breaker is open or probing, while
   * calls to it are eased back after an outage, while it is degraded. Null:
   * the host is quiet, go. Takes no slot and no probe, changes nothing.
   */
  async busyUntil(key: string): Promise<Date | null> {
    const row = await (await this.redis()).hgetall(this.hashKey(key));
    const now = Date.now();
    const state = (row?.state as CircuitState | undefined) ?? 'closed';
    if (state !== 'closed') return new Date(Math.max(Number(row?.until ?? 0), now + this.settings.cooloffMs));
    const recovering = Number(row?.recovering_until ?? 0);
    if (recovering > now) return new Date(recovering);
    if (row?.degraded === '1') return new Date(now + this.settings.cooloffMs);
    return null;
  }

  /** Every host seen in the last week, as operators see them. */
  async list(): Promise<CircuitView[]> {
    const redis = await this.redis();
    const keys = await redis.smembers(`${this.prefix}s`);
    const rows = await Promise.all(keys.map((key) => redis.hgetall(key)));
    const views: CircuitView[] = [];
    rows.forEach((row, index) => {
      if (!row || !row.network) return;
      const state = (row.state as CircuitState | undefined) ?? 'closed';
      const iso = (field: string | undefined) => (field && Number(field) > 0 ? new Date(Number(field)).toISOString() : null);
      const recovering = Number(row.recovering_until ?? 0);
      views.push({
        key: keys[index]!.slice(this.prefix.length + 1),
        network: row.network,
        host: row.host ?? '',
        state,
        since: iso(row.since),
        failures: state === 'closed' ? (row.outcomes ?? '').split('').filter((outcome) => outcome === '0').length : Number(row.failures ?? 0),
        probeAt: state === 'open' ? iso(row.until) : null,
        recoveringUntil: state === 'closed' && recovering > Date.now() ? iso(row.recovering_until) : null,
        degradedSince: state === 'closed' && row.degraded === '1' ? iso(row.degraded_since) : null,
      });
    });
    return views.sort((a, b) => a.key.localeCompare(b.key));
  }

  private hashKey(key: string): string {
    return `${this.prefix}:${key}`;
  }

  private redis(): Promise<Client> {
    this.scripted ??= Promise.resolve(this.queue.getBackend().client).then((client) => {
      client.defineCommand('heraldCircuitAdmit', { numberOfKeys: 2, lua: ADMIT });
      client.defineCommand('heraldCircuitRecord', { numberOfKeys: 2, lua: RECORD });
      return client;
    });
    return this.scripted;
  }
}

function transitionOf(kind: string | undefined, a: string | undefined, b: string | undefined): Transition {
  if (kind === 'opened') return { kind: 'opened', cooloffMs: Number(a), failures: Number(b) };
  if (kind === 'reopened') return { kind: 'reopened', cooloffMs: Number(a), backedOff: b === '1' };
  if (kind === 'closed') return { kind: 'closed', downSince: a ? new Date(Number(a)) : null };
  if (kind === 'clean') return { kind: 'clean' };
  return null;
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf('|');
  return at < 0 ? [key, ''] : [key.slice(0, at), key.slice(at + 1)];
}
