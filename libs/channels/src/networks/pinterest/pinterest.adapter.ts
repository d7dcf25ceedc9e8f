/**
 * Pinterest pins (API v5 `POST /v5/pins`): one image, sent as base64 in the
 * pin's `media_source`, or one video (registered with `POST /v5/media`, its
 * file sent whole to the upload URL Pinterest answers with the fields it
 * gave, its processing polled at `GET /v5/media/{id}` until `succeeded`, then
 * pinned as `video_id` with a cover from its first second), on the board the post chose (`networkOptions.pinterest.boardId`)
 * or the channel's; the post's text is the pin's description, its title the
 * one chosen, its link the one chosen or the text's first, the image's alt
 * text the pin's. Pinterest takes no idempotency key: after a crash the board's
 * pins (`GET /v5/boards/{id}/pins`, newest first) are read since the claim.
 * An uploaded video's media id is kept, so a retry pins it without sending
 * the file again. Sources: developers.pinterest.com `/docs/api/v5/media-create`,
 * `/docs/api/v5/media-get`, `/docs/api-features/creating-boards-and-pins/#creating-video-pins`.
 */
import { CallContext, DeleteOutcome, DeleteRequest, LookupRequest, PublishRequest, PublishedPost } from '../../adapter';
import { BaseAdapter, epochMs, pollUntil } from '../../base-adapter';
import { ContentViolation, PostContent, PublishableMedia } from '../../content';
import { NetworkError } from '../../errors';
import { HttpReply, field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { AccountFigures, accountFigures, count } from '../../metrics';
import { pinterestError } from './pinterest.errors';
import { PinterestOptions } from './pinterest.options';

const PAGE_SIZE = 100;
/** The video's frame its cover is taken from, in seconds (Pinterest wants a cover: an image URL or a key frame). */
const COVER_FRAME_SECONDS = 1;
/** How long an uploaded video's media id is reused by a retry [unverified: Pinterest does not say how long it keeps an unused upload]. */
const MEDIA_KEPT_MS = 3_600_000;
/** How often processing is asked after (Pinterest gives no hint). */
const PROCESSING_POLL_MS = 2_000;
const FIRST_LINK = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'"]/u;

export class PinterestAdapter extends BaseAdapter {
  readonly network = 'pinterest' as const;

  constructor(
    options: ConstructorParameters<typeof BaseAdapter>[0],
    private readonly apiUrl: string,
  ) {
    super(options);
  }

  /** Beside the rules: a chosen board must be one of the channel's (those connecting found), else Pinterest would answer "Board not found" at publish time. */
  override validate(content: PostContent, details: Record<string, unknown> = {}): ContentViolation[] {
    const violations = super.validate(content, details);
    const chosen = optionsOf(content).boardId;
    const boards = boardsOf(details);
    if (chosen !== undefined && boards && !boards.some((board) => board.id === chosen)) {
      const names = boards.map((board) => `"${board.name}"`).join(', ');
      violations.push({ code: 'board_unknown', field: 'boardId', message: `The board ${chosen} is not one of this Pinterest channel's boards (${names || 'none'})` });
    }
    return violations;
  }

  /** `DELETE /v5/pins/{pin_id}` (204); Pinterest's 404 `Pin not found.` is a pin that is not there. */
  delete(request: DeleteRequest): Promise<DeleteOutcome> {
    return this.deleting(() => this.api(request).delete(`/v5/pins/${encodeURIComponent(request.externalId)}`));
  }

  async publish(request: PublishRequest): Promise<PublishedPost> {
    const [item] = request.content.media;
    if (!item) throw new NetworkError('rejected', 'media_required', 'A pin needs one image or one video');
    const api = this.api(request);
    const options = optionsOf(request.content);
    const link = options.link ?? FIRST_LINK.exec(request.content.text)?.[0];
    const mediaSource =
      item.type === 'video'
        ? { source_type: 'video_id', media_id: await this.uploadedVideo(api, request, item), cover_image_key_frame_time: COVER_FRAME_SECONDS }
        : { source_type: 'image_base64', content_type: item.mimeType, data: (await item.read()).toString('base64') };
    const reply = await api.post('/v5/pins', {
      board_id: options.boardId ?? boardOf(request),
      ...(options.title ? { title: options.title } : {}),
      description: request.content.text,
      ...(link ? { link } : {}),
      ...(item.alt ? { alt_text: item.alt } : {}),
      media_source: mediaSource,
    });
    const id = field(reply.body, 'id');
    if (!id) throw new NetworkError('transient', 'bad_answer', 'Pinterest answered POST /v5/pins without the pin id', { ambiguous: true });
    return toPublished(id);
  }

  /** `GET /v5/user_account` (`user_accounts:read`): `follower_count`, `following_count`, `pin_count`; `monthly_views` under extra. */
  async readAccount(context: CallContext): Promise<AccountFigures> {
    const me = (await this.api(context).get('/v5/user_account')).body as Record<string, unknown> | undefined;
    return accountFigures({ followers: count(me?.follower_count), following: count(me?.following_count), posts: count(me?.pin_count), extra: { monthly_views: count(me?.monthly_views) } });
  }

  async lookup(request: LookupRequest): Promise<PublishedPost | null> {
    const api = this.api(request);
    // The board the pin went to: the post's own choice, else the channel's.
    const board = optionsOf(request.content).boardId ?? boardOf(request);
    const found = await this.findInTimeline(request, async (cursor) => {
      const reply = await api.get(`/v5/boards/${encodeURIComponent(board)}/pins`, { page_size: String(PAGE_SIZE), ...(cursor ? { bookmark: cursor } : {}) });
      return {
        posts: list(reply.body, 'items').map((pin) => ({ id: field(pin, 'id') ?? '', text: field(pin, 'description'), createdAt: epochMs(field(pin, 'created_at')) })),
        next: field(reply.body, 'bookmark') ?? undefined,
      };
    });
    return found ? toPublished(found.id) : null;
  }

  /**
   * The video's media id once Pinterest has processed it: registered and
   * uploaded (or kept from an earlier try), then polled. Nothing here makes a
   * pin, so a failure is never ambiguous; a video Pinterest could not
   * process is refused for good.
   */
  private async uploadedVideo(api: NetworkClient, request: PublishRequest, video: PublishableMedia): Promise<string> {
    const id = request.uploads.get(video.key) ?? (await this.sendVideo(api, request, video));
    return pollUntil<string>(request, 'The Pinterest video', async () => {
      const { body } = await api.get(`/v5/media/${encodeURIComponent(id)}`);
      const status = field(body, 'status');
      if (status === 'succeeded') return { done: id };
      if (status === 'failed') throw new NetworkError('rejected', 'video_failed', 'Pinterest could not process the video (its format, length or size)', { ambiguous: false });
      return { waitMs: PROCESSING_POLL_MS };
    });
  }

  /** Registers the video and sends its file; its media id is kept once Pinterest holds the file. */
  private async sendVideo(api: NetworkClient, request: PublishRequest, video: PublishableMedia): Promise<string> {
    const { body } = await api.post('/v5/media', { media_type: 'video' });
    const registered = field(body, 'media_id');
    const uploadUrl = field(body, 'upload_url');
    const parameters = (body as { upload_parameters?: unknown }).upload_parameters;
    if (!registered || !uploadUrl || typeof parameters !== 'object' || parameters === null) {
      throw new NetworkError('transient', 'bad_answer', 'Pinterest answered POST /v5/media without a media id, an upload URL and its parameters', { ambiguous: false });
    }
    const fields = Object.fromEntries(Object.entries(parameters).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    let stored: HttpReply;
    try {
      stored = await api.upload(uploadUrl, { fields, file: { field: 'file', filename: video.filename, contentType: video.mimeType, size: video.size, readRange: (start, end) => video.readRange(start, end) } });
    } catch (error) {
      if (error instanceof NetworkError) throw new NetworkError('transient', error.code, `Sending the video to Pinterest's upload URL failed: ${error.message}`, { ambiguous: false });
      throw error;
    }
    if (stored.status < 200 || stored.status > 299) {
      throw new NetworkError('transient', 'upload_refused', `Pinterest's upload URL answered ${stored.status} to the video; it is registered and sent again on the next try`, { ambiguous: false });
    }
    await request.uploads.keep(video.key, registered, new Date(Date.now() + MEDIA_KEPT_MS));
    return registered;
  }

  protected toError(reply: HttpReply): NetworkError {
    return pinterestError(reply);
  }

  private api(context: CallContext): NetworkClient {
    return this.client(this.apiUrl, context);
  }
}

/** The board the channel pins to: the one chosen, else the first connecting found. */
function boardOf(context: CallContext): string {
  const board = context.details?.boardId;
  if (typeof board !== 'string' || board === '') throw new NetworkError('rejected', 'no_board', 'This Pinterest channel has no board: connect it again');
  return board;
}

/** The boards connecting found (`details.boards`), if it kept them. */
function boardsOf(details: Record<string, unknown>): Array<{ id: string; name: string }> | undefined {
  if (!Array.isArray(details.boards)) return undefined;
  return details.boards.flatMap((board: unknown) => {
    const { id, name } = (board ?? {}) as { id?: unknown; name?: unknown };
    return typeof id === 'string' ? [{ id, name: typeof name === 'string' ? name : id }] : [];
  });
}

/** The post's `networkOptions.pinterest` (the API checked their shape against the schema). */
function optionsOf(content: { options?: Record<string, unknown> }): PinterestOptions {
  return (content.options ?? {}) as PinterestOptions;
}

function toPublished(id: string): PublishedPost {
  return { externalId: id, externalUrl: `https://www.pinterest.com/pin/${id}/` };
}
