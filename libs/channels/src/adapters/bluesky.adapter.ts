/**
 * Bluesky (AT Protocol): an `app.bsky.feed.post` record via `createRecord`
 * under a record key Herald chose and kept first, so a lookup asks
 * `getRecord` for exactly that key. Deliveries without a kept key (claimed
 * before keys were kept) are looked up in the repo's records, page by page.
 */
import { LookupRequest, PublishRequest, PublishedPost } from '../adapter';
import { NetworkError } from '../errors';
import { BaseAdapter, NetworkClient, epochMs } from './base-adapter';
import { isTid, newTid } from './bluesky-tid';
import { HttpReply, classifyAnswer, field, list } from './http';

const COLLECTION = 'app.bsky.feed.post';

export class BlueskyAdapter extends BaseAdapter {
  readonly network = 'bluesky' as const;

  async publish(request: PublishRequest): Promise<PublishedPost> {
    const { credentials, content } = request;
    const api = this.client(request);
    const rkey = request.ref && isTid(request.ref) ? request.ref : newTid();
    if (rkey !== request.ref) await request.keepRef(rkey);
    const record = {
      $type: COLLECTION,
      text: content.text,
      createdAt: new Date().toISOString(),
      ...(content.media.length > 0
        ? { embed: { $type: 'app.bsky.embed.images', images: content.media.map((item) => ({ image: { url: item.url }, alt: item.alt ?? '' })) } }
        : {}),
    };
    try {
      const reply = await api.post('/xrpc/com.atproto.repo.createRecord', { repo: credentials.handle, collection: COLLECTION, rkey, record });
      const uri = field(reply.body, 'uri');
      if (!uri) throw new NetworkError('transient', 'bad_answer', 'Bluesky answered without a record uri', { ambiguous: true });
      return this.toPublished(credentials.handle, uri);
    } catch (error) {
      // A key that is taken was taken by an earlier try of this delivery (the key is ours alone): it is published.
      // The reference PDS answers a taken key with a 500, not a 4xx, so any refusal but auth and rate limits is checked.
      if (error instanceof NetworkError && (error.errorClass === 'rejected' || error.errorClass === 'transient')) {
        const existing = await this.recordAt(api, credentials.handle, rkey).catch(() => null);
        if (existing) return existing;
      }
      throw error;
    }
  }

  async lookup(request: LookupRequest): Promise<PublishedPost | null> {
    const api = this.client(request);
    if (request.ref && isTid(request.ref)) return this.recordAt(api, request.credentials.handle, request.ref);
    const found = await this.findInTimeline(request, async (cursor) => {
      const reply = await api.get('/xrpc/com.atproto.repo.listRecords', { repo: request.credentials.handle, collection: COLLECTION, limit: '100', cursor });
      return {
        posts: list(reply.body, 'records').map((record) => ({
          id: field(record, 'uri') ?? '',
          text: field(record, 'value', 'text'),
          createdAt: epochMs(field(record, 'value', 'createdAt')),
          mediaCount: list(record, 'value', 'embed', 'images').length,
        })),
        next: field(reply.body, 'cursor'),
      };
    });
    return found ? this.toPublished(request.credentials.handle, found.id) : null;
  }

  /** The record under this key: published; `RecordNotFound`: certainly not; anything else: cannot tell (throws). */
  private async recordAt(api: NetworkClient, handle: string, rkey: string): Promise<PublishedPost | null> {
    try {
      const reply = await api.get('/xrpc/com.atproto.repo.getRecord', { repo: handle, collection: COLLECTION, rkey });
      const uri = field(reply.body, 'uri');
      if (!uri) throw new NetworkError('transient', 'bad_answer', 'Bluesky answered getRecord without a uri');
      return this.toPublished(handle, uri);
    } catch (error) {
      if (error instanceof NetworkError && error.code === 'record_not_found') return null;
      throw error;
    }
  }

  protected toError(reply: HttpReply): NetworkError {
    const error = field(reply.body, 'error') ?? '';
    const reason = field(reply.body, 'message') ?? error;
    if (error === 'RecordNotFound') return new NetworkError('rejected', 'record_not_found', reason, { httpStatus: reply.status });
    return classifyAnswer(reply, reason, ['ExpiredToken', 'InvalidToken', 'AuthenticationRequired'].includes(error));
  }

  private toPublished(handle: string, uri: string): PublishedPost {
    const rkey = uri.split('/').pop() ?? uri;
    return { externalId: uri, externalUrl: `https://bsky.app/profile/${encodeURIComponent(handle)}/post/${rkey}` };
  }
}
