/**
 * Who the mock's accounts are: one per (network, instance, handle), made on
 * first use; stable ids derived from the handle (numbers on X, Mastodon and
 * Meta, an opaque `sub` on LinkedIn, a did:plc on Bluesky); new accounts for
 * a consent without `login_hint` named `user_<n>`.
 */
import { createHash } from 'node:crypto';

export interface Account {
  network: string;
  handle: string;
  /** The Mastodon instance the account lives on. */
  instanceUrl?: string;
}

export function accountKey(account: Account): string {
  return `${account.network}|${account.instanceUrl ?? ''}|${account.handle}`;
}

/** A stable number for a handle (X user ids, Mastodon account ids, Meta object ids are numbers). */
export function numericIdOf(handle: string, salt = ''): string {
  return String(parseInt(digest(`${salt}${handle}`).toString('hex').slice(0, 13), 16));
}

/** LinkedIn's member id (`sub`), an opaque 10-character string. */
export function linkedinSubOf(handle: string): string {
  return digest(`linkedin:${handle}`).toString('base64url').replace(/[-_]/g, 'x').slice(0, 10);
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A did:plc for a Bluesky handle: 24 base32 characters, as PLC identifiers are. */
export function didOf(handle: string): string {
  const bytes = digest(`bluesky:${handle}`);
  let id = '';
  for (let index = 0; index < 24; index += 1) id += BASE32[bytes[index]! & 31];
  return `did:plc:${id}`;
}

const HANDLE = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A Bluesky handle as the PDS normalises it (lowercase), or undefined when it is no handle. */
export function normalHandle(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 253) return undefined;
  const handle = value.toLowerCase().replace(/^@/, '');
  return HANDLE.test(handle) ? handle : undefined;
}

/** Bluesky's handle ↔ DID registry (any handle exists; a DID is known once its handle was seen), and new account names. */
export class Accounts {
  private handleOfDid = new Map<string, string>();
  /** A renamed Bluesky account's new handle → the handle it first had (its DID, tokens and posts stay that account's). */
  private firstHandleOf = new Map<string, string>();
  private created = 0;

  /** The DID of a Bluesky handle (a renamed account's: the DID it always had), registering it. */
  blueskyDid(handle: string): string {
    const first = this.firstHandleOf.get(handle) ?? handle;
    const did = didOf(first);
    this.handleOfDid.set(did, first);
    return did;
  }

  /** A Bluesky account now goes by `newHandle`: it resolves to the same DID, as a handle change on Bluesky keeps the DID. */
  renameBluesky(firstHandle: string, newHandle: string): void {
    const normal = normalHandle(newHandle);
    if (normal) this.firstHandleOf.set(normal, this.firstHandleOf.get(firstHandle) ?? firstHandle);
  }

  blueskyHandleOf(did: string): string | undefined {
    return this.handleOfDid.get(did);
  }

  /** The Bluesky account a repo parameter names: its handle or its DID. */
  blueskyRepo(repo: unknown): { handle: string; did: string } | undefined {
    if (typeof repo !== 'string') return undefined;
    if (repo.startsWith('did:')) {
      const handle = this.handleOfDid.get(repo);
      return handle ? { handle, did: repo } : undefined;
    }
    const handle = normalHandle(repo);
    if (!handle) return undefined;
    const did = this.blueskyDid(handle);
    return { handle: this.handleOfDid.get(did)!, did };
  }

  /** A fresh account name, for a consent that names none. */
  newHandle(): string {
    this.created += 1;
    return `user_${this.created}`;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
