/**
 * Where the messages about a post's network options are shown: at the field
 * whose path they name (`networkOptions.google_business.event.endsAt`), from
 * the API's refusal and from the rules run as the post is written (each
 * violation's `field`); what names no field shown is said under the
 * network's section. Pure.
 */
import type { ContentViolation } from '@herald/channels/rules';
import type { Problem } from '../../api/problem';
import { withoutIds } from '../../api/problem-words';
import type { OptionNetwork } from './network-options';

/** The messages at one option (`'event.title'`); every one of the network with `undefined`; those at no field shown with `null`. */
export type OptionErrors = (network: OptionNetwork, field?: string | null) => string[];

/** The options each network's section shows a field for. */
const SHOWN: Record<OptionNetwork, string[]> = {
  youtube: ['title', 'privacy', 'tags'],
  tiktok: ['privacy', 'allowComments', 'allowDuet', 'allowStitch'],
  pinterest: ['boardId', 'title', 'link'],
  google_business: ['topicType', 'event', 'event.title', 'event.startsAt', 'event.endsAt', 'offer', 'offer.couponCode', 'offer.redeemUrl', 'offer.terms', 'callToAction', 'callToAction.actionType', 'callToAction.url'],
};

const at = (path: string, field: string) => path === field || path.startsWith(`${field}[`);

/** What the rules find wrong with each channel's options, by `<network>.<field>`. */
export function localOptionErrors(checks: Iterable<{ network: string; violations: ContentViolation[] }>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const check of checks) {
    for (const violation of check.violations) {
      if (!violation.field) continue;
      const key = `${check.network}.${violation.field}`;
      const messages = found.get(key) ?? [];
      if (!messages.includes(violation.message)) found.set(key, [...messages, violation.message]);
    }
  }
  return found;
}

export function optionMessages(problem: Problem | undefined, local: Map<string, string[]>, network: OptionNetwork, field?: string | null): string[] {
  const prefix = `networkOptions.${network}`;
  const refused = (problem?.errors ?? []).flatMap((error) => {
    if (error.path === undefined || !(error.path === prefix || error.path.startsWith(`${prefix}.`))) return [];
    const relative = error.path.slice(prefix.length + 1);
    const wanted = field === undefined ? true : field === null ? !SHOWN[network].some((shown) => at(relative, shown)) : at(relative, field);
    return wanted ? [withoutIds(error.message ?? 'is not valid')] : [];
  });
  const mine = field === null ? [] : [...local.entries()].flatMap(([key, messages]) => (key.startsWith(`${network}.`) && (field === undefined || key === `${network}.${field}`) ? messages : []));
  return [...new Set([...mine, ...refused])];
}
