/**
 * Short links (PRODUCT.md section 13, "Links"): a post sent with
 * `links: {shorten: true}` has each of its links replaced by a short link
 * from the shortener the installation configures (LINK_SHORTENER: Shlink or
 * Kutt, self-hosted, or Dub), when it is scheduled: after UTM, so each
 * channel's tracked link gets a short link of its own, and every counter
 * counts the short link. A link the shortener does not shorten (down,
 * refusing, too slow) stays long, and the answer says which and why: the
 * post is never refused for it.
 *
 * The shortener is the operator's own service, called as the networks are
 * (not through the URL policy for user URLs: a self-hosted Shlink is often
 * on the private network), with its key, one call per distinct link, four at
 * a time, each within LINK_SHORTENER_TIMEOUT.
 */
import { Inject, Injectable } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig, LinkShortenerSettings } from '@herald/config';
import { Channel, ChannelsRepository, Tenant } from '@herald/db';
import { UnprocessableRequest } from '../common/problems';
import { PlacementRequest } from './placement/placement-check';
import { UtmSettings, holdsLink, linksFor, linksIn, withUtm } from './tracked-links';

/** What shortening did to a post's links: each link shortened, and each left long with the reason. */
export interface ShortLinksReport {
  shortened: { url: string; shortUrl: string }[];
  failed: { url: string; reason: string }[];
}

/** Links shortened at once. */
const CONCURRENCY = 4;
/** Distinct links shortened in one post at most; the rest stay long (and the answer says so). */
export const MAX_SHORT_LINKS = 50;
/** A shortener's answer read at most (a short link's record is a few hundred bytes). */
const MAX_ANSWER_BYTES = 64 * 1024;

@Injectable()
export class LinkShortener {
  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly channels: ChannelsRepository,
  ) {}

  /**
   * The request with its short links (`shortLinks`, each link as it will be
   * written, tracked where UTM is asked, to its short link), and the
   * report; the request as it is when it asks for none. 422 when it asks
   * and no shortener is configured.
   */
  async shorten(tenant: Tenant, request: PlacementRequest): Promise<{ request: PlacementRequest; report?: ShortLinksReport }> {
    const refused = this.refusal(request);
    if (refused) throw refused;
    // A post with no link (most posts), or one whose own links settings leave nothing to its channels' and shorten nothing, reads nothing more.
    const decided = request.links?.utm !== undefined && request.links?.shorten !== undefined;
    if (!request.links?.shorten && (decided || !holdsLink(request))) return { request };
    // The channels' settings read fresh here, and carried to the placement (which may check against what it knows of the channels without a read).
    const channels = await this.channels.among(tenant, request.channelIds);
    const settled: PlacementRequest = { ...request, channelLinks: new Map(channels.map((channel) => [channel.id, channel.links ?? {}])) };
    const plans = channels.map((channel) => ({ channel, ...linksFor(request.links, channel.links) }));
    if (!plans.some((plan) => plan.shorten)) return { request: settled };
    const found = [...new Set(this.textsOf(request, plans).flatMap(linksIn))];
    const settings = this.config.linkShortener;
    if (!settings) {
      // Only a channel's setting asks here (a post's own is refused above): the links stay long, and the answer says why.
      return { request: settled, report: { shortened: [], failed: found.map((url) => ({ url, reason: 'this Herald has no link shortener configured (LINK_SHORTENER)' })) } };
    }
    const links = found.slice(0, MAX_SHORT_LINKS);
    const report: ShortLinksReport = { shortened: [], failed: found.slice(MAX_SHORT_LINKS).map((url) => ({ url, reason: `a post has its first ${MAX_SHORT_LINKS} links shortened, not more` })) };
    const shortLinks = new Map<string, string>();
    for (let start = 0; start < links.length; start += CONCURRENCY) {
      const batch = links.slice(start, start + CONCURRENCY);
      const answers = await Promise.all(batch.map((url) => shortLinkOf(settings, url)));
      batch.forEach((url, index) => {
        const answer = answers[index]!;
        if ('shortUrl' in answer) {
          shortLinks.set(url, answer.shortUrl);
          report.shortened.push({ url, shortUrl: answer.shortUrl });
        } else {
          report.failed.push({ url, reason: answer.reason });
        }
      });
    }
    return { request: { ...settled, shortLinks }, report };
  }

  /** The 422 of a post that asks for short links where no shortener is set up (a dry run answers it too). */
  refusal(request: Pick<PlacementRequest, 'links'>): UnprocessableRequest | undefined {
    if (!request.links?.shorten || this.config.linkShortener) return undefined;
    return new UnprocessableRequest('This Herald has no link shortener configured (LINK_SHORTENER): send the post without links.shorten, or ask the operator to set one up', [
      { path: 'links.shorten', message: 'no link shortener is configured' },
    ]);
  }

  /**
   * Every text the post will send to a channel that shortens, as it will be
   * written: that channel's first part (its variant, tracked where its UTM
   * says), the other parts (its variants), and the first comment when every
   * channel shortens (see trackLinks in placement-check.ts).
   */
  private textsOf(request: PlacementRequest, plans: { channel: Channel; utm?: UtmSettings; shorten: boolean }[]): string[] {
    const first = request.parts?.[0]?.text ?? request.text ?? '';
    const variants = (request.variants ?? {}) as Record<string, unknown>;
    const texts: string[] = [];
    for (const plan of plans.filter((each) => each.shorten)) {
      const own = variants[plan.channel.id];
      const text = typeof own === 'string' ? own : first;
      texts.push(plan.utm ? withUtm(text, plan.channel.network, plan.utm) : text);
      for (const part of (request.parts ?? []).slice(1)) texts.push(part.variants?.[plan.channel.id] ?? part.text);
    }
    if (request.firstComment && plans.every((plan) => plan.shorten)) texts.push(request.firstComment.text);
    return texts;
  }
}

