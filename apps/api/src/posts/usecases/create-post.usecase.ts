/** `POST /v1/posts`: one post, its media found (or imported) and its links shortened (when asked) first, then placed (see PostPlacement). */
import { Injectable } from '@nestjs/common';
import { MediaItem, UrlPolicy } from '@herald/channels';
import { AccessService } from '../../access';
import { LinkShortener, ShortLinksReport } from '../link-shortener';
import { PostMedia } from '../post-media';
import { PostView } from '../post-view';
import { PostPlacement } from '../placement/post-placement';
import { CreatePostCommand } from './commands';

@Injectable()
export class CreatePostUseCase {
  constructor(
    private readonly access: AccessService,
    private readonly urls: UrlPolicy,
    private readonly postMedia: PostMedia,
    private readonly placement: PostPlacement,
    private readonly shortener: LinkShortener,
  ) {}

  async execute({ auth, input }: CreatePostCommand): Promise<PostView & { shortLinks?: ShortLinksReport }> {
    const tenant = this.access.tenant(auth, 'posts.write');
    const resolved = await this.postMedia.resolveRequest(tenant, input, this.urls);
    const { request, report } = await this.shortener.shorten(tenant, resolved);
    const view = await this.placement.place(tenant, request, this.placement.authorOf(auth), new Date());
    // Once accepted, the versions its networks need are made (each part's), so its publish only reads.
    await this.postMedia.prepare(
      tenant,
      request.parts ? request.parts.flatMap((part) => part.media) : (request.media as MediaItem[]),
      view.deliveries.map((delivery) => delivery.network),
    );
    return report ? { ...view, shortLinks: report } : view;
  }
}
