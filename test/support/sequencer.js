/**
 * The order jest starts test files in (jest.config.js testSequencer): longest first, so that the
 * last files to end do not leave the other workers idle. Jest's own sequencer orders by the
 * durations of the previous run in its cache; a fresh clone has none, and then jest goes by file
 * size, which puts a 5-second file before a 4-minute one. Here a file without a cached duration
 * takes the one measured for it below (seconds, from runs on the 2-core machine under load, so
 * only their order matters), and a file not listed a few seconds by its size, so the long ones
 * listed start before it.
 */
'use strict';

const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/** Measured durations (seconds), file name to seconds: the longest of each tier. */
const MEASURED = {
  // e2e, two files at a time (test/resilience.e2e-spec.ts runs alone after them)
  'redis-topologies.e2e-spec.ts': 330,
  'redis-auth.e2e-spec.ts': 315,
  'fuzz.e2e-spec.ts': 300,
  'outage.e2e-spec.ts': 124,
  'pgbouncer.e2e-spec.ts': 250,
  'exactly-once.e2e-spec.ts': 233,
  'web-app.e2e-spec.ts': 220,
  'web-app-first-run.e2e-spec.ts': 110,
  'web-calendar.e2e-spec.ts': 120,
  'web-threads.e2e-spec.ts': 90,
  'analytics.medium-spec.ts': 30,
  'bluesky-pds.e2e-spec.ts': 140,
  'bluesky-herald.e2e-spec.ts': 92,
  'quick-start.e2e-spec.ts': 91,
  'recovery.e2e-spec.ts': 90,
  'openapi.e2e-spec.ts': 89,
  'migration.e2e-spec.ts': 64,
  'decode-limits.e2e-spec.ts': 62,
  'media-link-restart.e2e-spec.ts': 40,
  'admin-logs.e2e-spec.ts': 40,
  'threads-crash.e2e-spec.ts': 70,
  'youtube-crash.e2e-spec.ts': 40,
  // unit, integration and medium, three files at a time (a fresh clone's `.ci/run`)
  'more-networks.medium-spec.ts': 40,
  'youtube.medium-spec.ts': 50,
  'google-business.medium-spec.ts': 20,
  'tiktok.medium-spec.ts': 25,
  'degraded-network.medium-spec.ts': 233,
  'web-content.medium-spec.ts': 150,
  'slots.property.spec.ts': 178,
  'approvals.medium-spec.ts': 65,
  'recurring.medium-spec.ts': 60,
  'mock-threads.medium-spec.ts': 50,
  'mock-fidelity.medium-spec.ts': 20,
  'threads-publish.medium-spec.ts': 45,
  'feeds.medium-spec.ts': 42,
  'csv-import.medium-spec.ts': 20,
  'tracked-links.medium-spec.ts': 22,
  'channel-identity.medium-spec.ts': 35,
  'members.medium-spec.ts': 57,
  'people.medium-spec.ts': 57,
  'horizon.medium-spec.ts': 57,
  'sign-in-guessing.medium-spec.ts': 54,
  'media.medium-spec.ts': 53,
  'media-publish.medium-spec.ts': 52,
  'tokens.medium-spec.ts': 51,
  'claim-race.medium-spec.ts': 47,
  'publish.medium-spec.ts': 44,
  'mock-media.medium-spec.ts': 43,
  'tenancy.int-spec.ts': 39,
  'media-sweep.medium-spec.ts': 39,
  'admin-pause.medium-spec.ts': 37,
  'access-ends.medium-spec.ts': 37,
  'security.medium-spec.ts': 36,
  'api-contract.medium-spec.ts': 36,
  'role-matrix.medium-spec.ts': 35,
  'mcp-parity.medium-spec.ts': 30,
  'post-validate.medium-spec.ts': 28,
  'mcp.medium-spec.ts': 23,
  'mcp-oauth.medium-spec.ts': 23,
};

/**
 * Durations are in milliseconds, as jest keeps them: jest also reads them to decide whether to run
 * the files in its own process, one at a time (20 files or fewer, all under a second).
 */
class LongestFirst extends Sequencer {
  time(test) {
    const cached = super.time(test);
    if (cached !== undefined) return cached;
    const measured = MEASURED[path.basename(test.path)];
    if (measured !== undefined) return measured * 1000;
    // Not listed: a few seconds by its size (30 KB, 3 s), after every listed file.
    return Math.min(30_000, (test.context.hasteFS.getSize(test.path) ?? 0) / 10);
  }
}

module.exports = LongestFirst;
module.exports.MEASURED = MEASURED;
