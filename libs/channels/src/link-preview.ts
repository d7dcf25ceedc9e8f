/**
 * What a link card shows of a page (its title and description, from
 * `og:title`/`og:description`, else `<title>` and `meta description`),
 * fetched the way every URL a user gave is (`Outbound`: the URL policy, the
 * address the name resolves to, redirects re-checked), at most 256 KB read
 * and five seconds spent. A page that
 * cannot be read gives no card; the post goes out without one.
 */
import { Outbound } from './outbound';

export interface LinkPreview {
  uri: string;
  title: string;
  description: string;
}

const MAX_BYTES = 256 * 1024;
const TIMEOUT_MS = 5000;
const MAX_REDIRECTS = 3;

export class LinkPreviewer {
  constructor(private readonly outbound: Outbound) {}

  async preview(uri: string): Promise<LinkPreview | undefined> {
    try {
      const html = await this.fetchHtml(uri);
      if (html === undefined) return undefined;
      const title = meta(html, 'og:title') ?? html.match(/<title[^>]*>([^<]*)<\/title>/i)?.[1]?.trim() ?? '';
      const description = meta(html, 'og:description') ?? meta(html, 'description') ?? '';
      return { uri, title: decodeEntities(title).slice(0, 300), description: decodeEntities(description).slice(0, 1000) };
    } catch {
      return undefined;
    }
  }

  private async fetchHtml(url: string): Promise<string | undefined> {
    const answer = await this.outbound.open(url, {
      method: 'GET',
      headers: { accept: 'text/html', 'user-agent': 'Herald link preview' },
      timeoutMs: TIMEOUT_MS,
      maxRedirects: MAX_REDIRECTS,
    });
    if (answer.status !== 200 || !String(answer.headers['content-type'] ?? '').includes('html')) {
      await answer.body.dump().catch(() => undefined);
      return undefined;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of answer.body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= MAX_BYTES) break;
    }
    answer.body.destroy();
    return Buffer.concat(chunks).subarray(0, MAX_BYTES).toString('utf8');
  }
}

function meta(html: string, name: string): string | undefined {
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    const key = tag.match(/\b(?:property|name)\s*=\s*["']([^"']+)["']/i)?.[1];
    if (key?.toLowerCase() !== name) continue;
    const content = tag.match(/\bcontent\s*=\s*["']([^"']*)["']/i)?.[1];
    if (content !== undefined) return content.trim();
  }
  return undefined;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, '&');
}
