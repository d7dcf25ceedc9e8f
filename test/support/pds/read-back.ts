/**
 * Reads records and blobs back through @atproto/api (read-back-child.mjs, in a process of its own since
 * the client is ESM-only), so a test sees a post as Bluesky's own client does, not as Herald sent it.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const READ_BACK = join(__dirname, 'read-back-child.mjs');

/** The PDS's refusal, e.g. {status: 400, error: 'RecordNotFound'}. */
export interface ReadRefused {
  ok: false;
  status: number;
  error: string;
  message: string;
}

export interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: ({ $type: string } & Record<string, unknown>)[];
}

export interface PostRecord {
  $type: 'app.bsky.feed.post';
  text: string;
  createdAt: string;
  facets?: Facet[];
  embed?: { $type: string } & Record<string, unknown>;
  langs?: string[];
}

export type ReadRecord<T> = { ok: true; uri: string; cid: string; value: T } | ReadRefused;
export type ReadBlob = { ok: true; size: number; mimeType: string } | ReadRefused;

/** com.atproto.repo.getRecord; repo is a DID or a handle. */
export function readRecord<T = PostRecord>(pdsUrl: string, repo: string, rkey: string, collection = 'app.bsky.feed.post'): Promise<ReadRecord<T>> {
  return runReadBack(['record', pdsUrl, repo, rkey, collection]);
}

/** com.atproto.sync.getBlob: the blob's size in bytes and the content type it is served with. */
export function readBlob(pdsUrl: string, did: string, cid: string): Promise<ReadBlob> {
  return runReadBack(['blob', pdsUrl, did, cid]);
}

async function runReadBack<T>(args: string[]): Promise<T> {
  const env = { ...process.env };
  // Flags meant for Jest's own Node are not the script's.
  delete env.NODE_OPTIONS;
  const { stdout } = await promisify(execFile)(process.execPath, [READ_BACK, ...args], { env, timeout: 30_000 });
  return JSON.parse(stdout) as T;
}
