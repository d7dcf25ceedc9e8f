/**
 * Threads' two-step Graph API: create a container (`/threads`), then publish
 * it (`/threads_publish?creation_id=`); a container's status
 * (`GET /{container-id}?fields=status`); the user's threads, paged as the
 * Graph API pages. Faults apply to the publish step, the status and lookups.
 */
import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { headerOf, NetworkGate, queryOf } from '../network-gate';
import { GRAPH_ERRORS, containerStatus, graphPage, publishContainer } from './graph';

@Controller('threads/v1.0/:userId')
export class ThreadsController {
  constructor(private readonly gate: NetworkGate) {}

  @Post('threads')
  container(@Req() request: FastifyRequest, @Res() response: FastifyReply): void {
    const account = this.gate.store.accountOf('threads', headerOf(request, 'authorization'));
    if (!account) return void response.status(401).send(GRAPH_ERRORS.body(401, 'unauthorized', ''));
    const body = { ...queryOf(request), ...(request.body as Record<string, unknown>) };
    const text = typeof body.text === 'string' ? body.text : '';
    const children = typeof body.children === 'string' ? body.children.split(',') : [];
    const url = typeof body.image_url === 'string' ? body.image_url : typeof body.video_url === 'string' ? body.video_url : undefined;
    const id = this.gate.store.stage({ url: url ?? '', text, children, ...(typeof body.alt_text === 'string' ? { alt: body.alt_text } : {}) });
    response.status(200).send({ id });
  }

  @Post('threads_publish')
  async publish(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('threads', request, response, GRAPH_ERRORS, (account) => publishContainer(this.gate, 'threads', account, request));
  }

  /** `GET /{container-id}?fields=status`: the path's id is a container here, not a user. */
  @Get()
  async status(@Req() request: FastifyRequest, @Res() response: FastifyReply, @Param('userId') containerId: string): Promise<void> {
    await this.gate.run('threads', request, response, GRAPH_ERRORS, () => containerStatus(this.gate, containerId, 'status'));
  }

  @Get('threads')
  async list(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('threads', request, response, GRAPH_ERRORS, (account) =>
      graphPage(this.gate, account, request, (post) => ({
        id: post.id,
        text: post.text,
        timestamp: post.createdAt,
        media_type: post.media.length === 0 ? 'TEXT_POST' : post.media.length > 1 ? 'CAROUSEL_ALBUM' : 'IMAGE',
        ...(post.media.length > 1 ? { children: { data: post.media.map((_, index) => ({ id: `${post.id}${index}` })) } } : {}),
        permalink: `https://www.threads.net/@${account.handle}/post/${post.id}`,
      })),
    );
  }
}
