/**
 * The quick start's one banner (scripts/start.js): where each part of Herald
 * answers, where the admin token is, and what runs. A pure function of what
 * the start found, so a test can read it without starting anything.
 */
'use strict';

/**
 * @param {{ seconds: number, port: string, mockPort?: string, mastodonInstances: string[], adminTokenFrom: string,
 *   postgres: string, embeddedPostgres: boolean, redis: string, worker: boolean, logLevel: string }} found
 * @returns {string}
 */
function startBanner(found) {
  const web = `http://127.0.0.1:${found.port}`;
  const tokenFrom = found.adminTokenFrom === 'HERALD_ADMIN_TOKEN' ? 'from HERALD_ADMIN_TOKEN' : `in ${found.adminTokenFrom}`;
  const processes = ['the API', found.worker ? 'a worker' : null, found.mockPort ? 'the mock networks' : null].filter(Boolean).join(', ');
  const lines = [
    '',
    `  Herald is running (ready in ${found.seconds.toFixed(1)} s).`,
    `    web app          ${web}/   (the first person to sign up owns the workspace)`,
    `    API docs         ${web}/docs   (the API itself under ${web}/v1)`,
    `    admin dashboard  ${web}/admin/ui   (the admin token is ${tokenFrom})`,
    found.mockPort ? `    mock networks    http://127.0.0.1:${found.mockPort}/_mock/posts   (what Herald published)` : null,
    found.mockPort && found.mastodonInstances.length > 0
      ? `    mock Mastodon    ${found.mastodonInstances.join(', ')}   (an instance to connect; Bluesky takes any handle and an app password like abcd-efgh-ijkl-mnop)`
      : null,
    `    running          ${processes}; Postgres ${found.postgres}${found.embeddedPostgres ? ' (embedded, in .data/postgres)' : ''}; Redis ${found.redis}`,
    `    logs             below, at LOG_LEVEL=${found.logLevel}${found.logLevel === 'debug' || found.logLevel === 'verbose' ? '' : ' (LOG_LEVEL=debug shows every request)'}; Ctrl-C stops everything`,
    '',
  ];
  return lines.filter((line) => line !== null).join('\n');
}

module.exports = { startBanner };
