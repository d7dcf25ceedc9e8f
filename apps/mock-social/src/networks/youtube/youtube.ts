/**
 * YouTube's Data API v3 at its own origin: the account's channel
 * (`GET /youtube/v3/channels?mine=true`, with its uploads playlist), videos
 * by resumable upload (`POST /upload/youtube/v3/videos?uploadType=resumable`
 * opens a session whose URI is in `Location`; `PUT` to it with
 * `Content-Range: bytes a-b/total` feeds it, each chunk but the last a
 * multiple of 256 KiB, answered `308 Resume Incomplete` with `Range:
 * bytes=0-n`; `Content-Range: bytes *\/total` asks what it holds; the last
 * byte makes the video, judged by its bytes), `GET /youtube/v3/videos?id=`,
 * and the uploads playlist newest first (`GET /youtube/v3/playlistItems`,
 * `pageToken`). Its own rules: a title (required, 100 characters, no `<` or
 * `>`), a description of 5,000 bytes, tags of 500 characters in all, a
 * privacy of public, unlisted or private, a video file. Its quota: 10,000
 * units a day, 1,600 an upload, 1 a read, counted per account here (Google
 * counts per project; per account keeps one test's uploads from another's),
 * answered as Google does: 403 `quotaExceeded`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ContentRefused, Principal } from '../../gate';
import { Answer, fieldsOf, headerOf, queryOf, send } from '../../http/answer';
import { inspectMedia } from '../../media/inspect';
import { MockPost } from '../../store';
import { MockWorld } from '../../world';
import { googleError, youtubeFace } from './youtube.face';
import { registerGoogleOAuth } from './youtube.oauth';

const CHUNK_MULTIPLE = 256 * 1024;
const DAILY_UNITS = 10_000;
const UPLOAD_UNITS = 1_600;
const READ_UNITS = 1;
const PRIVACY = new Set(['public', 'unlisted', 'private']);
const UPLOAD_PATH = '/upload/youtube/v3/videos';

/** One resumable upload: whose, what it will be, what it holds. */
interface UploadSession {
  account: Principal;
  metadata: { title: string; description: string; tags: string[]; privacyStatus: string; categoryId: string };
  total: number | undefined;
  contentType: string;
  chunks: Buffer[];
  held: number;
  /** Every byte received, chunks sent again included. */
  bytesReceived: number;
  video?: MockPost;
}

/** The mock's YouTube state, per mock (its sessions and each account's units spent per day). */
interface YouTubeState {
  sessions: Map<string, UploadSession>;
  units: Map<string, { day: string; used: number }>;
}
const states = new WeakMap<MockWorld, YouTubeState>();

/** A channel id (`UC` and 22 characters), stable per handle; its uploads playlist is `UU` and the same 22. */
export function channelIdOf(handle: string): string {
  return `UC${createHash('sha256').update(`youtube:${handle}`).digest('base64url').slice(0, 22)}`;
}

