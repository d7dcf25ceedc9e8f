/**
 * Tracked links (PRODUCT.md section 13, "Links"): UTM parameters added to
 * each http(s) link of a text, per channel (`utm_source` the channel's
 * network unless given, `utm_medium` `social` unless given, `utm_campaign`
 * when given). Done when the post is placed, so each channel's text (a
 * variant) is what its network gets and what its counter counts. A link
 * that already names a `utm_source` is left as it is. Short links
 * (link-shortener.ts) replace the links found here, after UTM.
 */
export interface UtmSettings {
  campaign?: string;
  source?: string;
  medium?: string;
}

/** `links` as a post or a channel gives it: `utm` true, false or its settings; `shorten`. */
export interface LinksSetting {
  utm?: boolean | UtmSettings;
  shorten?: boolean;
}

/**
 * What one channel's copy of a post gets: each field the post gives wins
 * (`utm: false` turns the channel's UTM off), the channel's settings give
 * the rest (`PATCH /v1/channels/:id {links}`).
 */
export function linksFor(post: LinksSetting | undefined, channel: LinksSetting | undefined): { utm?: UtmSettings; shorten: boolean } {
  const utm = post?.utm !== undefined ? post.utm : channel?.utm;
  return { ...(utm ? { utm: utm === true ? {} : utm } : {}), shorten: (post?.shorten ?? channel?.shorten) === true };
}

/** Whether any text of a post (its text, variants, parts and their variants, first comment) holds an http(s) link. */
export function holdsLink(post: { text?: string; variants?: unknown; parts?: { text: string; variants?: Record<string, string> }[]; firstComment?: { text: string } }): boolean {
  const variants = post.variants && typeof post.variants === 'object' ? Object.values(post.variants as Record<string, unknown>) : [];
  const texts = [post.text, ...variants, ...(post.parts ?? []).flatMap((part) => [part.text, ...Object.values(part.variants ?? {})]), post.firstComment?.text];
  return texts.some((text) => typeof text === 'string' && /https?:\/\//i.test(text));
}

/** A link in running text: up to whitespace or a quote, without the punctuation that ends a sentence. */
const LINK = /https?:\/\/[^\s<>"']+/g;
const TRAILING = /[.,;:!?)\]}]+$/;

export function withUtm(text: string, network: string, settings: UtmSettings): string {
  return mapLinks(text, (url) => {
    if (url.searchParams.has('utm_source')) return undefined;
    url.searchParams.append('utm_source', settings.source ?? network);
    url.searchParams.append('utm_medium', settings.medium ?? 'social');
    if (settings.campaign) url.searchParams.append('utm_campaign', settings.campaign);
    return url.toString();
  });
}

/** The http(s) links of a text, as written (without the punctuation that ends a sentence). */
export function linksIn(text: string): string[] {
  const found: string[] = [];
  mapLinks(text, (_url, link) => {
    found.push(link);
    return undefined;
  });
  return found;
}

/** The text with each link that `replacements` names replaced (the short links a shortener gave). */
export function replaceLinks(text: string, replacements: ReadonlyMap<string, string>): string {
  return mapLinks(text, (_url, link) => replacements.get(link));
}

/** Each link of the text given to `change` (as a URL, and as written); what it answers replaces the link, undefined keeps it. */
function mapLinks(text: string, change: (url: URL, link: string) => string | undefined): string {
  return text.replace(LINK, (found) => {
    const trailing = TRAILING.exec(found)?.[0] ?? '';
    const link = trailing ? found.slice(0, -trailing.length) : found;
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      return found;
    }
    const changed = change(url, link);
    return changed === undefined ? found : `${changed}${trailing}`;
  });
}
