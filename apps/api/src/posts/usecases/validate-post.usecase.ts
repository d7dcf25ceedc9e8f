/**
 * `POST /v1/posts/validate`: a dry run of `POST /v1/posts`. The same body,
 * the same checks in the same core (PlacementRehearsal: the placement's
 * steps 1 to 4 in a transaction rolled back), answered per channel:
 * each text's count against its limit (every part of a thread, and the
 * first comment), the time the delivery would get
 * (queue slots included), the room its posting caps leave, the media its
 * network would get resized, whether it waits for approval, and the
 * problem the create would answer. Nothing is written, no media imported,
 * no link shortened, no quota taken: 200 whether or not the post would be
 * accepted.
 */
import { Injectable } from '@nestjs/common';
import { MediaItem, Network, UrlPolicy, channelLimitsOf, countText, fitPlan } from '@herald/channels';
import { AccessService } from '../../access';
import { ProblemBody, problemBodyOf } from '../../common/problem.filter';
import { Problem } from '../../common/problems';
import { PlacementRequest } from '../placement/placement-check';
import { LinkShortener } from '../link-shortener';
import { PostMedia } from '../post-media';
import { ChannelRehearsal, PlacementRehearsal } from '../placement/placement-rehearsal';
import { PostPlacement } from '../placement/post-placement';
import { QuotaRoom } from '../posting-quotas';
import { CreatePostCommand } from './commands';

export interface TextCountView {
  path: string;
  length: number;
  limit: number;
  bytes?: number;
}

export interface MediaFitView {
  /** The thread's part the item is in (absent for a post of one part). */
  part?: number;
  index: number;
  resized: boolean;
}

export type QuotaRoomView = QuotaRoom;

export interface ChannelValidationView {
  channelId: string;
  network: string | null;
  handle: string | null;
  ok: boolean;
  status: string | null;
  needsApproval: boolean;
  scheduledAt: string | null;
  text: TextCountView[];
  media: MediaFitView[];
  quota: QuotaRoomView[];
  problem: ProblemBody | null;
}

export interface PostValidationView {
  ok: boolean;
  problem: ProblemBody | null;
  channels: ChannelValidationView[];
}

@Injectable()
export class ValidatePostUseCase {
  constructor(
    private readonly access: AccessService,
    private readonly urls: UrlPolicy,
    private readonly postMedia: PostMedia,
    private readonly placement: PostPlacement,
    private readonly rehearsal: PlacementRehearsal,
    private readonly shortener: LinkShortener,
  ) {}

  async execute({ auth, input }: CreatePostCommand): Promise<PostValidationView> {
    const tenant = this.access.tenant(auth, 'posts.write');
    // Links are not shortened by a dry run (a shortener keeps each link it is given): only whether they could be.
    const unshortenable = this.shortener.refusal(input);
    if (unshortenable) return { ok: false, problem: problemBodyOf(unshortenable), channels: [] };
    let request: PlacementRequest;
    try {
      // URLs are not fetched by a dry run: what such a file holds is checked when the post is created.
      request = await this.postMedia.resolveRequest(tenant, input, this.urls, { importUrls: false });
    } catch (error) {
      if (error instanceof Problem) return { ok: false, problem: problemBodyOf(error), channels: [] };
      throw error;
    }
    const rehearsal = await this.rehearsal.rehearse(tenant, request, this.placement.authorOf(auth), new Date());
    if (rehearsal.problem) return { ok: false, problem: problemBodyOf(rehearsal.problem), channels: [] };
    const pieces = piecesOf(request);
    const channels = rehearsal.channels.map((result) => this.channelView(result, pieces, input.variants ?? {}));
    return { ok: channels.every((channel) => channel.ok), problem: null, channels };
  }

  private channelView(result: ChannelRehearsal, pieces: Piece[], variants: Record<string, unknown>): ChannelValidationView {
    const { channel, delivery } = result;
    const network = channel?.network as Network | undefined;
    const own = variants[result.channelId];
    const variant = typeof own === 'string' ? own : undefined;
    return {
      channelId: result.channelId,
      network: channel?.network ?? null,
      handle: channel?.handle ?? null,
      ok: !result.problem,
      status: delivery?.status ?? null,
      needsApproval: delivery?.status === 'pending_approval',
      scheduledAt: delivery?.at?.toISOString() ?? null,
      text:
        channel && network
          ? pieces.map((piece) => {
              // A channel's variant replaces the first part's text, a part's own variant a later part's, as the create judges them.
              // The first part's as placed: its links tracked where the post's or the channel's links ask for UTM (a dry run shortens nothing).
              const mine = piece.first ? (result.content?.variants[result.channelId] ?? variant) : piece.variants?.[result.channelId];
              const counted = countText(network, mine ?? piece.text, channelLimitsOf(channel.details));
              const path = mine === undefined ? piece.path : piece.first ? `variants.${result.channelId}` : `${piece.path}.variants.${result.channelId}`;
              return { path, ...counted };
            })
          : [],
      media: network
        ? pieces.flatMap((piece) => piece.media.map((item, index) => ({ ...(piece.part !== undefined ? { part: piece.part } : {}), index, resized: fitPlan(network, item) !== undefined })))
        : [],
      quota: result.quota,
      problem: result.problem ? problemBodyOf(result.problem) : null,
    };
  }
}

/** One text of a post as the create judges it: the post's (or each part's of a thread), and the first comment's. */
interface Piece {
  path: string;
  text: string;
  media: MediaItem[];
  /** It is the first part: a channel's variant stands in for its text. */
  first: boolean;
  part?: number;
  /** A later part's own text on some channels. */
  variants?: Record<string, string>;
}

function piecesOf(request: PlacementRequest): Piece[] {
  const thread = request.parts !== undefined && request.parts.length > 1 ? request.parts : undefined;
  const pieces: Piece[] = thread
    ? thread.map((part, index) => ({ path: `parts[${index}]`, text: part.text, media: part.media, first: index === 0, part: index, ...(part.variants ? { variants: part.variants } : {}) }))
    : [{ path: 'text', text: request.text, media: request.media as MediaItem[], first: true }];
  if (request.firstComment) pieces.push({ path: 'firstComment', text: request.firstComment.text, media: [], first: false });
  return pieces;
}
