/**
 * The API's problems said in people's words: a title that says what is wrong
 * ("This text is too long for X", not "Unprocessable request"), and messages
 * without ids (a channel's id becomes its name where the app knows it, else
 * "this channel"). Pure, with a unit spec; the API's own detail is kept
 * whenever it already says it in words.
 */
import type { Problem } from '@herald/api-client';
import { networkName } from '../ui/network-name';

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/** Names the app knows for ids (channels, mostly): "X @acme". */
export type KnownNames = ReadonlyMap<string, string>;


/** A message with its ids replaced: "channel <id> (x acme): Text is …" → "X acme: Text is …". */
export function withoutIds(message: string, names: KnownNames = new Map()): string {
  return message
    .replace(/\b[Cc]hannel ([0-9a-f-]{36}) \((\w+) ([^)]+)\)/g, (_whole, id: string, network: string, handle: string) => names.get(id) ?? `${networkName(network)} ${handle}`)
    .replace(/\b(post|delivery|channel|media|file|webhook|key|invitation|member|user|workspace) ([0-9a-f-]{36})\b/gi, (_whole, word: string, id: string) => {
      const known = names.get(id);
      if (known) return known;
      return `${word[0] === word[0]!.toUpperCase() ? 'This' : 'this'} ${word.toLowerCase()}`;
    })
    .replace(UUID, (id) => names.get(id) ?? 'it')
    .replace(/\s{2,}/g, ' ');
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Some of this could not be read',
  401: 'Please sign in again',
  403: 'Your role does not allow this',
  404: 'This is no longer here',
  409: 'This changed in the meantime',
  410: 'This link has expired',
  413: 'This is too big',
  415: 'This kind of file is not taken',
  422: 'Some of this needs fixing',
  429: 'Too many tries: wait a moment',
  500: 'Something went wrong in Herald',
  502: 'The network did not answer properly',
  503: 'Herald is busy right now',
};

/** The networks a "too long" message names, in order: "Text is 300 weighted characters; X allows 280" → X. */
function tooLongFor(messages: string[]): string[] {
  const networks: string[] = [];
  for (const message of messages) {
    const allows = /;\s*([A-Z][\w ]*?) allows \d+/.exec(message);
    if (allows && /(characters|graphemes|long)/i.test(message) && !networks.includes(allows[1]!)) networks.push(allows[1]!);
  }
  return networks;
}

function list(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** A title in words for the problem. */
export function problemTitle(problem: Problem): string {
  const messages = [problem.detail ?? '', ...(problem.errors ?? []).map((error) => error.message ?? '')];
  const tooLong = tooLongFor(messages);
  if (tooLong.length > 0) return `This text is too long for ${list(tooLong)}`;
  if (messages.some((message) => /has no posting schedule/.test(message))) return 'A channel has no posting times yet';
  if (messages.some((message) => /is in the past/.test(message))) return 'That time has already passed';
  if (problem.status === 409 && messages.some((message) => /being published/.test(message))) return 'This post is already going out';
  // A title Herald already wrote in words (not the HTTP reason phrase) is kept.
  const reason = /^(Unprocessable request|Conflict|Bad request|Malformed request|Not found|Forbidden|Unauthorized|Gone|Too many requests|Service unavailable|Bad gateway|Internal server error|Unsupported media type|Payload too large|HTTP \d+)$/i;
  if (problem.title && !reason.test(problem.title)) return withoutIds(problem.title);
  return STATUS_TITLES[problem.status] ?? 'Herald refused this';
}

/** The problem as it is shown: its title in words, its detail and messages without ids. */
export function inWords(problem: Problem, names?: KnownNames): Problem {
  return {
    ...problem,
    title: problemTitle(problem),
    detail: withoutIds(problem.detail ?? '', names),
    ...(problem.errors ? { errors: problem.errors.map((error) => ({ ...error, message: withoutIds(error.message ?? '', names) })) } : {}),
  };
}
