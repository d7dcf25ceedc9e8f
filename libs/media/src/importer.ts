/**
 * Fetches a media URL to import it through `Outbound` (the URL policy: the
 * URL, every redirect's target, and the address each name resolves to at
 * connect time), at most five redirects, the caps of the intake and a
 * deadline for the whole transfer. Every refusal is a `MediaRefused` in words that name
 * the URL's problem.
 */
import { Outbound, OutboundFailed, OutboundRefused } from '@herald/channels';
import { Caps, Received, receive } from './intake';
import { MediaRefused } from './media-errors';

const MAX_REDIRECTS = 5;

export class MediaImporter {
  constructor(
    private readonly outbound: Outbound,
    private readonly caps: Caps,
    private readonly timeoutMs: number,
  ) {}

  async fetch(url: string): Promise<Received & { finalUrl: string; filename?: string }> {
    let answer: Awaited<ReturnType<Outbound['open']>>;
    try {
      answer = await this.outbound.open(url, {
        method: 'GET',
        headers: { accept: 'image/*, video/*', 'user-agent': 'Herald media import' },
        timeoutMs: this.timeoutMs,
        maxRedirects: MAX_REDIRECTS,
      });
    } catch (error) {
      if (error instanceof OutboundRefused) {
        const subject = error.hop > 0 ? `The URL redirects to ${error.url}, which` : /^resolves/.test(error.reason) ? "The URL's host" : 'The URL';
        throw new MediaRefused(422, 'media_url_refused', `${subject} ${error.reason}`);
      }
      if (error instanceof OutboundFailed && error.code === 'timeout') throw timedOut(url, this.timeoutMs);
      if (error instanceof OutboundFailed && error.code === 'too_many_redirects') throw new MediaRefused(422, 'media_url_unreachable', `The URL redirects more than ${MAX_REDIRECTS} times`);
      throw new MediaRefused(422, 'media_url_unreachable', `The URL could not be fetched (${(error as Error).message})`);
    }
    if (answer.status !== 200) {
      await answer.body.dump().catch(() => undefined);
      throw new MediaRefused(422, 'media_url_unreachable', `The URL answered HTTP ${answer.status}, not the file`);
    }
    const length = Number(answer.headers['content-length']);
    const largest = Math.max(this.caps.maxImageBytes, this.caps.maxVideoBytes);
    if (Number.isFinite(length) && length > largest) {
      answer.body.destroy();
      throw new MediaRefused(413, 'media_too_large', `The URL's file is ${length} bytes; Herald takes at most ${Math.floor(largest / (1024 * 1024))} MB`);
    }
    try {
      // The bytes decide the type: servers often label files loosely (a CDN's WebP as image/jpeg).
      const received = await receive(answer.body, this.caps);
      return { ...received, finalUrl: answer.url, filename: filenameOf(answer.url) };
    } catch (error) {
      if (error instanceof MediaRefused) throw error;
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError' || /timed out|aborted/i.test(String((error as Error).message))) throw timedOut(url, this.timeoutMs);
      throw new MediaRefused(422, 'media_url_unreachable', `The URL's file could not be read to its end (${(error as Error).message})`);
    }
  }
}

function timedOut(url: string, ms: number): MediaRefused {
  return new MediaRefused(422, 'media_url_timeout', `${url} did not deliver its file within ${Math.round(ms / 1000)} s`);
}

/** The URL path's last segment, for the record (not for the type: that comes from the bytes). */
function filenameOf(url: string): string | undefined {
  try {
    const name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    return name ? name.slice(0, 255) : undefined;
  } catch {
    return undefined;
  }
}
