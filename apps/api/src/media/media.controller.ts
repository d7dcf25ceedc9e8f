import { Controller, Delete, Get, Head, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { AuthGuard, Auth, AuthContext } from '../access';
import { PageQuery } from '../common/pagination';
import { ParseIdPipe } from '../common/uuid.pipe';
import { MediaService } from './media.service';
import { sendFile } from './send-file';
import { MediaLibrary } from '@herald/media';

@Controller('v1/media')
@UseGuards(AuthGuard)
export class MediaController {
  constructor(
    private readonly media: MediaService,
    private readonly library: MediaLibrary,
  ) {}

  /** 201 with the new media; 200 with the existing one when the workspace already has these bytes. */
  @Post()
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    description: 'A file (one "file" part of a multipart/form-data body, streamed), or JSON {url} to import one',
    schema: {
      oneOf: [
        { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
        { type: 'object', required: ['url'], properties: { url: { type: 'string', format: 'uri', example: 'https://cdn.example.com/launch.jpg' } }, additionalProperties: false },
      ],
    },
  })
  async create(@Auth() auth: AuthContext, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { view, created } = await this.media.create(auth, request);
    response.status(created ? 201 : 200);
    if (created) response.setHeader('Location', `/v1/media/${view.id}`);
    return view;
  }

  @Get()
  list(@Auth() auth: AuthContext, @Query() query: PageQuery) {
    return this.media.list(auth, query.limit, query.cursor);
  }

  @Get(':id')
  get(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Media')) id: string) {
    return this.media.get(auth, id);
  }

  @Get(':id/file')
  @Head(':id/file')
  async original(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Media')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { media, file } = await this.media.file(auth, id, 'original');
    await sendFile(this.library, file, request, response, { cache: 'private, max-age=31536000, immutable', filename: media.filename ?? undefined });
  }

  @Get(':id/thumbnail')
  @Head(':id/thumbnail')
  async thumbnail(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Media')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { file } = await this.media.file(auth, id, 'thumbnail');
    await sendFile(this.library, file, request, response, { cache: 'private, max-age=31536000, immutable' });
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Media')) id: string): Promise<void> {
    await this.media.remove(auth, id);
  }
}
