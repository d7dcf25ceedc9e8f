/**
 * The valid requests the hostile-string property places its fragments in
 * (bodies, query strings, path ids), and the placing itself.
 */
import { HostileFragment, changeString, encodeForUrl, insert, pathOf, stringPlaces } from './hostile-input';
import { http } from './http';
import { nearValidBases } from './near-valid';
import { ROUTES } from './routes';
import { createHash } from 'node:crypto';
import { image, upload } from './media-files';
import { Stack } from './stack';

/**
 * A channel and a post of the test's own (the earlier properties may have
 * deleted the shared ones), beside the shared foreign and absent ids.
 */
export async function freshIds(stack: Stack, apiKey: string, ids: string[], handle: string): Promise<string[]> {
  const channel = await stack.channel(apiKey, { network: 'x', handle, postingSchedule: { slots: [{ day: 'mon', time: '09:00' }] } });
  const post = await http('POST', `${stack.apiUrl}/v1/posts`, { token: apiKey, body: { text: handle, channelIds: [channel.id], schedule: { mode: 'draft' } } });
  return [channel.id, ids[1]!, post.body.id, ids[3]!, await mediaOf(stack, apiKey, handle)];
}

/** A media of the workspace's own (a small PNG, unique to `seed`), for bodies that name one. */
export async function mediaOf(stack: Stack, apiKey: string, seed: string): Promise<string> {
  const size = 8 + (createHash('sha256').update(seed).digest()[0]! % 200);
  const answer = await upload(stack.apiUrl, apiKey, await image('png', size, 8), `${seed}.png`, 'image/png');
  if (answer.status >= 300) throw new Error(`media upload: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.id;
}

/** Valid requests to place hostile strings in: bodies (every route that takes one), query strings and path ids. */
export interface HostileTargets {
  bodies: { method: string; path: string; token: 'key' | 'admin'; body: unknown }[];
  queries: { method: string; path: string; token: 'key' | 'admin'; query: [string, string][] }[];
  paths: { method: string; template: string; token: 'key' | 'admin'; value: string; body?: unknown }[];
}

export async function hostileTargets(stack: Stack, apiKey: string, ids: string[]): Promise<HostileTargets> {
  const [channelId, , postId, , mediaId] = ids as [string, string, string, string, string];
  const webhook = await http('POST', `${stack.apiUrl}/v1/webhooks`, { token: apiKey, body: { url: 'https://hooks.example.com/fuzz' } });
  const spareKey = await http('POST', `${stack.apiUrl}/v1/api-keys`, { token: apiKey, body: { name: 'spare' } });
  const page = await http('GET', `${stack.apiUrl}/v1/posts?limit=1`, { token: apiKey });
  const cursor = page.body.nextCursor ?? 'eyJ9';
  const withVariant = { text: 'variant base', channelIds: [channelId], media: [{ mediaId, alt: 'a picture' }], variants: { [channelId]: 'a variant' }, schedule: { mode: 'draft' } };
  return {
    bodies: [...nearValidBases(ids), { method: 'POST', path: '/v1/posts', token: 'key', body: withVariant }],
    queries: [
      { method: 'GET', path: '/v1/posts', token: 'key', query: [['status', 'draft'], ['channelId', channelId], ['from', '2020-01-01T00:00:00Z'], ['to', '2099-01-01T00:00:00Z'], ['limit', '10'], ['cursor', cursor]] },
      { method: 'GET', path: '/v1/channels', token: 'key', query: [['limit', '10']] },
      { method: 'GET', path: '/admin/queues/publish/jobs', token: 'admin', query: [['state', 'failed'], ['limit', '10']] },
    ],
    // The signed media links take no key and have a route of their own in the security spec.
    paths: ROUTES.filter(([, template]) => template.includes(':') && !template.startsWith('/public/')).map(([method, template]) => {
      const value = template.startsWith('/admin')
        ? 'publish'
        : template.startsWith('/v1/channels')
          ? channelId
          : template.startsWith('/v1/posts')
            ? postId
            : template.startsWith('/v1/webhooks')
              ? webhook.body.id
              : template.startsWith('/v1/media')
                ? mediaId
                : template.startsWith('/v1/invitations/preview/:token')
                  ? 'x'.repeat(43)
                  : spareKey.body.id;
      const body =
        method === 'PATCH'
          ? template.startsWith('/v1/posts')
            ? { text: 'path base' }
            : template.startsWith('/v1/members')
              ? { role: 'viewer' }
              : { timezone: 'UTC' }
          : template.endsWith('/reorder')
            ? { deliveryIds: [] }
            : undefined;
      return { method, template: template.replace('/jobs/:id/retry', '/jobs/x/retry'), token: template.startsWith('/admin') ? 'admin' : 'key', value, body };
    }),
  };
}

/** One request of the hostile-string property: the base request with the fragment placed, and the field it went into. */
export function placeHostile(
  targets: HostileTargets,
  input: { where: 'body' | 'query' | 'path'; base: number; at: number; fragment: HostileFragment; position: number },
): { method: string; url: string; token: 'key' | 'admin'; body?: unknown; field: string; keys?: (string | number)[]; isName?: boolean } {
  const { fragment, position } = input;
  if (input.where === 'body') {
    const base = targets.bodies[input.base]!;
    const all = stringPlaces(base.body);
    const place = all[input.at % all.length]!;
    const changed = changeString(base.body, place, (text) => insert(text, fragment.text, position));
    return { method: base.method, url: base.path, token: base.token, body: changed.body, field: pathOf(changed.keys), keys: changed.keys, isName: place.isName };
  }
  if (input.where === 'query') {
    const base = targets.queries[input.base]!;
    const chosen = input.at % base.query.length;
    const query = base.query.map(([name, value], index) => {
      if (index !== chosen) return `${name}=${encodeURIComponent(value)}`;
      const at = position % (value.length + 1);
      return `${name}=${encodeForUrl(value.slice(0, at), fragment, value.slice(at))}`;
    });
    return { method: base.method, url: `${base.path}?${query.join('&')}`, token: base.token, field: `query.${base.query[chosen]![0]}` };
  }
  const base = targets.paths[input.base]!;
  const at = position % (base.value.length + 1);
  const segment = encodeForUrl(base.value.slice(0, at), fragment, base.value.slice(at));
  return { method: base.method, url: base.template.replace(/:id|:name|:state|:userId|:token/, segment), token: base.token, body: base.body, field: 'path' };
}
