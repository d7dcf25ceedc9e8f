/**
 * The foundation's promise, end to end: a post accepted by the API is
 * published once, on time, by the worker, to each mock network it names (the
 * suite is test/support/publish-suite.ts; test/pgbouncer.e2e-spec.ts runs it
 * through PgBouncer too).
 */
import { publishingEndToEnd } from './support/publish-suite';
import { Stack } from './support/stack';

describe('publishing end to end', () => {
  publishingEndToEnd(() => Stack.start());
});
