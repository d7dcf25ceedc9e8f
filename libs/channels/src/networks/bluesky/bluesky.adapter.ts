/**
 * Bluesky (AT Protocol): an `app.bsky.feed.post` record via `createRecord`
 * on the account's own PDS, its links, mentions and hashtags as facets, a
 * link card when it has a link and no media, under a record key Herald
 * chose and kept first, so a lookup asks `getRecord` for exactly that key.
 * Deliveries without a kept key (claimed before keys were kept) are looked
 * up in the repo's records, page by page.
 */
import { CallContext, DeleteOutcome, DeleteRequest, LookupRequest, PublishRequest, PublishedPost, ThreadAnchor } from '../../adapter';
import { AdapterOptions, BaseAdapter, epochMs } from '../../base-adapter';
import { NetworkError } from '../../errors';
import { HttpReply, field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { LinkPreviewer } from '../../link-preview';
import { PublishableMedia } from '../../content';
import { blueskyError } from './bluesky.errors';
import { facetsOf, firstLink } from './rich-text';
import { isTid, newTid } from './tid';
import { AccountFigures, MetricsReading, MetricsRequest, accountFigures, count } from '../../metrics';
import { BLUESKY_METRICS_BATCH, readBlueskyMetrics } from './bluesky.metrics';

const COLLECTION = 'app.bsky.feed.post';
/** How long a kept blob is referenced again: a PDS collects blobs no record uses after a while. */
const BLOB_LIFETIME_MS = 10 * 60_000;


export class BlueskyAdapter extends BaseAdapter {
  readonly network = 'bluesky' as const;

  constructor(
    options: AdapterOptions,
    private readonly previews?: LinkPreviewer,
  ) {
    super(options);
  }

  /**
   * `com.atproto.repo.deleteRecord` of the record at the post's `at://` URI
   * (the repo is the URI's DID). A PDS answers a record that is not there
   * with 200 and no commit: `gone`.
   */
  async delete(request: DeleteRequest): Promise<DeleteOutcome> {
    const match = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(request.externalId);
    if (!match) throw new NetworkError('rejected', 'bad_reference', `Not a Bluesky record URI: ${request.externalId}`);
    const [, repo, collection, rkey] = match;
    const reply = await this.api(request).post('/xrpc/com.atproto.repo.deleteRecord', { repo, collection, rkey });
    return field(reply.body, 'commit', 'cid') === undefined ? 'gone' : 'deleted';
  }

  async publish(request: PublishRequest): Promise<PublishedPost> {
    const { credentials, content } = request;
    const api = this.api(request);
    const repo = repoOf(request);
    const rkey = request.ref && isTid(request.ref) ? request.ref : newTid();
    if (rkey !== request.ref) await request.keepRef(rkey);
    const facets = await facetsOf(content.text, (handle) => this.resolveMention(api, handle));
    const record = {
      $type: COLLECTION,
      text: content.text,
      createdAt: new Date().toISOString(),
      ...(facets.length > 0 ? { facets } : {}),
      ...(await this.embedOf(request, facets)),
      // A part of a thread: strong refs ({uri, cid}) to the thread's first post and to the part it answers.
      ...(request.replyTo ? { reply: { root: strongRef(request.replyTo.root), parent: strongRef(request.replyTo.parent) } } : {}),
    };
    try {
      const reply = await api.post('/xrpc/com.atproto.repo.createRecord', { repo, collection: COLLECTION, rkey, record });
      const uri = field(reply.body, 'uri');
      if (!uri) throw new NetworkError('transient', 'bad_answer', 'Bluesky answered without a record uri', { ambiguous: true });
      return this.toPublished(credentials.handle, uri, field(reply.body, 'cid'));
    } catch (error) {
      // A key that is taken was taken by an earlier try of this delivery (the key is ours alone): it is published.
      // The reference PDS answers a taken key with a 500, not a 4xx, so any refusal but auth and rate limits is checked.
      if (error instanceof NetworkError && (error.errorClass === 'rejected' || error.errorClass === 'transient')) {
        const existing = await this.recordAt(api, repo, credentials.handle, rkey).catch(() => null);
        if (existing) return existing;
      }
      throw error;
    }
  }

  readonly metricsBatchSize = BLUESKY_METRICS_BATCH;

  /** Up to 25 posts in one `app.bsky.feed.getPosts` (see bluesky.metrics). */
  readMetrics(request: MetricsRequest): Promise<MetricsReading[]> {
    return readBlueskyMetrics(this.api(request), request.externalIds);
  }

  /** `app.bsky.actor.getProfile` of the account itself: `followersCount`, `followsCount`, `postsCount`. */
  async readAccount(context: CallContext): Promise<AccountFigures> {
    const profile = (await this.api(context).get('/xrpc/app.bsky.actor.getProfile', { actor: repoOf(context) })).body as Record<string, unknown> | undefined;
    return accountFigures({ followers: count(profile?.followersCount), following: count(profile?.followsCount), posts: count(profile?.postsCount) });
  }

  async lookup(request: LookupRequest): Promise<PublishedPost | null> {
    const api = this.api(request);
    const repo = repoOf(request);
    if (request.ref && isTid(request.ref)) return this.recordAt(api, repo, request.credentials.handle, request.ref);
    const found = await this.findInTimeline(request, async (cursor) => {
      const reply = await api.get('/xrpc/com.atproto.repo.listRecords', { repo, collection: COLLECTION, limit: '100', cursor });
      return {
        posts: list(reply.body, 'records').map((record) => ({
          id: field(record, 'uri') ?? '',
          cid: field(record, 'cid'),
          text: field(record, 'value', 'text'),
          createdAt: epochMs(field(record, 'value', 'createdAt')),
          mediaCount: list(record, 'value', 'embed', 'images').length,
        })),
        next: field(reply.body, 'cursor'),
      };
    });
    return found ? this.toPublished(request.credentials.handle, found.id, (found as { cid?: string }).cid) : null;
  }

  /** The record under this key: published; `RecordNotFound`: certainly not; anything else: cannot tell (throws). */
  private async recordAt(api: NetworkClient, repo: string, handle: string, rkey: string): Promise<PublishedPost | null> {
    try {
      const reply = await api.get('/xrpc/com.atproto.repo.getRecord', { repo, collection: COLLECTION, rkey });
      const uri = field(reply.body, 'uri');
      if (!uri) throw new NetworkError('transient', 'bad_answer', 'Bluesky answered getRecord without a uri');
      return this.toPublished(handle, uri, field(reply.body, 'cid'));
    } catch (error) {
      if (error instanceof NetworkError && error.code === 'record_not_found') return null;
      throw error;
    }
  }

  protected toError(reply: HttpReply): NetworkError {
    return blueskyError(reply);
  }

  /**
   * The post's images (`app.bsky.embed.images`: each blob uploaded with
   * `uploadBlob`, its alt text and aspect ratio), or else a link card
   * (`app.bsky.embed.external`: the page's title and description) for a
   * post with a link; none when the page cannot be read.
   */
  private async embedOf(request: PublishRequest, facets: Parameters<typeof firstLink>[0]): Promise<{ embed?: unknown }> {
    const { media } = request.content;
    if (media.length > 0) {
      const api = this.api(request);
      const images = [];
      for (const item of media) {
        images.push({
          image: await this.uploadBlob(api, request, item),
          alt: item.alt,
          ...(item.width && item.height ? { aspectRatio: { width: item.width, height: item.height } } : {}),
        });
      }
      return { embed: { $type: 'app.bsky.embed.images', images } };
    }
    const link = firstLink(facets);
    const preview = link && this.previews ? await this.previews.preview(link) : undefined;
    return preview ? { embed: { $type: 'app.bsky.embed.external', external: { uri: preview.uri, title: preview.title, description: preview.description } } } : {};
  }

  /**
   * `com.atproto.repo.uploadBlob` with the file's bytes and type; the blob
   * reference is kept (as JSON) so a retry within a few minutes (before the
   * PDS collects a blob no record uses) references it again.
   */
  private async uploadBlob(api: NetworkClient, request: PublishRequest, item: PublishableMedia): Promise<unknown> {
    const kept = request.uploads.get(item.key);
    if (kept) return JSON.parse(kept) as unknown;
    const reply = await api.post('/xrpc/com.atproto.repo.uploadBlob', { bytes: await item.read(), contentType: item.mimeType }, { as: 'raw' });
    const blob = (reply.body as { blob?: unknown } | undefined)?.blob;
    if (!blob || typeof blob !== 'object') throw new NetworkError('transient', 'bad_answer', 'Bluesky answered uploadBlob without a blob');
    await request.uploads.keep(item.key, JSON.stringify(blob), new Date(Date.now() + BLOB_LIFETIME_MS));
    return blob;
  }

  /** A mentioned handle's DID, asked of the account's PDS (which resolves any handle); undefined keeps the mention plain text. */
  private async resolveMention(api: NetworkClient, handle: string): Promise<string | undefined> {
    try {
      return field((await api.get('/xrpc/com.atproto.identity.resolveHandle', { handle })).body, 'did');
    } catch {
      return undefined;
    }
  }

  /** The account's own PDS; a channel connected before PDSs were kept is reached at the entryway. */
  private api(context: CallContext): NetworkClient {
    return this.client(context.credentials.host ?? this.options.endpoints.bluesky.entryway, context);
  }

  /** `cid`: the record's, for the strong ref a reply to it names (kept as `threadRef`). */
  private toPublished(handle: string, uri: string, cid?: string): PublishedPost {
    const rkey = uri.split('/').pop() ?? uri;
    return { externalId: uri, externalUrl: `https://bsky.app/profile/${encodeURIComponent(handle)}/post/${rkey}`, ...(cid ? { threadRef: JSON.stringify({ uri, cid }) } : {}) };
  }
}

/** A post of the thread as a reply names it: `{uri, cid}`; without its cid the reply cannot be made. */
function strongRef(anchor: ThreadAnchor): { uri: string; cid: string } {
  const ref = anchor.threadRef ? (JSON.parse(anchor.threadRef) as { uri?: string; cid?: string }) : {};
  if (!ref.cid) throw new NetworkError('rejected', 'parent_unknown', `The post this part answers (${anchor.externalId}) has no known cid, so Bluesky cannot take a reply to it`);
  return { uri: ref.uri ?? anchor.externalId, cid: ref.cid };
}

/** The repo to write: the account's DID when connecting found it, else (older channels) its handle. */
function repoOf(context: CallContext): string {
  return context.credentials.accountId ?? context.credentials.handle;
}
