/** The user `GET /2/users/me` answers: id, name and username always; `profile_image_url` and `public_metrics` only when `user.fields` asks for them, as X answers. */
import { Account, numericIdOf } from '../../accounts';
import { MockWorld } from '../../world';

export function xUser(world: MockWorld, account: Account, userFields: string | undefined): Record<string, unknown> {
  const shown = world.profiles.of(account);
  const asked = new Set((userFields ?? '').split(',').map((field) => field.trim()));
  return {
    id: numericIdOf(account.handle),
    name: shown.displayName,
    username: shown.handle,
    ...(asked.has('profile_image_url') ? { profile_image_url: `${world.url('x')}${shown.avatarPath}` } : {}),
    ...(asked.has('public_metrics')
      ? {
          public_metrics: {
            followers_count: world.accountMetrics.of('x', account.handle, 'followers_count'),
            following_count: world.accountMetrics.of('x', account.handle, 'following_count'),
            tweet_count: world.accountMetrics.of('x', account.handle, 'tweet_count', world.store.postsOf({ network: 'x', handle: account.handle }).length),
            listed_count: world.accountMetrics.of('x', account.handle, 'listed_count'),
            like_count: 0,
            media_count: 0,
          },
        }
      : {}),
  };
}
