/**
 * LOG_FORMAT=pretty: each JSON line pino writes, rewritten as one short line
 * for a person at a terminal (`12:04:31 INFO  worker ready concurrency=64`),
 * the request lines as `GET /v1/posts 200 12 ms`. The same fields as the
 * JSON line (so nothing a JSON line leaves out, such as a header or a token,
 * appears here either), minus the service and the pid, which the terminal
 * already tells. A line that is not JSON passes through as it is.
 */
import type { Writable } from 'node:stream';

/** Fields shown in the line's head, or not at all. */
const HIDDEN = new Set(['level', 'time', 'service', 'pid', 'hostname', 'msg', 'context', 'req', 'res', 'responseTime', 'err']);

const LEVEL_COLOURS: Record<string, number> = { fatal: 35, error: 31, warn: 33, info: 32, debug: 90, trace: 90 };

export interface PrettyOptions {
  colours: boolean;
}

/** One pino JSON line as a readable line (ending in a newline); anything else unchanged. */
export function formatLogLine(line: string, options: PrettyOptions = { colours: false }): string {
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return line;
    record = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = typeof record.level === 'string' ? record.level : String(record.level ?? '');
  const time = typeof record.time === 'string' && record.time.length >= 19 ? record.time.slice(11, 19) : '';
  const head = [time, paint(level.toUpperCase().padEnd(5), LEVEL_COLOURS[level], options)];
  if (typeof record.context === 'string' && record.context) head.push(paint(`[${record.context}]`, 90, options));
  const request = requestSummary(record);
  if (request) head.push(request);
  if (typeof record.msg === 'string' && !(request && record.msg === 'request completed')) head.push(record.msg);
  const fields = Object.entries(record)
    .filter(([key, value]) => !HIDDEN.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${fieldValue(value)}`);
  const error = errorLines(record.err);
  return `${[...head.filter(Boolean), ...fields].join(' ')}${error}\n`;
}

/** A write stream for pino that writes each record as formatLogLine does. */
export function prettyDestination(target: Pick<Writable, 'write'> & { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): { write(line: string): boolean } {
  const colours = wantsColours(target.isTTY === true, env);
  let pending = '';
  return {
    write(chunk: string): boolean {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line) target.write(formatLogLine(line, { colours }));
      return true;
    },
  };
}

/** Colours on a terminal, or where FORCE_COLOR asks for them (the quick start's children write to a pipe); never with NO_COLOR. */
export function wantsColours(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY;
}

function requestSummary(record: Record<string, unknown>): string | undefined {
  const req = record.req as { method?: string; path?: string } | undefined;
  const res = record.res as { statusCode?: number } | undefined;
  if (!req || typeof req !== 'object') return undefined;
  const parts = [req.method, req.path, res?.statusCode, typeof record.responseTime === 'number' ? `${record.responseTime} ms` : undefined];
  return parts.filter((part) => part !== undefined).join(' ');
}

function fieldValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** An error's message and stack, indented under the line. */
function errorLines(err: unknown): string {
  if (!err || typeof err !== 'object') return '';
  const { message, stack } = err as { message?: unknown; stack?: unknown };
  const text = typeof stack === 'string' ? stack : typeof message === 'string' ? message : JSON.stringify(err);
  return `\n${text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')}`;
}

function paint(text: string, colour: number | undefined, options: PrettyOptions): string {
  return options.colours && colour !== undefined ? `\u001b[${colour}m${text}\u001b[39m` : text;
}
