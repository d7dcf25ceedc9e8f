import { loggedPath } from './logging';

describe('the logged path of a request', () => {
  it('drops the query string and any segment that looks like a token, and keeps ids', () => {
    expect(loggedPath('/v1/posts?cursor=abc')).toBe('/v1/posts');
    expect(loggedPath(`/v1/invitations/${'A1_-'.repeat(11)}`)).toBe('/v1/invitations/:token');
    expect(loggedPath('/v1/invitations/7f049b17-e029-4e7f-8eed-4859c5c08118')).toBe('/v1/invitations/7f049b17-e029-4e7f-8eed-4859c5c08118');
    expect(loggedPath('/v1/channels/connect/short-state/accounts')).toBe('/v1/channels/connect/short-state/accounts');
    expect(loggedPath(undefined)).toBeUndefined();
  });
});