export function registerYouTube(app: FastifyInstance, world: MockWorld): void {
  const face = youtubeFace(world);
  const { gate, store } = world;
  const state: YouTubeState = { sessions: new Map(), units: new Map() };
  states.set(world, state);
  registerGoogleOAuth(app, world);
  const refuse = (reason: string, message: string) => new ContentRefused(message, { status: 400, body: googleError(400, reason, message, 'youtube.video') });

  /** Takes `units` of the account's day, or answers Google's 403. */
  const spend = (account: Principal, units: number): Answer | undefined => {
    const day = new Date().toISOString().slice(0, 10);
    const entry = state.units.get(account.handle);
    const used = entry?.day === day ? entry.used : 0;
    if (used + units > DAILY_UNITS) {
      return { status: 403, body: googleError(403, 'quotaExceeded', 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.', 'youtube.quota') };
    }
    state.units.set(account.handle, { day, used: used + units });
    return undefined;
  };

  app.get('/youtube/v3/channels', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const query = queryOf(request);
      if (query.mine !== 'true') return { status: 400, body: googleError(400, 'missingRequiredParameter', 'No filter selected. Expected one of: mine, id, forHandle, managedByMe.') };
      if (!query.part) return { status: 400, body: googleError(400, 'required', "Required parameter: part", 'global') };
      const spent = spend(account, READ_UNITS);
      if (spent) return spent;
      const parts = new Set(query.part.split(','));
      const id = channelIdOf(account.handle);
      const profile = world.profiles.of(account);
      return {
        status: 200,
        body: {
          kind: 'youtube#channelListResponse',
          pageInfo: { totalResults: 1, resultsPerPage: 5 },
          items: [
            {
              kind: 'youtube#channel',
              id,
              ...(parts.has('snippet')
                ? { snippet: { title: profile.displayName, description: '', customUrl: `@${profile.handle}`, publishedAt: '2020-01-01T00:00:00Z', thumbnails: { default: { url: `${world.url('youtube')}${profile.avatarPath}`, width: 88, height: 88 } } } }
                : {}),
              ...(parts.has('contentDetails') ? { contentDetails: { relatedPlaylists: { likes: '', uploads: `UU${id.slice(2)}` } } } : {}),
              // YouTube gives counts as strings (`PUT /_mock/account-metrics` sets them).
              ...(parts.has('statistics')
                ? {
                    statistics: {
                      viewCount: String(world.accountMetrics.of('youtube', account.handle, 'viewCount')),
                      subscriberCount: String(world.accountMetrics.of('youtube', account.handle, 'subscriberCount')),
                      hiddenSubscriberCount: false,
                      videoCount: String(world.accountMetrics.of('youtube', account.handle, 'videoCount', world.store.postsOf(account).length)),
                    },
                  }
                : {}),
            },
          ],
        },
      };
    }),
  );

  app.post(UPLOAD_PATH, (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const query = queryOf(request);
      if (query.uploadType !== 'resumable') return { status: 400, body: googleError(400, 'badRequest', 'uploadType must be resumable here (the mock serves resumable uploads only)', 'global') };
      const parts = new Set((query.part ?? '').split(','));
      if (!parts.has('snippet')) return { status: 400, body: googleError(400, 'required', 'Required parameter: part (with snippet)', 'global') };
      const metadata = metadataOf(fieldsOf(request), refuse);
      const contentType = headerOf(request, 'x-upload-content-type') ?? 'application/octet-stream';
      if (!contentType.startsWith('video/') && contentType !== 'application/octet-stream') throw refuse('invalidVideoMetadata', `X-Upload-Content-Type ${contentType} is not a video`);
      const length = headerOf(request, 'x-upload-content-length');
      const total = length === undefined ? undefined : Number(length);
      if (total !== undefined && (!Number.isSafeInteger(total) || total <= 0)) throw refuse('badContent', 'X-Upload-Content-Length must be a positive number of bytes');
      const spent = spend(account, UPLOAD_UNITS);
      if (spent) return spent;
      const uploadId = randomBytes(18).toString('base64url');
      state.sessions.set(uploadId, { account, metadata, total, contentType, chunks: [], held: 0, bytesReceived: 0 });
      const location = `${world.url('youtube')}${UPLOAD_PATH}?uploadType=resumable&part=${encodeURIComponent([...parts].join(','))}&upload_id=${uploadId}`;
      return { status: 200, headers: { location, 'x-guploader-uploadid': uploadId }, body: '' };
    }),
  );

  app.put(UPLOAD_PATH, (request, reply) => {
    const session = state.sessions.get(queryOf(request).upload_id ?? '');
    if (!session) {
      // An unknown or forgotten session is Google's 404, before any account is known.
      world.calls.note(request, {});
      return send(reply, { status: 404, body: googleError(404, 'notFound', 'The upload session was not found or has expired.', 'global') });
    }
    // The session URI is the credential: the account is the session's.
    return gate.run(face, request, reply, () => feed(session, request, store, refuse), { account: session.account });
  });

  app.get('/youtube/v3/videos', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const query = queryOf(request);
      const spent = spend(account, READ_UNITS);
      if (spent) return spent;
      const ids = (query.id ?? '').split(',').filter(Boolean);
      const items = ids.flatMap((id) => {
        const post = store.find(id);
        return post?.network === 'youtube' ? [toVideo(post)] : [];
      });
      return { status: 200, body: { kind: 'youtube#videoListResponse', pageInfo: { totalResults: items.length, resultsPerPage: items.length }, items } };
    }),
  );

  app.get('/youtube/v3/playlistItems', (request, reply) =>
    gate.run(face, request, reply, (account) => {
      const query = queryOf(request);
      if (!query.playlistId) return { status: 400, body: googleError(400, 'playlistIdRequired', 'The request does not specify a playlist id.') };
      if (query.playlistId !== `UU${channelIdOf(account.handle).slice(2)}`) return { status: 404, body: googleError(404, 'playlistNotFound', 'The playlist identified with the request\'s playlistId parameter cannot be found.') };
      const size = query.maxResults === undefined ? 5 : Number(query.maxResults);
      if (!Number.isInteger(size) || size < 0 || size > 50) return { status: 400, body: googleError(400, 'invalidParameter', 'maxResults must be 0 to 50', 'global') };
      const start = query.pageToken === undefined ? 0 : Number(Buffer.from(query.pageToken, 'base64url').toString('utf8'));
      if (!Number.isInteger(start) || start < 0) return { status: 400, body: googleError(400, 'invalidPageToken', 'The pageToken is not valid.', 'global') };
      const spent = spend(account, READ_UNITS);
      if (spent) return spent;
      const videos = store.postsOf(account).filter((post) => post.network === 'youtube').reverse();
      const page = videos.slice(start, start + size);
      const next = start + size < videos.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
      return {
        status: 200,
        body: {
          kind: 'youtube#playlistItemListResponse',
          ...(next ? { nextPageToken: next } : {}),
          pageInfo: { totalResults: videos.length, resultsPerPage: size },
          items: page.map((post) => {
            const video = toVideo(post);
            return {
              kind: 'youtube#playlistItem',
              id: createHash('sha256').update(`item:${post.id}`).digest('base64url').slice(0, 32),
              snippet: { publishedAt: post.createdAt, channelId: video.snippet.channelId, title: video.snippet.title, description: video.snippet.description, playlistId: query.playlistId, resourceId: { kind: 'youtube#video', videoId: post.id } },
              contentDetails: { videoId: post.id, videoPublishedAt: post.createdAt },
            };
          }),
        },
      };
    }),
  );
}

