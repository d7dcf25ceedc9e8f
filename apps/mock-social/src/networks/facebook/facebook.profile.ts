/**
 * A Facebook Page as the Graph API shows it: `GET /{page-id}?fields=name,picture`
 * (`picture` as `{data: {url, width, height, is_silhouette}}`), its name the
 * owner's name and "'s Page" until a test renames the account. Served by
 * facebook.ts's `GET /{id}`, which also reads a Page's post by id.
 */
import { Account } from '../../accounts';
import { MockWorld } from '../../world';
import { pageIdOf } from '../meta/facebook-login';

/** The Page's fields (those asked for; `id,name` when none are). */
export function pageFields(world: MockWorld, account: Account, fields: string | undefined): Record<string, unknown> {
  const shown = world.profiles.of({ ...account, network: 'facebook' });
  const asked = new Set((fields ?? 'id,name').split(',').map((field) => field.trim()));
  const all: Record<string, unknown> = {
    id: pageIdOf(account.handle),
    name: shown.renamed ? shown.displayName : `${account.handle}'s Page`,
    followers_count: world.accountMetrics.of('facebook', account.handle, 'followers_count'),
    fan_count: world.accountMetrics.of('facebook', account.handle, 'fan_count'),
    picture: { data: { url: `${world.url('facebook')}${shown.avatarPath}`, width: 64, height: 64, is_silhouette: false } },
  };
  return Object.fromEntries(Object.entries(all).filter(([name]) => name === 'id' || asked.has(name)));
}
