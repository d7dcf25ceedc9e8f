/**
 * Fetches a media URL to import it: under the URL policy (the URL, every
 * redirect's target, and the address each name resolves to at connect
 * time), at most five redirects, the caps of the intake and a deadline for
 * the whole transfer. Every refusal is a `MediaRefused` in words that name
 * the URL's problem.
 */
import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { Agent, Dispatcher, request } from 'undici';
import { UrlPolicy } from '@herald/channels';
import { Caps, Received, receive } from './intake';
import { MediaRefused } from './media-errors';

const MAX_REDIRECTS = 5;

export class MediaImporter {
  private readonly agent: Dispatcher;

  constructor(
    private readonly policy: UrlPolicy,
    private readonly caps: Caps,
    private readonly timeoutMs: number,
  ) {
    this.agent = new Agent({
      connect: {
        // Checked after DNS: a public name must not resolve into the operator's network.
        lookup: (hostname, options, callback) => {
          dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
            if (error) return callback(error, '', 0);
            const list = (Array.isArray(addresses) ? addresses : [addresses]) as LookupAddress[];
            const refused = list.map((entry) => policy.addressRefusal(hostname, entry.address)).find(Boolean);
            if (refused) return callback(Object.assign(new Error(refused), { code: 'EHERALDREFUSED' }), '', 0);
            if ((options as { all?: boolean }).all) return (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, list);
            return callback(null, list[0]!.address, list[0]!.family);
          });
        },
      },
    });
  }

  async fetch(url: string): Promise<Received & { finalUrl: string; filename?: string }> {
    const deadline = Date.now() + this.timeoutMs;
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const refusal = this.policy.refusal(current);
      if (refusal) throw new MediaRefused(422, 'media_url_refused', `${hop === 0 ? 'The URL' : `The URL redirects to ${current}, which`} ${refusal}`);
      const left = deadline - Date.now();
      if (left <= 0) throw timedOut(url, this.timeoutMs);
      let answer: Dispatcher.ResponseData;
      try {
        answer = await request(current, {
          dispatcher: this.agent,
          method: 'GET',
          headers: { accept: 'image/*, video/*', 'user-agent': 'Herald media import' },
          headersTimeout: left,
          bodyTimeout: left,
        });
      } catch (error) {
        const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
        const message = (error as Error).message;
        if (code === 'EHERALDREFUSED' || /private or loopback/.test(message)) throw new MediaRefused(422, 'media_url_refused', `The URL's host ${message}`);
        if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') throw timedOut(url, this.timeoutMs);
        throw new MediaRefused(422, 'media_url_unreachable', `The URL could not be fetched (${code ?? message})`);
      }
      if (answer.statusCode >= 300 && answer.statusCode < 400 && answer.headers.location) {
        await answer.body.dump();
        current = new URL(String(answer.headers.location), current).toString();
        continue;
      }
      if (answer.statusCode !== 200) {
        await answer.body.dump();
        throw new MediaRefused(422, 'media_url_unreachable', `The URL answered HTTP ${answer.statusCode}, not the file`);
      }
      const length = Number(answer.headers['content-length']);
      const largest = Math.max(this.caps.maxImageBytes, this.caps.maxVideoBytes);
      if (Number.isFinite(length) && length > largest) {
        answer.body.destroy();
        throw new MediaRefused(413, 'media_too_large', `The URL's file is ${length} bytes; Herald takes at most ${Math.floor(largest / (1024 * 1024))} MB`);
      }
      const timer = setTimeout(() => answer.body.destroy(new Error('media import timed out')), Math.max(1, deadline - Date.now()));
      try {
        // The bytes decide the type: servers often label files loosely (a CDN's WebP as image/jpeg).
        const received = await receive(answer.body, this.caps);
        return { ...received, finalUrl: current, filename: filenameOf(current) };
      } catch (error) {
        if (error instanceof MediaRefused) throw error;
        if (/timed out/.test(String((error as Error).message))) throw timedOut(url, this.timeoutMs);
        throw new MediaRefused(422, 'media_url_unreachable', `The URL's file could not be read to its end (${(error as Error).message})`);
      } finally {
        clearTimeout(timer);
      }
    }
    throw new MediaRefused(422, 'media_url_unreachable', `The URL redirects more than ${MAX_REDIRECTS} times`);
  }

  async close(): Promise<void> {
    await this.agent.close();
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
