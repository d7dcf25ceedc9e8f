/**
 * `GET /public/media/:id/:file?expires=&signature=`: a media file for the
 * networks that fetch media themselves (Threads, Instagram, Facebook), by a
 * signed link the worker made (see SignedLinks). No API key: the signature
 * names exactly this file of this media until it expires; a wrong or old
 * one is a 403, anything else a 404, and nothing is ever listed.
 */
import { Controller, Get, Head, Param, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { MediaRepository, SYSTEM } from '@herald/db';
import { MediaLibrary, SignedLinks } from '@herald/media';
import { ApiProblems, ApiRoute } from '../common/api-docs';
import { Forbidden, NotFound } from '../common/problems';
import { ParseIdPipe } from '../common/uuid.pipe';
import { FILE_RESPONSES, sendFile } from './send-file';

@ApiTags('Media')
@Controller('public/media')
export class PublicMediaController {
  constructor(
    private readonly links: SignedLinks,
    private readonly media: MediaRepository,
    private readonly library: MediaLibrary,
  ) {}

  @Get(':id/:file')
  @Head(':id/:file')
  @ApiRoute('getPublicMediaFile', 'Download a media file at a signed link', "No credentials: the worker makes these links for the networks that fetch media themselves (Threads, Instagram, Facebook).")
  @ApiParam({ name: 'file', description: 'Which file of the media: its original or a version derived for a network', schema: { type: 'string' } })
  @ApiQuery({ name: 'expires', required: true, description: 'Unix time the link lapses at', schema: { type: 'string', pattern: '^\\d+$' } })
  @ApiQuery({ name: 'signature', required: true, description: 'HMAC of the media, the file and `expires`', schema: { type: 'string' } })
  @ApiHeader({ name: 'Range', required: false, description: 'One byte range, e.g. `bytes=0-1023`', schema: { type: 'string' } })
  @ApiResponse(FILE_RESPONSES[200])
  @ApiResponse(FILE_RESPONSES[206])
  @ApiProblems({ 403: 'The signature is wrong, or the link has expired', 404: 'No such file' }, 416)
  async serve(
    @Param('id', new ParseIdPipe('Media')) id: string,
    @Param('file') name: string,
    @Query('expires') expires: string | undefined,
    @Query('signature') signature: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const verdict = this.links.verify(id, name, typeof expires === 'string' ? expires : undefined, typeof signature === 'string' ? signature : undefined);
    if (verdict !== 'ok') throw new Forbidden(verdict === 'expired' ? 'This media link has expired' : 'This media link is not valid');
    const media = await this.media.findById(SYSTEM, id);
    const file = media && this.library.fileNamed(media, name);
    if (!file) throw new NotFound('Media file', name);
    await sendFile(this.library, file, request, response, { cache: `public, max-age=${Math.max(0, Number(expires) - Math.floor(Date.now() / 1000))}` });
  }
}