/** The video's snippet and status as `videos.insert` takes them, judged by YouTube's rules. */
function metadataOf(body: Record<string, unknown>, refuse: (reason: string, message: string) => Error): UploadSession['metadata'] {
  const snippet = (body.snippet ?? {}) as Record<string, unknown>;
  const status = (body.status ?? {}) as Record<string, unknown>;
  const title = snippet.title;
  if (typeof title !== 'string' || title.trim() === '') throw refuse('invalidTitle', 'The request metadata does not specify a valid video title.');
  if (Array.from(title).length > 100 || /[<>]/.test(title)) throw refuse('invalidTitle', 'The request metadata specifies an invalid video title (at most 100 characters, no < or >).');
  const description = snippet.description ?? '';
  if (typeof description !== 'string' || Buffer.byteLength(description) > 5000 || /[<>]/.test(description)) {
    throw refuse('invalidDescription', 'The request metadata specifies an invalid video description (at most 5000 bytes, no < or >).');
  }
  const tags = snippet.tags ?? [];
  // A tag holding `<` or `>` is refused as the title is (snippet.tags[]: "invalid characters").
  if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string' || /[<>]/.test(tag))) throw refuse('invalidTags', 'The request metadata specifies invalid video keywords.');
  const tagLength = (tags as string[]).reduce((sum, tag) => sum + Array.from(tag).length + (tag.includes(' ') ? 2 : 0), 0) + Math.max(0, tags.length - 1);
  if (tagLength > 500) throw refuse('invalidTags', 'The request metadata specifies invalid video keywords (500 characters in all).');
  const privacy = status.privacyStatus ?? 'public';
  if (typeof privacy !== 'string' || !PRIVACY.has(privacy)) throw refuse('invalidVideoMetadata', 'status.privacyStatus must be public, unlisted or private.');
  if (status.publishAt !== undefined && privacy !== 'private') throw refuse('invalidPublishAt', 'A scheduled publishing time can only be set for a private video.');
  return { title, description, tags: tags as string[], privacyStatus: privacy, categoryId: typeof snippet.categoryId === 'string' ? snippet.categoryId : '22' };
}

