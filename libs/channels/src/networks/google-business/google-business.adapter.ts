/**
 * Google Business Profile local posts (v4 `POST
 * /v4/accounts/{a}/locations/{l}/localPosts`): the post's text is the
 * summary; its type, button, event and offer are the post's own
 * (`networkOptions.google_business`, see local-post.ts), else a `STANDARD`
 * post whose button is `LEARN_MORE` to the text's first link; its photo is
 * fetched by Google from Herald's signed media link (`sourceUrl`). Google
 * takes no idempotency key: after a crash the location's local posts
 * (newest first, `pageToken`) are read since the claim. A local post is
 * deleted by its name (`DELETE .../localPosts/{p}`); Google's 404 is one
 * already gone.
 */
import { CallContext, DeleteOutcome, DeleteRequest, LookupRequest, PublishRequest, PublishedPost } from '../../adapter';
import { BaseAdapter, epochMs } from '../../base-adapter';
import { NetworkError } from '../../errors';
import { HttpReply, field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { locationPathOf } from './google-business.connector';
import { googleBusinessError } from './google-business.errors';
import { GoogleBusinessOptions } from './google-business.options';
import { localPostFields } from './local-post';

const PAGE_SIZE = 100;
const FIRST_LINK = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'"]/u;

export class GoogleBusinessAdapter extends BaseAdapter {
  readonly network = 'google_business' as const;

  constructor(
    options: ConstructorParameters<typeof BaseAdapter>[0],
    private readonly apiUrl: string,
  ) {
    super(options);
  }

  delete(request: DeleteRequest): Promise<DeleteOutcome> {
    return this.deleting(() => this.api(request).delete(`/v4/${localPostsOf(request)}/${encodeURIComponent(request.externalId)}`));
  }

  async publish(request: PublishRequest): Promise<PublishedPost> {
    const link = FIRST_LINK.exec(request.content.text)?.[0];
    const options = (request.content.options ?? {}) as GoogleBusinessOptions;
    const media = request.content.media.map((item) => {
      if (item.type !== 'image') throw new NetworkError('rejected', 'unsupported_media', 'A Google Business Profile post takes photos only');
      return { mediaFormat: 'PHOTO', sourceUrl: item.publicUrl };
    });
    const reply = await this.api(request).post(`/v4/${localPostsOf(request)}`, {
      languageCode: 'en',
      summary: request.content.text,
      ...localPostFields(options, link),
      ...(media.length > 0 ? { media } : {}),
    });
    const published = toPublished(reply.body);
    if (!published) throw new NetworkError('transient', 'bad_answer', 'Google answered the local post without its name', { ambiguous: true });
    return published;
  }

  async lookup(request: LookupRequest): Promise<PublishedPost | null> {
    const api = this.api(request);
    const path = localPostsOf(request);
    const bodies = new Map<string, unknown>();
    const found = await this.findInTimeline(request, async (cursor) => {
      const reply = await api.get(`/v4/${path}`, { pageSize: String(PAGE_SIZE), ...(cursor ? { pageToken: cursor } : {}) });
      return {
        posts: list(reply.body, 'localPosts').map((post) => {
          const id = idOf(field(post, 'name'));
          bodies.set(id, post);
          return { id, text: field(post, 'summary'), createdAt: epochMs(field(post, 'createTime')), mediaCount: list(post, 'media').length };
        }),
        next: field(reply.body, 'nextPageToken') ?? undefined,
      };
    });
    return found ? toPublished(bodies.get(found.id)) : null;
  }

  protected toError(reply: HttpReply): NetworkError {
    return googleBusinessError(reply);
  }

  private api(context: CallContext): NetworkClient {
    return this.client(this.apiUrl, context);
  }
}

function localPostsOf(context: CallContext): string {
  return `${locationPathOf(context.credentials.accountId, context.details)}/localPosts`;
}

/** The local post's id: the last part of its name `accounts/{a}/locations/{l}/localPosts/{p}`. */
function idOf(name: string | undefined): string {
  return name?.split('/').pop() ?? '';
}

function toPublished(post: unknown): PublishedPost | null {
  const id = idOf(field(post, 'name'));
  if (!id) return null;
  return { externalId: id, externalUrl: field(post, 'searchUrl') ?? `https://business.google.com/posts/${encodeURIComponent(id)}` };
}
