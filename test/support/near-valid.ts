/**
 * Valid requests for the fuzz properties to spoil: a valid body for every
 * route that takes one, and the places in a JSON value where a change can go.
 */

/** Every place in a JSON value (the value itself excluded): [container, key]. */
export function places(value: unknown): [Record<string, unknown> | unknown[], string | number][] {
  const found: [Record<string, unknown> | unknown[], string | number][] = [];
  if (Array.isArray(value)) value.forEach((item, index) => found.push([value, index], ...places(item)));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) found.push([value as Record<string, unknown>, key], ...places(item));
  return found;
}

/** A copy of `body` with one change at the `at`-th place: the field removed, replaced, or an unknown one added beside it. */
export function mutate(body: unknown, at: number, op: 'remove' | 'replace' | 'add', value: unknown): unknown {
  const copy = structuredClone(body);
  const all = places(copy);
  const [container, key] = all[at % all.length]!;
  if (op === 'add') {
    if (Array.isArray(container)) container.push(value);
    else container[`unknown_${String(key)}`] = value;
  } else if (op === 'remove') {
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key as string];
  } else {
    (container as Record<string | number, unknown>)[key] = value;
  }
  return copy;
}

/** Values of every JSON kind, and a few that are the right kind but wrong (an id that names nothing). */
export const REPLACEMENTS: unknown[] = [null, 0, -1, 1e308, true, '', 'x', [], {}, [null], { mode: 'now' }, '00000000-0000-0000-0000-000000000000'];

/** A valid body for every route that takes one. */
export function nearValidBases(ids: string[]): { method: string; path: string; token: 'key' | 'admin'; body: unknown }[] {
  const [channelId, , postId, , mediaId] = ids;
  const post = { text: 'near valid', channelIds: [channelId], media: [{ mediaId, alt: 'a' }], variants: {}, schedule: { mode: 'draft' } };
  return [
    { method: 'POST', path: '/v1/posts', token: 'key', body: post },
    { method: 'POST', path: '/v1/posts', token: 'key', body: { ...post, schedule: { mode: 'at', localTime: '2099-03-29T02:30', timezone: 'Europe/Berlin' } } },
    { method: 'POST', path: '/v1/posts/bulk', token: 'key', body: { posts: [post, { ...post, schedule: { mode: 'queue' } }] } },
    { method: 'PATCH', path: `/v1/posts/${postId}`, token: 'key', body: { text: 'edited', media: [], variants: {}, schedule: { mode: 'at', at: '2099-01-01T09:00:00Z' } } },
    // The post is not awaiting approval: a well-formed note is a 409, changing nothing.
    { method: 'POST', path: `/v1/posts/${postId}/reject`, token: 'key', body: { note: 'not like this' } },
    { method: 'POST', path: '/v1/channels', token: 'key', body: { network: 'x', handle: 'near', timezone: 'Europe/Berlin', postingSchedule: { slots: [{ day: 'mon', time: '09:00' }] } } },
    { method: 'PATCH', path: `/v1/channels/${channelId}`, token: 'key', body: { timezone: 'UTC', postingSchedule: { slots: [{ day: 'tue', time: '10:00' }] }, status: 'active' } },
    { method: 'POST', path: `/v1/channels/${channelId}/queue/reorder`, token: 'key', body: { deliveryIds: [] } },
    { method: 'POST', path: '/v1/webhooks', token: 'key', body: { url: 'https://hooks.example.com/x', events: ['post.published'] } },
    { method: 'POST', path: '/v1/api-keys', token: 'key', body: { name: 'near', role: 'viewer' } },
    { method: 'POST', path: '/v1/invitations', token: 'key', body: { email: 'near@example.com', role: 'editor' } },
    { method: 'PATCH', path: '/v1/members/00000000-0000-0000-0000-000000000000', token: 'key', body: { role: 'viewer' } },
    // Tokens never issued (404), after the body is read; a reset for nobody (202, nothing written).
    { method: 'POST', path: '/v1/invitations/accept', token: 'key', body: { token: 'never-issued', password: 'a long enough password' } },
    { method: 'POST', path: '/v1/auth/password-reset', token: 'key', body: { email: 'nobody-near@example.com' } },
    { method: 'POST', path: '/v1/auth/password-reset/confirm', token: 'key', body: { token: 'never-issued', password: 'a long enough password' } },
    { method: 'POST', path: '/v1/workspaces', token: 'admin', body: { name: 'near' } },
    // A wrong password (the bearer token is not read there): 401, or 429 once loopback is throttled.
    { method: 'POST', path: '/v1/auth/sign-in', token: 'key', body: { email: 'nobody@example.com', password: 'not the password' } },
  ];
}

/** The keys that reach a place found by `places`. */
export function keysOf(body: unknown, [container, key]: [Record<string, unknown> | unknown[], string | number]): (string | number)[] {
  const search = (node: unknown, keys: (string | number)[]): (string | number)[] | undefined => {
    if (node === container) return [...keys, key];
    if (node && typeof node === 'object') {
      for (const [name, item] of Object.entries(node)) {
        const found = search(item, [...keys, Array.isArray(node) ? Number(name) : name]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return search(body, [])!;
}

export function setAt(body: Record<string | number, unknown>, keys: (string | number)[], value: unknown): void {
  const parent = keys.slice(0, -1).reduce<any>((node, key) => node[key], body);
  parent[keys[keys.length - 1]!] = value;
}

/** The valid bodies whose free text (a post's text, a name) can hold anything. */
export function textBases(ids: string[]) {
  return nearValidBases(ids).filter(({ path, method }) => method === 'POST' && ['/v1/posts', '/v1/api-keys', '/v1/workspaces'].includes(path));
}
