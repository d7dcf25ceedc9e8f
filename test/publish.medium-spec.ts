/**
 * The foundation's promise, end to end: a post accepted by the API is
 * published once, on time, by the worker, to each mock network it names (the
 * suite is test/support/publish-suite.ts; test/pgbouncer.e2e-spec.ts runs it
 * through PgBouncer too, on the built processes). Here the API, the worker
 * and the mock run inside the test (test/support/in-process.ts).
 */
import { InProcessStack } from './support/in-process';
import { publishingEndToEnd } from './support/publish-suite';

describe('publishing end to end', () => {
  publishingEndToEnd(() => InProcessStack.start());
});
