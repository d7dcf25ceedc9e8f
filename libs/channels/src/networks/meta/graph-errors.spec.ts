/** Meta's error answers, as the real Graph API writes them (see NETWORKS.md and the media contract). */
import { HttpReply } from '../../http/http';
import { graphError } from './graph-errors';

const answer = (status: number, error: Record<string, unknown>): HttpReply => ({ status, headers: { get: () => null }, body: { error: { type: 'OAuthException', fbtrace_id: 'A1', ...error } } });

describe('graphError', () => {
  it('reads a media file the network could not fetch or use (9004 / 2207052) as refused, saying why', () => {
    const error = graphError(answer(400, { message: 'Only photo or video can be accepted as media type.', code: 9004, error_subcode: 2207052 }));
    expect(error).toMatchObject({ errorClass: 'rejected', code: 'media_download_failed', httpStatus: 400 });
    expect(error.message).toContain("could not fetch or read a media file from Herald's link");
    expect(error.message).toContain('Only photo or video can be accepted as media type.');
  });

  it('prefers the message meant for people (error_user_msg) when there is one', () => {
    const error = graphError(answer(400, { message: 'Invalid parameter', code: 100, error_subcode: 2207052, error_user_msg: 'The media could not be fetched from this URI' }));
    expect(error).toMatchObject({ code: 'media_download_failed' });
    expect(error.message).toContain('The media could not be fetched from this URI');
  });

  it("reads Instagram's aspect ratio refusal (36003 / 2207009) in words a user can act on", () => {
    const error = graphError(answer(400, { message: 'The aspect ratio is not supported.', code: 36003, error_subcode: 2207009 }));
    expect(error).toMatchObject({ errorClass: 'rejected', code: 'aspect_ratio' });
    expect(error.message).toContain('4:5');
  });

  it('reads "media not ready" (9007 / 2207027) as a wait: transient and not ambiguous, nothing was published', () => {
    expect(graphError(answer(400, { message: 'Media ID is not available', code: 9007, error_subcode: 2207027 }))).toMatchObject({ errorClass: 'transient', code: 'media_not_ready', ambiguous: false });
  });

  it('leaves "already published" (9007 / 2207008) a refusal, not a wait', () => {
    expect(graphError(answer(400, { message: 'The media has already been published', code: 9007, error_subcode: 2207008 }))).toMatchObject({ errorClass: 'rejected' });
  });

  it("reads Facebook's and Instagram's other media refusals as refused, each under its own code", () => {
    expect(graphError(answer(400, { message: '(#324) Missing or invalid image file', code: 324 }))).toMatchObject({ errorClass: 'rejected', code: 'media_download_failed' });
    expect(graphError(answer(400, { message: '(#389) Unable to fetch video file from URL', code: 389 }))).toMatchObject({ errorClass: 'rejected', code: 'media_download_failed' });
    expect(graphError(answer(400, { message: 'The video format is not supported.', code: 352, error_subcode: 2207026 }))).toMatchObject({ errorClass: 'rejected', code: 'media_unsupported' });
    expect(graphError(answer(400, { message: 'The image is too large to download.', code: 36000, error_subcode: 2207004 }))).toMatchObject({ errorClass: 'rejected', code: 'media_too_large' });
  });

  it('keeps the token and rate-limit readings', () => {
    expect(graphError(answer(400, { message: 'Session has expired', code: 190, error_subcode: 463 }))).toMatchObject({ errorClass: 'auth_expired', code: 'token_expired' });
    expect(graphError(answer(400, { message: 'Invalidated', code: 190, error_subcode: 460 }))).toMatchObject({ errorClass: 'auth_revoked' });
    expect(graphError(answer(400, { message: '(#4) Application request limit reached', code: 4 }))).toMatchObject({ errorClass: 'rate_limited' });
  });
});
