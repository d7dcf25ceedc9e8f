/**
 * Instagram's content publishing (Graph API): create a media container
 * (`/media`, carousel via `children`), then `/media_publish`. Lookups list
 * the user's media, paged as the Graph API pages; a container's status.
 * Faults apply to the publish step, the status and lookups.
 */
import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { headerOf, NetworkGate, queryOf } from '../network-gate';
import { GRAPH_ERRORS, containerStatus, graphPage, publishContainer } from './graph';

@Controller('instagram/v21.0/:igUserId')
export class InstagramController {
  constructor(private readonly gate: NetworkGate) {}

  @Post('media')
  container(@Req() request: FastifyRequest, @Res() response: FastifyReply): void {
    const account = this.gate.store.accountOf('instagram', headerOf(request, 'authorization'));
    if (!account) return void response.status(401).send(GRAPH_ERRORS.body(401, 'unauthorized', ''));
    const body = { ...queryOf(request), ...(request.body as Record<string, unknown>) };
    const caption = typeof body.caption === 'string' ? body.caption : '';
    const children = Array.isArray(body.children) ? body.children.map(String) : typeof body.children === 'string' ? body.children.split(',') : [];
    const url = typeof body.image_url === 'string' ? body.image_url : typeof body.video_url === 'string' ? body.video_url : '';
    if (!url && children.length === 0) return void response.status(400).send(GRAPH_ERRORS.body(400, 'invalid', 'image_url, video_url or children is required'));
    const id = this.gate.store.stage({ url, text: caption, children, ...(typeof body.alt_text === 'string' ? { alt: body.alt_text } : {}) });
    response.status(200).send({ id });
  }

  @Post('media_publish')
  async publish(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('instagram', request, response, GRAPH_ERRORS, (account) => publishContainer(this.gate, 'instagram', account, request));
  }

  /** `GET /{container-id}?fields=status_code`: the path's id is a container here, not a user. */
  @Get()
  async status(@Req() request: FastifyRequest, @Res() response: FastifyReply, @Param('igUserId') containerId: string): Promise<void> {
    await this.gate.run('instagram', request, response, GRAPH_ERRORS, () => containerStatus(this.gate, containerId, 'status_code'));
  }

  @Get('media')
  async list(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('instagram', request, response, GRAPH_ERRORS, (account) =>
      graphPage(this.gate, account, request, (post) => ({
        id: post.id,
        caption: post.text,
        timestamp: post.createdAt,
        media_type: post.media.length > 1 ? 'CAROUSEL_ALBUM' : 'IMAGE',
        ...(post.media.length > 1 ? { children: { data: post.media.map((_, index) => ({ id: `${post.id}${index}` })) } } : {}),
        permalink: `https://www.instagram.com/p/${post.id}/`,
      })),
    );
  }
}
