/**
 * `POST /v1/posts/validate`: a dry run of `POST /v1/posts`. The same body,
 * the same checks in the same core (PlacementRehearsal: the placement's
 * steps 1 to 4 in a transaction rolled back), answered per channel:
 * each text's count against its limit, the time the delivery would get
 * (queue slots included), the room its posting caps leave, the media its
 * network would get resized, whether it waits for approval, and the
 * problem the create would answer. Nothing is written, no media imported,
 * no quota taken: 200 whether or not the post would be accepted.
 */
import { Injectable } from '@nestjs/common';
import { MediaItem, Network, UrlPolicy, channelLimitsOf, countText, fitPlan } from '@herald/channels';
import { AccessService } from '../../access';
import { ProblemBody, problemBodyOf } from '../../common/problem.filter';
import { Problem } from '../../common/problems';
import { PlacementRequest } from '../placement/placement-check';
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
  ) {}

  async execute({ auth, input }: CreatePostCommand): Promise<PostValidationView> {
    const tenant = this.access.tenant(auth, 'posts.write');
    let request: PlacementRequest;
    try {
      // URLs are not fetched by a dry run: what such a file holds is checked when the post is created.
      request = await this.postMedia.resolveRequest(tenant, input, this.urls, { importUrls: false });
    } catch (error) {
      if (error instanceof Problem) return { ok: false, problem: problemBodyOf(error), channels: [] };
      throw error;
    }
    const media = request.media as MediaItem[];
    const rehearsal = await this.rehearsal.rehearse(tenant, request, this.placement.authorOf(auth), new Date());
    if (rehearsal.problem) return { ok: false, problem: problemBodyOf(rehearsal.problem), channels: [] };
    const channels = rehearsal.channels.map((result) => this.channelView(result, request.text, input.variants ?? {}, media));
    return { ok: channels.every((channel) => channel.ok), problem: null, channels };
  }

  private channelView(result: ChannelRehearsal, text: string, variants: Record<string, unknown>, media: MediaItem[]): ChannelValidationView {
    const { channel, delivery } = result;
    const network = channel?.network as Network | undefined;
    const own = variants[result.channelId];
    return {
      channelId: result.channelId,
      network: channel?.network ?? null,
      handle: channel?.handle ?? null,
      ok: !result.problem,
      status: delivery?.status ?? null,
      needsApproval: delivery?.status === 'pending_approval',
      scheduledAt: delivery?.at?.toISOString() ?? null,
      text: channel && network ? [textCount(network, typeof own === 'string' ? own : undefined, text, result.channelId, channel.details)] : [],
      media: network ? media.map((item, index) => ({ index, resized: fitPlan(network, item) !== undefined })) : [],
      quota: result.quota,
      problem: result.problem ? problemBodyOf(result.problem) : null,
    };
  }
}

/** The channel's text (its variant, else the post's) as its network counts it. */
function textCount(network: Network, variant: string | undefined, text: string, channelId: string, details: Record<string, unknown>): TextCountView {
  return { path: variant !== undefined ? `variants.${channelId}` : 'text', ...countText(network, variant ?? text, channelLimitsOf(details)) };
}
