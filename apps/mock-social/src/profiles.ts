/**
 * Who the mock's accounts look like: a display name (from the handle,
 * "user_2" shows as "User 2", until a test renames it) and an avatar, a small
 * PNG drawn per account and served by the network's own origin at
 * `/_avatars/<seed>.png` (as a network's CDN would serve it). A test renames
 * an account with `POST /_mock/accounts/rename`: the account keeps its id
 * (and its tokens, its posts) and shows a new handle, name and avatar from
 * then on, as a network shows an account whose owner changed them.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { Account, accountKey } from './accounts';
import { send } from './http/answer';
import { isMockNetwork } from './networks';
import type { MockWorld } from './world';

/** What an account shows now. */
export interface ShownProfile {
  handle: string;
  displayName: string;
  /** Path of its avatar on the network's origin. */
  avatarPath: string;
  /** A test renamed it. */
  renamed: boolean;
}

export interface RenameInput {
  network: string;
  handle: string;
  instanceUrl?: string;
  newHandle?: string;
  displayName?: string;
  /** `broken`: its avatar URL answers 404 from then on (a network's CDN losing it); `drawn`: the usual one again. */
  avatar?: 'drawn' | 'broken';
}

export class Profiles {
  private renamed = new Map<string, { handle?: string; displayName?: string; avatar?: 'drawn' | 'broken' }>();

  /** What `account` (as it signed in: its first handle) shows now. */
  of(account: Account): ShownProfile {
    const changed = this.renamed.get(accountKey(account));
    const handle = changed?.handle ?? account.handle;
    const displayName = changed?.displayName ?? nameFrom(handle);
    const seed = seedOf(`${account.network}|${handle}|${displayName}`);
    return { handle, displayName, avatarPath: changed?.avatar === 'broken' ? `/_avatars/${seed}-gone.png` : `/_avatars/${seed}.png`, renamed: changed !== undefined };
  }

  rename(input: RenameInput): ShownProfile {
    const account: Account = { network: input.network, handle: input.handle, ...(input.instanceUrl ? { instanceUrl: input.instanceUrl.replace(/\/+$/, '') } : {}) };
    const earlier = this.renamed.get(accountKey(account)) ?? {};
    this.renamed.set(accountKey(account), { handle: input.newHandle ?? earlier.handle, displayName: input.displayName ?? earlier.displayName, avatar: input.avatar ?? earlier.avatar });
    return this.of(account);
  }

  clear(): void {
    this.renamed.clear();
  }
}

/** The problems with a rename body, empty when it is fine. */
export function renameProblems(body: unknown): string[] {
  const input = (body ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (!isMockNetwork(input.network)) problems.push('network must be one of the mock networks');
  if (typeof input.handle !== 'string' || input.handle === '') problems.push('handle (the account as it signed in) is required');
  for (const name of ['instanceUrl', 'newHandle', 'displayName'] as const) {
    if (input[name] !== undefined && (typeof input[name] !== 'string' || input[name] === '')) problems.push(`${name} must be a non-empty string`);
  }
  if (input.avatar !== undefined && input.avatar !== 'drawn' && input.avatar !== 'broken') problems.push('avatar must be "drawn" or "broken"');
  if (input.newHandle === undefined && input.displayName === undefined && input.avatar === undefined) problems.push('give newHandle, displayName, avatar or several');
  if (input.network === 'mastodon' && typeof input.instanceUrl !== 'string') problems.push('instanceUrl is required for mastodon');
  return problems;
}

/** "user_2" → "User 2", "ada.lovelace" → "Ada Lovelace". */
function nameFrom(handle: string): string {
  return handle
    .replace(/\.(bsky\.social|test)$/, '')
    .split(/[._-]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
}

function seedOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Serves every account's avatar at this origin. */
export function registerAvatars(app: FastifyInstance): void {
  app.get<{ Params: { file: string } }>('/_avatars/:file', (request, reply) => {
    const match = /^([0-9a-f]{16})\.png$/.exec(request.params.file);
    if (!match) return reply.code(404).send();
    return reply.header('content-type', 'image/png').header('cache-control', 'public, max-age=86400').send(avatarPng(match[1]!));
  });
}

const drawn = new Map<string, Buffer>();

/** A 64×64 PNG: two colours from the seed, split on a diagonal, so each account's avatar looks its own. */
export function avatarPng(seed: string): Buffer {
  const kept = drawn.get(seed);
  if (kept) return kept;
  const bytes = Buffer.from(seed, 'hex');
  const size = 64;
  const first = [bytes[0]!, bytes[1]!, bytes[2]!];
  const second = [255 - bytes[3]!, 255 - bytes[4]!, bytes[5]!];
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y += 1) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x += 1) row.set(x + y < size ? first : second, 1 + x * 3);
    rows.push(row);
  }
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.from([0, 0, 0, size, 0, 0, 0, size, 8, 2, 0, 0, 0])),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  drawn.set(seed, png);
  return png;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** `POST /_mock/accounts/rename` `{network, handle, instanceUrl?, newHandle?, displayName?, avatar?}` → what the account shows now; `DELETE /_mock/accounts/renames` undoes every rename. */
export function registerProfileControl(app: FastifyInstance, world: MockWorld): void {
  app.post('/_mock/accounts/rename', (request, reply) => {
    const problems = renameProblems(request.body);
    if (problems.length > 0) return send(reply, { status: 400, body: { error: 'invalid rename', problems } });
    const input = request.body as RenameInput;
    const shown = world.profiles.rename(input);
    if (input.network === 'bluesky' && input.newHandle) world.accounts.renameBluesky(input.handle, input.newHandle);
    send(reply, { status: 200, body: { handle: shown.handle, displayName: shown.displayName } });
  });

  app.delete('/_mock/accounts/renames', (_request, reply) => {
    world.profiles.clear();
    send(reply, { status: 204 });
  });
}
