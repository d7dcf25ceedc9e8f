/**
 * A Facebook Page's feed (Graph API): `POST /{page-id}/feed` with `message`
 * (photos given by URL as `attached_media`, simplified), and the feed for
 * lookups.
 */
import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NetworkGate, parseMediaUrls } from '../network-gate';
import { GRAPH_ERRORS, graphPage } from './graph';

@Controller('facebook')
export class FacebookController {
  constructor(private readonly gate: NetworkGate) {}

  @Post('v21.0/:pageId/feed')
  async create(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('facebook', request, response, GRAPH_ERRORS, (account) => {
      const body = request.body as { message?: unknown; attached_media?: unknown };
      const text = typeof body.message === 'string' ? body.message : '';
      const media = parseMediaUrls(body.attached_media);
      this.gate.checkContent('facebook', text, media);
      const post = this.gate.store.accept(account, text, media, null, (n) => `${pageIdOf(account.handle)}_${n}`);
      return { status: 200, body: { id: post.id } };
    });
  }

  @Get('v21.0/:pageId/feed')
  async feed(@Req() request: FastifyRequest, @Res() response: FastifyReply): Promise<void> {
    await this.gate.run('facebook', request, response, GRAPH_ERRORS, (account) =>
      graphPage(this.gate, account, request, (post) => ({
        id: post.id,
        message: post.text,
        created_time: post.createdAt.replace(/\.\d{3}Z$/, '+0000'),
        ...(post.media.length > 0 ? { attachments: { data: post.media.map((item) => ({ media: { image: { src: item.url } }, description: item.alt ?? '' })) } } : {}),
      })),
    );
  }
}

export function pageIdOf(handle: string): string {
  return String(parseInt(Buffer.from(handle).toString('hex').slice(0, 12), 16));
}
