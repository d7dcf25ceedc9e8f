/**
 * How Meta's networks take media by URL: a plain GET of the public URL (no
 * credentials; loopback is fine, Herald's API serves its media there in
 * tests), the bytes read up to a cap, then judged by what they are.
 */
import { MediaFacts, inspectMedia } from './inspect';

export type FetchedMedia = { ok: true; facts: MediaFacts } | { ok: false; problem: 'unreachable' | 'unknown_type' | 'too_large'; message: string };

const TIMEOUT_MS = 15_000;

/**
 * `MOCK_SOCIAL_FETCH_REWRITE=from=to[,from=to]`: URL prefixes the mock
 * fetches elsewhere (in docker compose, the browser's
 * `http://localhost:3000` is the `api` container: `http://localhost:3000=http://api:3000`).
 * The real networks fetch the public URL as it is.
 */
const REWRITES = (process.env.MOCK_SOCIAL_FETCH_REWRITE ?? '')
  .split(',')
  .map((pair) => pair.split('='))
  .filter((pair): pair is [string, string] => pair.length === 2 && pair[0]!.length > 0 && pair[1]!.length > 0);

function rewritten(url: string): string {
  const rule = REWRITES.find(([from]) => url.startsWith(from));
  return rule ? rule[1] + url.slice(rule[0].length) : url;
}

/** The media at a public URL, or why it could not be taken; `maxBytes` caps what is read. */
export async function fetchPublicMedia(url: string, maxBytes: number): Promise<FetchedMedia> {
  let parsed: URL;
  try {
    parsed = new URL(rewritten(url));
  } catch {
    return { ok: false, problem: 'unreachable', message: `not a URL: ${url}` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, problem: 'unreachable', message: `not an http(s) URL: ${url}` };
  let response: Response;
  try {
    response = await fetch(parsed, { redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    return { ok: false, problem: 'unreachable', message: `the URL could not be fetched (${error instanceof Error ? error.message : String(error)})` };
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    return { ok: false, problem: 'unreachable', message: `the URL answered HTTP ${response.status}` };
  }
  const bytes = await readCapped(response, maxBytes);
  if (!bytes) return { ok: false, problem: 'too_large', message: `the file is larger than ${maxBytes} bytes` };
  const facts = inspectMedia(bytes);
  if (!facts) return { ok: false, problem: 'unknown_type', message: 'the file is no image or video' };
  return { ok: true, facts };
}

/** The body's bytes, or undefined once it passes `maxBytes` (the rest is not read). */
async function readCapped(response: Response, maxBytes: number): Promise<Buffer | undefined> {
  const reader = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks, total);
}
