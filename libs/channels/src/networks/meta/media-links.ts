/**
 * Threads, Instagram and Facebook download media from Herald's signed
 * links. When one says it could not (9004 / 2207052, 324, 389), it may be
 * right about the file, or Herald's link may have been out of its reach (the
 * API restarting, a deploy, HERALD_PUBLIC_URL not public): Herald asks its
 * own links. One that does not answer makes the refusal a transient failure
 * (nothing was published; retried within the retry window); when every link
 * answers, the network's refusal stands.
 */
import { request as undiciRequest } from 'undici';
import { PublishRequest } from '../../adapter';
import { NetworkError } from '../../errors';

const CHECK_TIMEOUT_MS = 5000;

export async function withMediaLinksChecked<T>(request: PublishRequest, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof NetworkError) || error.code !== 'media_download_failed' || request.content.media.length === 0) throw error;
    const broken = await firstBrokenLink(request.content.media.map((item) => item.publicUrl));
    if (broken === undefined) throw error;
    throw new NetworkError(
      'transient',
      'media_link_unreachable',
      `The network could not download a media file, and Herald's own link to it did not answer either (${broken}): is HERALD_PUBLIC_URL reachable from the internet? Tried again later`,
      { ambiguous: false, ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}) },
    );
  }
}

/** What went wrong with the first link that does not answer 2xx to a HEAD; undefined when all do. */
async function firstBrokenLink(urls: string[]): Promise<string | undefined> {
  for (const url of urls) {
    try {
      const answer = await undiciRequest(url, { method: 'HEAD', headersTimeout: CHECK_TIMEOUT_MS, bodyTimeout: CHECK_TIMEOUT_MS });
      await answer.body.dump();
      if (answer.statusCode < 200 || answer.statusCode >= 300) return `HTTP ${answer.statusCode}`;
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
      return code ?? (error as Error).message;
    }
  }
  return undefined;
}
