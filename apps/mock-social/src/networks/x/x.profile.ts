/** The user `GET /2/users/me` answers: id, name and username always; `profile_image_url` only when `user.fields` asks for it, as X answers. */
import { Account, numericIdOf } from '../../accounts';
import { MockWorld } from '../../world';

export function xUser(world: MockWorld, account: Account, userFields: string | undefined): Record<string, string> {
  const shown = world.profiles.of(account);
  const asked = new Set((userFields ?? '').split(',').map((field) => field.trim()));
  return {
    id: numericIdOf(account.handle),
    name: shown.displayName,
    username: shown.handle,
    ...(asked.has('profile_image_url') ? { profile_image_url: `${world.url('x')}${shown.avatarPath}` } : {}),
  };
}
