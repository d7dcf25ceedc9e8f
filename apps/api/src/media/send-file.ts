/** A stored file as an HTTP answer: its type and length, one byte range where asked (`Range: bytes=a-b`), HEAD without a body. */
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { StoredFile } from '@herald/db';
import { ByteRange, MediaLibrary } from '@herald/media';
import { Problem } from '../common/problems';

/** What sendFile answers, for the routes' documents: the bytes in the file's own type, whole or one range. */
const BYTES = { '*/*': { schema: { type: 'string', format: 'binary' } } };
const FILE_HEADERS = {
  'Content-Type': { description: "The file's type (image/jpeg, video/mp4, image/webp, ...)", schema: { type: 'string' } },
  'Content-Length': { schema: { type: 'integer' } },
  'Accept-Ranges': { schema: { type: 'string', enum: ['bytes'] } },
  'Cache-Control': { schema: { type: 'string' } },
};
export const FILE_RESPONSES = {
  200: { status: 200, description: 'The whole file', content: BYTES, headers: FILE_HEADERS },
  206: {
    status: 206,
    description: 'The range asked for',
    content: BYTES,
    headers: { ...FILE_HEADERS, 'Content-Range': { description: '`bytes <first>-<last>/<size>`', schema: { type: 'string' } } },
  },
};

export async function sendFile(library: MediaLibrary, file: StoredFile, request: Request, response: Response, options: { cache: string; filename?: string }): Promise<void> {
  const range = rangeOf(request.header('range'), file.size);
  if (range === 'unsatisfiable') {
    response.setHeader('Content-Range', `bytes */${file.size}`);
    throw new Problem(416, 'Range not satisfiable', `The file has ${file.size} bytes`);
  }
  response.setHeader('Content-Type', file.mimeType);
  response.setHeader('Accept-Ranges', 'bytes');
  response.setHeader('Cache-Control', options.cache);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  if (options.filename) response.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(options.filename)}`);
  if (range) {
    response.status(206);
    response.setHeader('Content-Range', `bytes ${range.start}-${range.end - 1}/${file.size}`);
  }
  response.setHeader('Content-Length', String(range ? range.end - range.start : file.size));
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  await pipeline(await library.read(file, range ?? undefined), response);
}

/** One range of `bytes=a-b`, `bytes=a-` or `bytes=-n`; null without one (or with several: the whole file is sent). */
function rangeOf(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  const match = header?.match(/^bytes=(\d*)-(\d*)$/);
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size : Math.min(size, Number(match[2]) + 1);
  }
  if (start >= size || end <= start) return 'unsatisfiable';
  return { start, end };
}
