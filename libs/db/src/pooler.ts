/**
 * Tells whether a URL reaches Postgres through a pooler that hands out server
 * connections per transaction (PgBouncer's transaction or statement mode, and
 * poolers like it), where a session's state (advisory locks, SET, prepared
 * statements) does not outlive a transaction.
 *
 * PgBouncer answers no question about itself on a normal connection (its SHOW
 * commands live on the admin console), and a session probe (SET, then read it
 * back) passes by luck when the pool reuses the same server connection. What
 * does not depend on luck is whose server a client talks to: two client
 * connections ask `pg_backend_pid()` in turn. Direct, or through a session
 * pool, each keeps one server of its own for its life, never shared. Through a
 * transaction pool, a server released after one client's statement serves the
 * next client's (PgBouncer reuses the most recent by default), and with
 * `server_round_robin` a client's next statement goes to another server. Either
 * shows; other clients of a busy pooler only add churn.
 */
import { Client } from 'pg';

/** Which client asked, and the server process that answered. */
export interface BackendSample {
  client: 'a' | 'b';
  pid: number;
}

/** The order the two clients ask in: each twice in a row (round robin shows) and each after the other (reuse shows). */
const TURNS: BackendSample['client'][] = ['a', 'b', 'a', 'a', 'b', 'b', 'a'];

/** True when the samples show a server serving both clients, or a client moved between servers. */
export function sharesServers(samples: BackendSample[]): boolean {
  const pidsOf = (client: BackendSample['client']) => new Set(samples.filter((sample) => sample.client === client).map((sample) => sample.pid));
  const a = pidsOf('a');
  const b = pidsOf('b');
  if (a.size > 1 || b.size > 1) return true;
  return [...a].some((pid) => b.has(pid));
}

/** Asks through `url` whose server answers, in turns; true when it is a pooler that shares servers between transactions. */
export async function isTransactionPooled(url: string): Promise<boolean> {
  // No startup parameters beyond the URL's: PgBouncer refuses ones it does not know (statement_timeout among them).
  const clients = { a: new Client({ connectionString: url }), b: new Client({ connectionString: url }) };
  try {
    await Promise.all([clients.a.connect(), clients.b.connect()]);
    const samples: BackendSample[] = [];
    for (const client of TURNS) {
      const { rows } = await clients[client].query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      samples.push({ client, pid: rows[0]!.pid });
    }
    return sharesServers(samples);
  } finally {
    await Promise.all([clients.a.end().catch(() => undefined), clients.b.end().catch(() => undefined)]);
  }
}
