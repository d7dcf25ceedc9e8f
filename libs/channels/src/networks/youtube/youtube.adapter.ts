/**
 * YouTube videos (Data API v3) by resumable upload: `POST
 * /upload/youtube/v3/videos?uploadType=resumable&part=snippet,status` with
 * the video's metadata opens an upload session (its URI in `Location`),
 * kept in Postgres before any byte is sent (the delivery's kept uploads);
 * the file goes in chunks (`PUT` with `Content-Range`, 8 MiB, a multiple of
 * 256 KiB), each answered `308 Resume Incomplete` with the bytes YouTube
 * holds in `Range`, the last with the video. A dropped connection, a 5xx or
 * a worker that died mid-upload is resumed, not restarted: the session is
 * asked what it holds (`PUT` with `Content-Range: bytes *\/total`) and the
 * upload goes on from there. A session YouTube forgot (404, 410) starts
 * again from its first byte; the video only exists once the last byte is in.
 *
 * The title, privacy and tags are the post's own (`networkOptions.youtube`),
 * else the text's first line, public and the text's hashtags; the whole text
 * is the description; `publishAt` is never sent (Herald schedules). A
 * vertical video of at most 3 minutes is a Short (its URL is `/shorts/`).
 * No idempotency key: after a crash the channel's uploads playlist is read
 * since the claim (`channels?mine=true` → `contentDetails.relatedPlaylists.uploads`
 * → `playlistItems`, newest first).
 */
