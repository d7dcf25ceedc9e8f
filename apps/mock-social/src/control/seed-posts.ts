/**
 * `POST /_mock/posts/seed {network, handle, instanceUrl?, count, text?}`:
 * `count` posts on an account at once, as if it had published them through
 * the network (the bench's 100,000 published posts whose metrics Herald
 * reads, seeded in seconds rather than posted one call at a time). Answers
 * their ids as the network names them: X's and Mastodon's ids, Bluesky's
 * at:// URIs (each with a record and its CID, as getPosts serves them). X,
 * Mastodon and Bluesky, the networks whose metrics reads are batched or
 * budgeted per account.
 */
import { normalHandle } from '../accounts';
import { Answer } from '../http/answer';
import { DAG_CBOR, cidFor } from '../networks/bluesky/cid';
import { newTid } from '../networks/bluesky/tid';
import { MockWorld } from '../world';

export const SEED_MAX = 100_000;
const SEEDABLE = ['x', 'mastodon', 'bluesky'] as const;

export function seedPosts(world: MockWorld, body: unknown): Answer {
  const { network, handle: named, instanceUrl, count, text = 'seeded' } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (!SEEDABLE.includes(network as (typeof SEEDABLE)[number])) problems.push(`network must be one of ${SEEDABLE.join(', ')}`);
  const handle = network === 'bluesky' ? normalHandle(named) : typeof named === 'string' && named !== '' ? named : undefined;
  if (!handle) problems.push(network === 'bluesky' ? 'handle must be a Bluesky handle (a domain name)' : 'handle must be the account\'s handle');
  if (!(typeof count === 'number' && Number.isInteger(count) && count >= 1 && count <= SEED_MAX)) problems.push(`count must be an integer from 1 to ${SEED_MAX}`);
  if (typeof text !== 'string') problems.push('text must be a string');
  const instances = (['one', 'two'] as const).map((name) => world.url(`mastodon-${name}`));
  const instance = network === 'mastodon' ? (instanceUrl === undefined ? instances[0] : instances.find((url) => url === String(instanceUrl).replace(/\/+$/, ''))) : undefined;
  if (network === 'mastodon' && !instance) problems.push(`instanceUrl must be one of ${instances.join(', ')}`);
  if (problems.length > 0) return { status: 400, body: { error: 'invalid seed', problems } };
  const account = { network: network as string, handle: handle!, ...(instance ? { instanceUrl: instance } : {}) };
  const did = network === 'bluesky' ? world.accounts.blueskyDid(handle!) : undefined;
  const ids: string[] = [];
  for (let index = 0; index < (count as number); index += 1) {
    const body = `${text as string} ${index + 1}`;
    if (did) {
      const uri = `at://${did}/app.bsky.feed.post/${newTid()}`;
      const createdAt = new Date().toISOString();
      const record = { cid: cidFor(DAG_CBOR, `seeded ${uri}`), value: { $type: 'app.bsky.feed.post', text: body, createdAt } };
      ids.push(world.store.accept(account, body, [], { idFor: () => uri, createdAt, record }).id);
    } else {
      ids.push(world.store.accept(account, body, []).id);
    }
  }
  return { status: 201, body: { network, handle, count: ids.length, ids } };
}
