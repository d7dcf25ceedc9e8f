import { googleBusinessError } from './google-business.errors';

const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, body, headers: new Headers(headers) });
const google = (code: number, status: string, message: string) => ({ error: { code, status, message } });

describe("Google Business Profile's errors (Google's format)", () => {
  it('reads a lapsed token, a permission taken away, a rate limit and a refusal', () => {
    expect(googleBusinessError(reply(401, google(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'))).errorClass).toBe('auth_expired');
    expect(googleBusinessError(reply(403, google(403, 'PERMISSION_DENIED', 'The caller does not have permission'))).errorClass).toBe('auth_revoked');
    const limited = googleBusinessError(reply(429, google(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded'), { 'retry-after': '30' }));
    expect(limited.errorClass).toBe('rate_limited');
    expect(limited.details.retryAfterMs).toBe(30_000);
    const refused = googleBusinessError(reply(400, google(400, 'INVALID_ARGUMENT', 'summary is longer than 1500 characters')));
    expect(refused).toMatchObject({ errorClass: 'rejected', code: 'invalid_argument' });
    expect(refused.message).toContain('summary is longer than 1500 characters');
    expect(googleBusinessError(reply(503, google(503, 'UNAVAILABLE', 'The service is currently unavailable.'))).errorClass).toBe('transient');
  });
});
