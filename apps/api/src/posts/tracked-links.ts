/**
 * Tracked links (PRODUCT.md section 13, "Links"): UTM parameters added to
 * each http(s) link of a text, per channel (`utm_source` the channel's
 * network unless given, `utm_medium` `social` unless given, `utm_campaign`
 * when given). Done when the post is placed, so each channel's text (a
 * variant) is what its network gets and what its counter counts. A link
 * that already names a `utm_source` is left as it is.
 */
export interface UtmSettings {
  campaign?: string;
  source?: string;
  medium?: string;
}

/** A link in running text: up to whitespace or a quote, without the punctuation that ends a sentence. */
const LINK = /https?:\/\/[^\s<>"']+/g;
const TRAILING = /[.,;:!?)\]}]+$/;

export function withUtm(text: string, network: string, settings: UtmSettings): string {
  return text.replace(LINK, (found) => {
    const trailing = TRAILING.exec(found)?.[0] ?? '';
    const link = trailing ? found.slice(0, -trailing.length) : found;
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      return found;
    }
    if (url.searchParams.has('utm_source')) return found;
    url.searchParams.append('utm_source', settings.source ?? network);
    url.searchParams.append('utm_medium', settings.medium ?? 'social');
    if (settings.campaign) url.searchParams.append('utm_campaign', settings.campaign);
    return `${url.toString()}${trailing}`;
  });
}
