import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import { heraldPinoHttp, requestLogLevel } from './logging';
import { ConfigError } from './env-reader';
import { loadConfig } from './herald-config';
import { formatLogLine, wantsColours } from './pretty-log';

/** What the logger writes, line by line, through the options and stream heraldPinoHttp picks. */
function logged(logFormat: 'json' | 'pretty', write: (logger: pino.Logger) => void, logLevel: 'info' | 'debug' = 'info'): string[] {
  const written: string[] = [];
  const target = { write: (chunk: string) => (written.push(chunk), true), isTTY: false };
  const [options, stream] = heraldPinoHttp({ logLevel, logFormat }, 'herald-test', target);
  // pino's own options of the pair (the rest are pino-http's, for requests).
  const { level, base, timestamp, formatters, hooks } = options;
  write(pino({ level, base, timestamp, formatters, hooks }, stream));
  return written.join('').split('\n').filter(Boolean);
}

describe('the log format', () => {
  const base = { HERALD_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'), HERALD_ADMIN_TOKEN: 'a-token-long-enough-for-production' };

  it('is pretty in development (NODE_ENV unset or development) and JSON elsewhere, unless LOG_FORMAT says', () => {
    expect(loadConfig({ ...base }).logFormat).toBe('pretty');
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).logFormat).toBe('pretty');
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).logFormat).toBe('json');
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).logFormat).toBe('json');
    expect(loadConfig({ ...base, NODE_ENV: 'production', LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadConfig({ ...base, LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(() => loadConfig({ ...base, LOG_FORMAT: 'yaml' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, LOG_FORMAT: 'yaml' })).toThrow(/LOG_FORMAT/);
  });

  it('writes one JSON object a line with LOG_FORMAT=json', () => {
    const lines = logged('json', (logger) => logger.info({ concurrency: 64 }, 'worker ready'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual(expect.objectContaining({ level: 'info', service: 'herald-test', msg: 'worker ready', concurrency: 64 }));
  });

  it('writes one readable line with LOG_FORMAT=pretty: time, level, context, message, then the fields', () => {
    const lines = logged('pretty', (logger) => logger.warn({ context: 'Mailer', resetId: 'r-1', subject: 'Reset your Herald password' }, 'An email could not be sent'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d WARN  \[Mailer\] An email could not be sent resetId=r-1 subject="Reset your Herald password"$/);
    expect(lines[0]).not.toContain('{');
  });

  it('turns a request line into method, path, status and time, and keeps an error stack under its line', () => {
    const request = formatLogLine(
      JSON.stringify({ level: 'debug', time: '2026-12-07T10:11:12.345Z', service: 'herald-api', req: { method: 'GET', path: '/v1/posts' }, res: { statusCode: 200 }, responseTime: 12, requestId: 'abc', msg: 'request completed' }),
    );
    expect(request).toBe('10:11:12 DEBUG GET /v1/posts 200 12 ms requestId=abc\n');
    const failed = formatLogLine(JSON.stringify({ level: 'error', time: '2026-12-07T10:11:12.345Z', msg: 'boom', err: { message: 'bad', stack: 'Error: bad\n    at x (y.js:1:1)' } }));
    expect(failed).toBe('10:11:12 ERROR boom\n    Error: bad\n        at x (y.js:1:1)\n');
    expect(formatLogLine('not json at all')).toBe('not json at all');
  });

  it('colours the level only on a terminal or with FORCE_COLOR, never with NO_COLOR', () => {
    expect(wantsColours(true, {})).toBe(true);
    expect(wantsColours(false, {})).toBe(false);
    expect(wantsColours(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColours(true, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(formatLogLine(JSON.stringify({ level: 'info', time: '2026-12-07T10:11:12.345Z', msg: 'x' }), { colours: true })).toBe('10:11:12 \u001b[32mINFO \u001b[39m x\n');
  });

  it("logs a request at debug (error for a 5xx), and Nest's start-up narration at debug", () => {
    const response = (statusCode: number) => ({ statusCode }) as ServerResponse;
    const request = {} as IncomingMessage;
    expect(requestLogLevel(request, response(201))).toBe('debug');
    expect(requestLogLevel(request, response(404))).toBe('debug');
    expect(requestLogLevel(request, response(503))).toBe('error');
    expect(requestLogLevel(request, response(200), new Error('x'))).toBe('error');

    const startup = (logger: pino.Logger) => {
      logger.info({ context: 'InstanceLoader' }, 'AppModule dependencies initialized');
      logger.info({ context: 'RouterExplorer' }, 'Mapped {/v1/posts, GET} route');
      logger.info({ context: 'PublishWorkers' }, 'taking publish jobs');
    };
    expect(logged('json', startup).map((line) => JSON.parse(line).msg)).toEqual(['taking publish jobs']);
    expect(logged('json', startup, 'debug').map((line) => [JSON.parse(line).level, JSON.parse(line).msg])).toEqual([
      ['debug', 'AppModule dependencies initialized'],
      ['debug', 'Mapped {/v1/posts, GET} route'],
      ['info', 'taking publish jobs'],
    ]);
  });
});
