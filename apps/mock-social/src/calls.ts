/**
 * The call log of `GET /_mock/calls`: every request the network origins
 * received (API calls, media uploads, the authorize and token endpoints; the
 * PLC directory's as network "plc"; never the control surface's), with the
 * status actually answered: the fault's or the budget's when one answered
 * instead of the network, 0 when the connection was closed without an
 * answer. Kept in memory, the last 50,000, ordered by arrival.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';

/** Why an answer is not the network's own work: a fault rule's failure, a budget's 429, a connection a fault dropped, the network's posting quota. */
export type CallOutcome = 'fault' | 'ratelimited' | 'dropped' | 'quota';

export interface CallEntry {
  /** When the call arrived (ISO 8601). */
  at: string;
  network: string;
  instance?: string;
  handle?: string;
  method: string;
  /** The path, without the query (Meta's tokens travel in it). */
  path: string;
  /** The status answered; 0 when the connection was closed without one. */
  status: number;
  outcome?: CallOutcome;
}

export interface CallQuery {
  network?: string;
  instance?: string;
  handle?: string;
  path?: string;
  sinceMs?: number;
}

export interface CallCounts {
  count: number;
  byStatus: Record<string, number>;
  byOutcome: Record<string, number>;
  data: CallEntry[];
}

/** Where a call is served: its network (or "plc") and Mastodon instance. */
export interface CallOrigin {
  network: string;
  instance?: string;
}

interface Pending {
  origin: CallOrigin;
  atMs: number;
  handle?: string;
  outcome?: CallOutcome;
  recorded: boolean;
}

type Stored = CallEntry & { atMs: number };

export const CALL_LOG_SIZE = 50_000;

export class CallLog {
  private entries: Stored[] = [];
  private clearedAtMs = -Infinity;
  private pending = new WeakMap<IncomingMessage, Pending>();

  constructor(private readonly size = CALL_LOG_SIZE) {}

  /** Records a call that was answered (or dropped); one that arrived before the last clear is left out. */
  record(entry: Omit<CallEntry, 'at'>, atMs: number): void {
    if (atMs < this.clearedAtMs) return;
    const stored: Stored = { at: new Date(atMs).toISOString(), ...entry, atMs };
    // Answers come back in nearly the order calls arrived; a call held by latency is placed where it arrived.
    let index = this.entries.length;
    while (index > 0 && this.entries[index - 1]!.atMs > atMs) index -= 1;
    if (index === this.entries.length) this.entries.push(stored);
    else this.entries.splice(index, 0, stored);
    // Trimmed in batches, so a full log does not move 50,000 entries at every call; reads see the last `size` only.
    if (this.entries.length > this.size + 1000) this.entries.splice(0, this.entries.length - this.size);
  }

  query(filter: CallQuery = {}): CallCounts {
    const byStatus: Record<string, number> = {};
    const byOutcome: Record<string, number> = {};
    const data: CallEntry[] = [];
    const start = Math.max(0, this.entries.length - this.size);
    for (let index = start; index < this.entries.length; index += 1) {
      const { atMs, ...entry } = this.entries[index]!;
      if (filter.sinceMs !== undefined && atMs < filter.sinceMs) continue;
      if (filter.network !== undefined && entry.network !== filter.network) continue;
      if (filter.instance !== undefined && entry.instance !== filter.instance) continue;
      if (filter.handle !== undefined && entry.handle !== filter.handle) continue;
      if (filter.path !== undefined && entry.path !== filter.path) continue;
      data.push(entry);
      byStatus[entry.status] = (byStatus[entry.status] ?? 0) + 1;
      if (entry.outcome) byOutcome[entry.outcome] = (byOutcome[entry.outcome] ?? 0) + 1;
    }
    return { count: data.length, byStatus, byOutcome, data };
  }

  clear(now = Date.now()): void {
    this.entries = [];
    this.clearedAtMs = now;
  }

  /** Says whose call this is, or why its answer is what it is (the gate and the publish step tell). */
  note(request: FastifyRequest, note: { handle?: string; outcome?: CallOutcome }): void {
    const pending = this.pending.get(request.raw);
    if (!pending) return;
    if (note.handle !== undefined) pending.handle = note.handle;
    if (note.outcome !== undefined) pending.outcome = note.outcome;
  }

  /** A connection closed on purpose without an answer (`dropAfterAccept`): recorded now, status 0. */
  dropped(request: FastifyRequest): void {
    this.note(request, { outcome: 'dropped' });
    this.finish(request, 0);
  }

  /** Logs every call to this origin: its arrival, then the status it is answered with. */
  watch(app: FastifyInstance, origin: CallOrigin): void {
    app.addHook('onRequest', (request, _reply, done) => {
      this.pending.set(request.raw, { origin, atMs: Date.now(), recorded: false });
      done();
    });
    app.addHook('onSend', (request, reply, payload, done) => {
      this.finish(request, reply.statusCode);
      done(null, payload);
    });
  }

  private finish(request: FastifyRequest, status: number): void {
    const pending = this.pending.get(request.raw);
    if (!pending || pending.recorded) return;
    pending.recorded = true;
    const { origin } = pending;
    this.record(
      {
        network: origin.network,
        ...(origin.instance ? { instance: origin.instance } : {}),
        ...(pending.handle !== undefined && pending.handle !== '' ? { handle: pending.handle } : {}),
        method: request.method,
        path: request.url.split('?')[0]!,
        status,
        ...(pending.outcome ? { outcome: pending.outcome } : {}),
      },
      pending.atMs,
    );
  }
}
