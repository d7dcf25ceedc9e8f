/**
 * Meta's Graph API errors (Threads, Instagram, Facebook): code 190 is a token
 * the Graph no longer takes, expired (subcode 463: renew it and try once
 * more) or invalidated (the person must reconnect); 4, 17, 32 and 613 are
 * rate limits. Media the network fetched by its public link and could not
 * use (9004 / 2207052, 36003 / 2207009; and Facebook's 324, 389, 352, the
 * 2207026 and 2207004 of Instagram) is refused for good, in words a user
 * can act on; a container that is not ready yet (9007 / 2207027) is only a
 * wait: nothing was published, the retry publishes the same container.
 */
import { NetworkError } from '../../errors';
import { HttpReply, classifyAnswer, field } from '../../http/http';

export function graphError(reply: HttpReply): NetworkError {
  const reason = field(reply.body, 'error', 'message') ?? '';
  const detail = field(reply.body, 'error', 'error_user_msg');
  const code = field(reply.body, 'error', 'code');
  const subcode = field(reply.body, 'error', 'error_subcode');
  const httpStatus = reply.status;
  if (code === '190' && subcode === '463') {
    return new NetworkError('auth_expired', 'token_expired', reason || 'The access token has expired', { httpStatus });
  }
  if (code === '4' || code === '17' || code === '32' || code === '613') {
    return classifyAnswer({ ...reply, status: 429 }, reason, false);
  }
  if (code === '9004' || subcode === '2207052' || code === '324' || code === '389') {
    return new NetworkError(
      'rejected',
      'media_download_failed',
      `The network could not fetch or read a media file from Herald's link (the link did not answer, or the file is not a type it takes)${said(detail ?? reason)}`,
      { httpStatus },
    );
  }
  if (code === '36003' || subcode === '2207009') {
    return new NetworkError('rejected', 'aspect_ratio', `An image's shape is not one the network takes (Instagram: between 4:5 portrait and 1.91:1 landscape)${said(detail ?? reason)}`, {
      httpStatus,
    });
  }
  if (code === '352' || subcode === '2207026') {
    return new NetworkError('rejected', 'media_unsupported', `A video's format, length or size is not one the network takes${said(reason)}`, { httpStatus });
  }
  if (code === '100' && subcode === '33') {
    return new NetworkError('rejected', 'not_found', `The object does not exist (deleted, or never there)${said(reason)}`, { httpStatus });
  }
  if (subcode === '2207004') {
    return new NetworkError('rejected', 'media_too_large', `A media file is larger than the network takes${said(reason)}`, { httpStatus });
  }
  if (subcode === '2207027' || (code === '9007' && subcode === undefined)) {
    return new NetworkError('transient', 'media_not_ready', `The network was still processing the media; the post is tried again shortly${said(reason)}`, { httpStatus, ambiguous: false });
  }
  return classifyAnswer(reply, reason, code === '190');
}

/** The Graph API's "not there" (an unknown object, or a 404): what a delete of a post already gone answers. */
export function isGraphGone(error: NetworkError): boolean {
  return error.code === 'not_found' || error.httpStatus === 404;
}

function said(reason: string): string {
  return reason ? ` (it said: ${reason})` : '';
}