import { CallContext, LookupRequest, PublishRequest, PublishedPost } from '../../adapter';
import { PublishableMedia } from '../../content';
import { BaseAdapter, epochMs } from '../../base-adapter';
import { NetworkError } from '../../errors';
import { HttpReply, field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { AccountFigures, accountFigures, count } from '../../metrics';
import { titleOf } from '../../rules/validate-content';
import { youtubeError } from './youtube.errors';
import { YouTubeOptions } from './youtube.options';

/** One chunk: a multiple of 256 KiB, as the protocol wants every chunk but the last. */
export const YOUTUBE_CHUNK_BYTES = 32 * 256 * 1024;
/** Google keeps an upload session a week. */
const SESSION_TTL_MS = 7 * 86_400_000;
/** Resumptions within one attempt before it gives up (the next attempt resumes again). */
const RESUMES_PER_ATTEMPT = 3;
const PAGE_SIZE = 50;
const TAGS_MAX_CHARACTERS = 500;
const RESUME_INCOMPLETE = 308;

/** What the session holds: the video (done), the bytes it has, or nothing (forgotten). */
type SessionState = { kind: 'done'; video: unknown } | { kind: 'partial'; received: number } | { kind: 'gone' };

export class YouTubeAdapter extends BaseAdapter {
  readonly network = 'youtube' as const;

  constructor(
    options: ConstructorParameters<typeof BaseAdapter>[0],
    private readonly apiUrl: string,
  ) {
    super(options);
  }

  async publish(request: PublishRequest): Promise<PublishedPost> {
    const video = request.content.media[0];
    if (!video || video.type !== 'video') throw new NetworkError('rejected', 'media_required', 'A YouTube post needs one video');
    const api = this.api(request);
    const key = `${video.key}:session`;
    let session = request.uploads.get(key);
    let received = 0;
    if (session) {
      const state = await this.status(api, session, video.size);
      if (state.kind === 'done') return toPublished(state.video, video);
      if (state.kind === 'partial') received = state.received;
      else session = undefined;
    }
    if (!session) {
      session = await this.openSession(api, request, video);
      await request.uploads.keep(key, session, new Date(Date.now() + SESSION_TTL_MS));
    }
    let resumes = 0;
    for (;;) {
      const end = Math.min(video.size, received + YOUTUBE_CHUNK_BYTES);
      let reply: HttpReply;
      try {
        reply = await api.put(
          session,
          { bytes: await video.readRange(received, end), contentType: video.mimeType },
          { 'content-range': `bytes ${received}-${end - 1}/${video.size}` },
          [RESUME_INCOMPLETE],
        );
      } catch (error) {
        // The connection dropped or YouTube failed mid-chunk: ask the session what it holds, and go on from there.
        if (!(error instanceof NetworkError) || error.errorClass !== 'transient' || resumes >= RESUMES_PER_ATTEMPT) throw error;
        resumes += 1;
        let state: SessionState;
        try {
          state = await this.status(api, session, video.size);
        } catch {
          // Not even that answered: the next attempt (after a lookup, where the call may have finished the upload) resumes.
          throw error;
        }
        if (state.kind === 'done') return toPublished(state.video, video);
        if (state.kind === 'gone') throw new NetworkError('transient', 'upload_session_gone', 'YouTube forgot the upload session mid-upload; the upload starts again', { ambiguous: false });
        received = state.received;
        continue;
      }
      if (reply.status !== RESUME_INCOMPLETE) return toPublished(reply.body, video);
      const held = heldBytes(reply);
      // YouTube may hold less than it was sent: the rest is sent again.
      if (held <= received && end > received) resumes += 1;
      if (resumes > RESUMES_PER_ATTEMPT) throw new NetworkError('transient', 'upload_stalled', `YouTube kept no more of the upload than ${held} of ${video.size} bytes`, { ambiguous: false });
      received = held;
    }
  }

  /**
   * `GET /youtube/v3/channels?part=statistics&mine=true` (1 unit): subscribers (none when the channel hides them),
   * videos, and its views under extra; YouTube rounds subscribers to three significant figures.
   */
  async readAccount(context: CallContext): Promise<AccountFigures> {
    const channel = list((await this.api(context).get('/youtube/v3/channels', { part: 'statistics', mine: 'true' })).body, 'items')[0] as { statistics?: Record<string, unknown> } | undefined;
    const stats = channel?.statistics ?? {};
    return accountFigures({ followers: stats.hiddenSubscriberCount === true ? undefined : count(stats.subscriberCount), posts: count(stats.videoCount), extra: { view_count: count(stats.viewCount) } });
  }

  async lookup(request: LookupRequest): Promise<PublishedPost | null> {
    const api = this.api(request);
    const channel = list((await api.get('/youtube/v3/channels', { part: 'contentDetails', mine: 'true' })).body, 'items')[0];
    const uploads = field(channel, 'contentDetails', 'relatedPlaylists', 'uploads');
    if (!uploads) throw new NetworkError('transient', 'no_uploads_playlist', "YouTube did not say the channel's uploads playlist; cannot tell whether the video is there");
    // The title the upload was given: the post's own, else the text's first line, as metadataOf chose it.
    const title = titleFor(request.content);
    const found = await this.findInTimeline(
      request,
      async (cursor) => {
        const reply = await api.get('/youtube/v3/playlistItems', { part: 'snippet,contentDetails', playlistId: uploads, maxResults: String(PAGE_SIZE), ...(cursor ? { pageToken: cursor } : {}) });
        return {
          posts: list(reply.body, 'items').map((item) => ({
            id: field(item, 'contentDetails', 'videoId') ?? field(item, 'snippet', 'resourceId', 'videoId') ?? '',
            // Title and description together: both must be the delivery's.
            text: field(item, 'snippet', 'title') === title ? field(item, 'snippet', 'description') : undefined,
            createdAt: epochMs(field(item, 'snippet', 'publishedAt')),
          })),
          next: field(reply.body, 'nextPageToken') ?? undefined,
        };
      },
    );
    return found ? { externalId: found.id, externalUrl: `https://www.youtube.com/watch?v=${found.id}` } : null;
  }

  protected toError(reply: HttpReply): NetworkError {
    return youtubeError(reply);
  }

  /** Opens the upload session with the video's metadata: its URI (Location). Nothing is published by this call. */
  private async openSession(api: NetworkClient, request: PublishRequest, video: PublishableMedia): Promise<string> {
    const reply = await api.post('/upload/youtube/v3/videos', metadataOf(request), {
      query: { uploadType: 'resumable', part: 'snippet,status' },
      headers: { 'x-upload-content-length': String(video.size), 'x-upload-content-type': video.mimeType },
    });
    const location = reply.headers.get('location');
    if (!location) throw new NetworkError('transient', 'bad_answer', 'YouTube opened no upload session (no Location)', { ambiguous: false });
    return location;
  }

  /** What the session holds (`Content-Range: bytes *\/total`, no body). */
  private async status(api: NetworkClient, session: string, total: number): Promise<SessionState> {
    try {
      const reply = await api.put(session, { bytes: new Uint8Array(0), contentType: 'application/octet-stream' }, { 'content-range': `bytes */${total}` }, [RESUME_INCOMPLETE]);
      return reply.status === RESUME_INCOMPLETE ? { kind: 'partial', received: heldBytes(reply) } : { kind: 'done', video: reply.body };
    } catch (error) {
      if (error instanceof NetworkError && (error.httpStatus === 404 || error.httpStatus === 410)) return { kind: 'gone' };
      throw error;
    }
  }

  private api(context: CallContext): NetworkClient {
    return this.client(this.apiUrl, context);
  }
}

/**
 * The video's snippet and status: title (the post's own, else the first
 * line), description (the text), tags (the post's own, else its hashtags),
 * privacy (the post's or the channel's, else public: Herald publishes at
 * the scheduled time; `publishAt` is never sent), category 22 ("People &
 * Blogs").
 */
export function metadataOf(request: Pick<PublishRequest, 'content'>): Record<string, unknown> {
  const { text } = request.content;
  const options = optionsOf(request.content);
  return {
    snippet: { title: titleFor(request.content), description: text, tags: options.tags ?? tagsOf(text), categoryId: '22' },
    status: { privacyStatus: options.privacy ?? 'public', selfDeclaredMadeForKids: false },
  };
}

/** The video's title: the post's own (`networkOptions.youtube.title`), else the text's first line. */
export function titleFor(content: { text: string; options?: Record<string, unknown> }): string {
  return optionsOf(content).title ?? titleOf(content.text);
}

/** The post's `networkOptions.youtube` (the API checked their shape against the schema). */
function optionsOf(content: { options?: Record<string, unknown> }): YouTubeOptions {
  return (content.options ?? {}) as YouTubeOptions;
}

/** The text's hashtags as tags, each once, within YouTube's 500 characters for all. */
export function tagsOf(text: string): string[] {
  const tags: string[] = [];
  let used = 0;
  for (const match of text.matchAll(/(?:^|[^\p{L}\p{N}_&])#([\p{L}\p{N}_]+)/gu)) {
    const tag = match[1]!;
    if (tags.some((kept) => kept.toLowerCase() === tag.toLowerCase())) continue;
    const cost = Array.from(tag).length + (tags.length > 0 ? 1 : 0);
    if (used + cost > TAGS_MAX_CHARACTERS) break;
    tags.push(tag);
    used += cost;
  }
  return tags;
}

/** A Short, as YouTube decides it: a vertical (or square) video of at most 3 minutes. */
export function isShort(video: Pick<PublishableMedia, 'width' | 'height' | 'durationMs'>): boolean {
  return video.width !== undefined && video.height !== undefined && video.height >= video.width && video.durationMs !== undefined && video.durationMs <= 180_000;
}

/** The bytes the session holds, from `Range: bytes=0-N` (none when absent). */
function heldBytes(reply: HttpReply): number {
  const match = /^bytes=0-(\d+)$/.exec(reply.headers.get('range') ?? '');
  return match ? Number(match[1]) + 1 : 0;
}

function toPublished(body: unknown, video: Pick<PublishableMedia, 'width' | 'height' | 'durationMs'>): PublishedPost {
  const id = field(body, 'id');
  if (!id) throw new NetworkError('transient', 'bad_answer', 'YouTube finished the upload without the video id', { ambiguous: true });
  return { externalId: id, externalUrl: isShort(video) ? `https://www.youtube.com/shorts/${id}` : `https://www.youtube.com/watch?v=${id}` };
}