/** One link through the shortener: its short link, or why not. */
export async function shortLinkOf(settings: LinkShortenerSettings, url: string): Promise<{ shortUrl: string } | { reason: string }> {
  const call = SHORTENER_CALLS[settings.kind](settings, url);
  let response: Response;
  let raw: string;
  try {
    response = await fetch(call.url, {
      method: call.method,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...call.headers },
      body: JSON.stringify(call.body),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    raw = Buffer.from(await response.arrayBuffer()).subarray(0, MAX_ANSWER_BYTES).toString('utf8');
  } catch (error) {
    // A timeout is a DOMException, of another realm than Error in some runtimes: told by its name.
    const name = (error as { name?: unknown } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') return { reason: `the shortener did not answer within ${settings.timeoutMs} ms` };
    // fetch says "fetch failed"; what happened is its cause's (ECONNREFUSED, ENOTFOUND...).
    const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
    const why = [cause?.code, cause?.message, (error as { message?: unknown } | null)?.message].find((value) => typeof value === 'string');
    return { reason: `the shortener could not be reached (${typeof why === 'string' ? why : String(error)})` };
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    body = undefined;
  }
  if (!response.ok) return { reason: `the shortener answered HTTP ${response.status}${messageOf(body) ? `: ${messageOf(body)}` : ''}` };
  const shortUrl = call.shortUrlOf(body);
  if (typeof shortUrl !== 'string' || !/^https?:\/\/\S+$/.test(shortUrl)) return { reason: 'the shortener answered without a short link' };
  return { shortUrl };
}

interface ShortenerCall {
  method: 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  shortUrlOf: (body: unknown) => unknown;
}

/**
 * Each shortener's API for one link: Shlink `POST /rest/v3/short-urls`
 * (`findIfExists`, so a link sent again keeps its short link); Kutt
 * `POST /api/v2/links`; Dub `PUT /links/upsert` (the same link's existing
 * short link when there is one).
 */
const SHORTENER_CALLS: Record<LinkShortenerSettings['kind'], (settings: LinkShortenerSettings, url: string) => ShortenerCall> = {
  shlink: (settings, url) => ({
    method: 'POST',
    url: `${settings.url}/rest/v3/short-urls`,
    headers: { 'X-Api-Key': settings.apiKey },
    body: { longUrl: url, findIfExists: true, ...(settings.domain ? { domain: settings.domain } : {}) },
    shortUrlOf: (body) => (body as { shortUrl?: unknown } | undefined)?.shortUrl,
  }),
  kutt: (settings, url) => ({
    method: 'POST',
    url: `${settings.url}/api/v2/links`,
    headers: { 'X-API-KEY': settings.apiKey },
    body: { target: url, ...(settings.domain ? { domain: settings.domain } : {}) },
    shortUrlOf: (body) => (body as { link?: unknown } | undefined)?.link,
  }),
  dub: (settings, url) => ({
    method: 'PUT',
    url: `${settings.url}/links/upsert`,
    headers: { Authorization: `Bearer ${settings.apiKey}` },
    body: { url, ...(settings.domain ? { domain: settings.domain } : {}) },
    shortUrlOf: (body) => (body as { shortLink?: unknown } | undefined)?.shortLink,
  }),
};

/** A shortener's own words for a refusal (Shlink's problem `detail`, Kutt's `error`, Dub's `error.message`). */
function messageOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const record = body as { detail?: unknown; error?: unknown; message?: unknown };
  const found = [record.detail, record.error, (record.error as { message?: unknown } | undefined)?.message, record.message].find((value) => typeof value === 'string');
  return typeof found === 'string' ? found.slice(0, 300) : undefined;
}