/** One PUT to a session: a chunk (or a status question), answered 308 with what it holds, or the video once whole. */
function feed(session: UploadSession, request: FastifyRequest, store: MockWorld['store'], refuse: (reason: string, message: string) => Error): Answer {
  const range = headerOf(request, 'content-range') ?? '';
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  session.bytesReceived += body.length;
  if (session.video) return { status: 200, body: toVideo(session.video) };
  const asked = /^bytes \*\/(\d+|\*)$/.exec(range);
  if (asked) return incomplete(session);
  const chunk = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(range);
  if (!chunk) {
    if (range !== '' || session.held > 0) throw refuse('badContent', `Content-Range must be "bytes a-b/total" or "bytes */total", not "${range}"`);
  }
  const start = chunk ? Number(chunk[1]) : 0;
  const end = chunk ? Number(chunk[2]) : body.length - 1;
  const total = chunk && chunk[3] !== '*' ? Number(chunk[3]) : chunk ? session.total : body.length;
  if (total !== undefined) {
    if (session.total !== undefined && total !== session.total) throw refuse('badContent', `Content-Range total ${total} is not the upload's ${session.total} bytes`);
    session.total = total;
  }
  if (end - start + 1 !== body.length) throw refuse('badContent', `Content-Range says ${end - start + 1} bytes; the request sent ${body.length}`);
  if (start > session.held) throw refuse('badContent', `Content-Range starts at byte ${start}; the session holds ${session.held} (ask with "bytes */total")`);
  const last = session.total !== undefined && end + 1 === session.total;
  if (!last && body.length % CHUNK_MULTIPLE !== 0) throw refuse('badContent', `A chunk other than the last must be a multiple of ${CHUNK_MULTIPLE} bytes; this one is ${body.length}`);
  // Bytes it already holds are taken once.
  const fresh = body.subarray(session.held - start);
  session.chunks.push(fresh);
  session.held += fresh.length;
  if (!last) return incomplete(session);
  const bytes = Buffer.concat(session.chunks);
  session.chunks = [bytes];
  const facts = inspectMedia(bytes);
  if (!facts || facts.type !== 'video') throw refuse('invalidVideoMetadata', 'The uploaded file is not a video YouTube can process.');
  const { metadata } = session;
  session.video = store.accept(session.account, metadata.description, [facts], {
    idFor: () => randomBytes(8).toString('base64url').replace(/[-_]/g, 'x').slice(0, 11),
    bytesReceived: session.bytesReceived,
    record: { ...metadata, channelId: channelIdOf(session.account.handle) },
  });
  return { status: 200, body: toVideo(session.video) };
}

function incomplete(session: UploadSession): Answer {
  return { status: 308, headers: session.held > 0 ? { range: `bytes=0-${session.held - 1}` } : {}, body: '' };
}

function toVideo(post: MockPost) {
  const record = (post.record ?? {}) as { title?: string; description?: string; tags?: string[]; privacyStatus?: string; categoryId?: string; channelId?: string };
  return {
    kind: 'youtube#video',
    id: post.id,
    snippet: { publishedAt: post.createdAt, channelId: record.channelId ?? channelIdOf(post.handle), title: record.title ?? '', description: record.description ?? post.text, tags: record.tags ?? [], categoryId: record.categoryId ?? '22' },
    status: { uploadStatus: 'uploaded', privacyStatus: record.privacyStatus ?? 'public', license: 'youtube', embeddable: true, publicStatsViewable: true, madeForKids: false },
  };
}

