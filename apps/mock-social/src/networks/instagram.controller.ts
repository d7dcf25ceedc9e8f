/**
 * Instagram's content publishing (Graph API): create a media container
 * (`/media`, carousel via `children`), then `/media_publish`. Lookups list
 * the user's media. Faults apply to the publish step and to lookups.
 */
import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { headerOf, NetworkGate, queryOf } from '../network-gate';
import { GRAPH_ERRORS, publishContainer } from './graph';

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

  @Get('media')
  async list(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('instagram', request, response, GRAPH_ERRORS, (account) => {
      const limit = Math.min(100, Math.max(1, Number(queryOf(request).limit) || 25));
      const posts = this.gate.store.postsOf(account).slice(-limit).reverse();
      return {
        status: 200,
        body: { data: posts.map((post) => ({ id: post.id, caption: post.text, timestamp: post.receivedAt, permalink: `https://www.instagram.com/p/${post.id}/` })) },
      };
    });
  }
}
