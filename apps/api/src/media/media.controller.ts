import { Controller, Delete, Get, Head, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthGuard, Auth, AuthContext, ForChannelKeys, Needs } from '../access';
import { ApiBodies, ApiCreated, ApiNoContent, ApiOk, ApiPage, ApiProblems, ApiRoute } from '../common/api-docs';
import { ForAgents } from '../common/for-agents';
import { Page, PageQuery } from '../common/pagination';
import { ParseIdPipe } from '../common/uuid.pipe';
import { MediaService } from './media.service';
import { MediaSchema } from './schemas';
import { FILE_RESPONSES, sendFile } from './send-file';
import { MediaLibrary } from '@herald/media';

@ApiTags('Media')
@Controller('v1/media')
@UseGuards(AuthGuard)
export class MediaController {
  constructor(
    private readonly media: MediaService,
    private readonly library: MediaLibrary,
  ) {}

  /** 201 with the new media; 200 with the existing one when the workspace already has these bytes. */
  @Post()
  @Needs('media.write')
  @ForChannelKeys('inside')
  @ForAgents('import_media')
  @ApiRoute(
    'createMedia',
    'Upload or import a media file',
    'A file as `multipart/form-data` (one `file` part, streamed), or JSON `{url}` to import one. 200 instead of 201 when the workspace already has these bytes: the existing media.',
  )
  @ApiBodies('A file (one "file" part, streamed), or JSON {url} to import one', {
    'multipart/form-data': { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
    'application/json': {
      type: 'object',
      required: ['url'],
      properties: { url: { type: 'string', format: 'uri', maxLength: 2048, example: 'https://cdn.example.com/launch.jpg' } },
      additionalProperties: false,
    },
  })
  @ApiCreated(MediaSchema, 'Stored (`Location` names it)')
  @ApiOk(MediaSchema, 'The workspace already has these bytes: the existing media')
  @ApiProblems({
    413: 'The file is larger than this installation takes',
    415: 'Neither multipart/form-data nor JSON, or a file of a type Herald does not take',
    422: 'The file cannot be read as what it claims, or the URL cannot be imported (refused, unreachable, not media)',
  })
  async create(@Auth() auth: AuthContext, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<MediaSchema> {
    const { view, created } = await this.media.create(auth, request);
    response.status(created ? 201 : 200);
    if (created) response.setHeader('Location', `/v1/media/${view.id}`);
    return view;
  }

  @Get()
  @Needs('media.read')
  @ApiRoute('listMedia', 'List the media library')
  @ApiPage(MediaSchema)
  list(@Auth() auth: AuthContext, @Query() query: PageQuery): Promise<Page<MediaSchema>> {
    return this.media.list(auth, query.limit, query.cursor);
  }

  @Get(':id')
  @Needs('media.read')
  @ForChannelKeys('inside')
  @ApiRoute('getMedia', 'Get a media file', 'With what each network makes of it (`networks`).')
  @ApiOk(MediaSchema)
  @ApiProblems(404)
  get(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Media')) id: string): Promise<MediaSchema> {
    return this.media.get(auth, id);
  }

  @Get(':id/file')
  @Needs('media.read')
  @ForChannelKeys('inside')
  @Head(':id/file')
  @ApiRoute('getMediaFile', "Download a media file's original", 'Ranges are served (`Range: bytes=...`).')
  @ApiHeader({ name: 'Range', required: false, description: 'One byte range, e.g. `bytes=0-1023`', schema: { type: 'string' } })
  @ApiResponse(FILE_RESPONSES[200])
  @ApiResponse(FILE_RESPONSES[206])
  @ApiProblems(404, 416)
  async original(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Media')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { media, file } = await this.media.file(auth, id, 'original');
    await sendFile(this.library, file, request, response, { cache: 'private, max-age=31536000, immutable', filename: media.filename ?? undefined });
  }

  @Get(':id/thumbnail')
  @Needs('media.read')
  @ForChannelKeys('inside')
  @Head(':id/thumbnail')
  @ApiRoute('getMediaThumbnail', "Download an image's thumbnail", 'A WebP of at most 320 px a side.')
  @ApiHeader({ name: 'Range', required: false, description: 'One byte range, e.g. `bytes=0-1023`', schema: { type: 'string' } })
  @ApiResponse(FILE_RESPONSES[200])
  @ApiResponse(FILE_RESPONSES[206])
  @ApiProblems({ 404: 'No such media, or it has no thumbnail (a video)' }, 416)
  async thumbnail(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Media')) id: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { file } = await this.media.file(auth, id, 'thumbnail');
    await sendFile(this.library, file, request, response, { cache: 'private, max-age=31536000, immutable' });
  }

  @Delete(':id')
  @Needs('media.write')
  @HttpCode(204)
  @ApiRoute('deleteMedia', 'Delete a media file')
  @ApiNoContent('Deleted')
  @ApiProblems(404, { 409: 'A post not yet published (draft, scheduled, publishing) uses it; the answer names the posts' })
  async remove(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Media')) id: string): Promise<void> {
    await this.media.remove(auth, id);
  }
}
