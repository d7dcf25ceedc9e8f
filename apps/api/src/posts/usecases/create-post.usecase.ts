/** `POST /v1/posts`: one post, its media found (or imported) first, then placed (see PostPlacement). */
import { Injectable } from '@nestjs/common';
import { MediaItem, UrlPolicy } from '@herald/channels';
import { AccessService } from '../../access';
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
  ) {}

  async execute({ auth, input }: CreatePostCommand): Promise<PostView> {
    const tenant = this.access.tenant(auth, 'posts.write');
    const request = await this.postMedia.resolveRequest(tenant, input, this.urls);
    const view = await this.placement.place(tenant, request, this.placement.authorOf(auth), new Date());
    // Once accepted, the versions its networks need are made (each part's), so its publish only reads.
    await this.postMedia.prepare(
      tenant,
      request.parts ? request.parts.flatMap((part) => part.media) : (request.media as MediaItem[]),
      view.deliveries.map((delivery) => delivery.network),
    );
    return view;
  }
}
