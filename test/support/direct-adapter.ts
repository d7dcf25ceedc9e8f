/**
 * One network's adapter called directly against the mock's origin of it,
 * with a token the mock issued (`POST /_mock/tokens`), no API and no worker
 * between: what the adapter sends for content a spec writes itself, its
 * `options` (`networkOptions.<network>`, whose plumbing through the API is
 * tested where the API is) and the channel's `details` among it.
 */
import { PublishRequest } from '../../libs/channels/src/adapter';
import { DEFAULT_LOOKUP_MAX_PAGES } from '../../libs/channels/src/base-adapter';
import { PublishableMedia } from '../../libs/channels/src/content';
import { REAL_ENDPOINTS } from '../../libs/channels/src/endpoints';
import { KeptState } from '../../libs/channels/src/networks/testing/scripted-network';
import { http } from './http';

export const ADAPTER_OPTIONS = { endpoints: REAL_ENDPOINTS, timeoutMs: 15_000, lookupMaxPages: DEFAULT_LOOKUP_MAX_PAGES };

/** A token of a day for `handle` on `network`, as the mock would have issued it through its consent flow. */
export async function mockToken(controlUrl: string, network: string, handle: string): Promise<{ accessToken: string; accountId: string }> {
  const issued = await http('POST', `${controlUrl}/_mock/tokens`, { body: { network, handle } });
  if (issued.status !== 200) throw new Error(`the mock issued no ${network} token for ${handle}: ${issued.status} ${JSON.stringify(issued.body)}`);
  return { accessToken: issued.body.accessToken as string, accountId: issued.body.accountId as string };
}

/** These bytes as a publish hands a file over; `publicUrl` where the network fetches it itself. */
export function fileOf(key: string, bytes: Buffer, mimeType: string, extras: Partial<PublishableMedia> = {}): PublishableMedia {
  const type = mimeType.startsWith('video/') ? 'video' : 'image';
  return {
    key,
    type,
    mimeType,
    size: bytes.length,
    alt: '',
    filename: `${key}.${mimeType.split('/')[1] ?? 'bin'}`,
    read: async () => bytes,
    readRange: async (start, end) => bytes.subarray(start, end),
    publicUrl: `https://herald.invalid/public/media/${key}`,
    ...extras,
  };
}

/** A publish request of this content for `handle`'s channel, the kept state (uploads, ref) in `kept`. */
export function publishRequest(
  kept: KeptState,
  token: { accessToken: string; accountId: string },
  handle: string,
  content: { text: string; media?: PublishableMedia[]; options?: Record<string, unknown> },
  details: Record<string, unknown> = {},
): PublishRequest {
  const base = kept.request(content.text, content.media ?? []);
  return {
    ...base,
    credentials: { handle, accessToken: token.accessToken, accountId: token.accountId },
    content: { ...base.content, ...(content.options ? { options: content.options } : {}) },
    details,
    deadline: Date.now() + 60_000,
  };
}
