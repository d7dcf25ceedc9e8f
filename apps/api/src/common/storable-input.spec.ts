import { bodyErrors, pathErrors, queryErrors } from './storable-input';

describe('storable input', () => {
  it('names each body field holding NUL or an unpaired surrogate, as the validator names fields', () => {
    const body = JSON.parse('{"text":"a\\u0000","variants":{"v1":"\\ud800"},"media":[{"url":"https://x.test/a.png","alt":"ok"},{"alt":"b\\udc00"}],"n\\u0000":1,"schedule":{"mode":"now"}}');
    expect(bodyErrors(body)).toEqual([
      { path: 'text', message: 'contains U+0000 (NUL) at index 1, which cannot be stored' },
      { path: 'n\u0000', message: "the field's name contains U+0000 (NUL) at index 1, which cannot be stored" },
      { path: 'variants.v1', message: 'contains an unpaired surrogate U+D800 at index 0, which cannot be stored' },
      { path: 'media[1].alt', message: 'contains an unpaired surrogate U+DC00 at index 1, which cannot be stored' },
    ]);
    expect(bodyErrors({ posts: [{ text: 'fine 😀 \u202e \u0007' }, { text: 'x\u0000' }] })).toEqual([
      { path: 'posts[1].text', message: expect.stringContaining('U+0000') },
    ]);
    expect(bodyErrors(undefined)).toEqual([]);
  });

  it('reports the first twenty and walks any depth without recursion', () => {
    expect(bodyErrors(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(20);
    let deep: unknown = { text: '\u0000' };
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    expect(bodyErrors(deep)).toEqual([{ path: `${'[0]'.repeat(100_000)}.text`, message: expect.stringContaining('U+0000') }]);
  });

  it('refuses query names and values that are not UTF-8 percent-encoding or decode to NUL', () => {
    expect(queryErrors('/v1/posts?limit=10&cursor=abc+d%20e&status=')).toEqual([]);
    expect(queryErrors('/v1/posts?cursor=%E0%A4%A&x=%ZZ&to=%ED%A0%80&from=a%00')).toEqual([
      { path: 'query.cursor', message: 'is not valid percent-encoding of UTF-8 text' },
      { path: 'query.x', message: 'is not valid percent-encoding of UTF-8 text' },
      { path: 'query.to', message: 'is not valid percent-encoding of UTF-8 text' },
      { path: 'query.from', message: 'contains U+0000 (NUL) at index 1, which cannot be stored' },
    ]);
    expect(queryErrors('/v1/posts?li%00mit=1&%C0%80')).toEqual([
      { path: 'query.li\u0000mit', message: "the parameter's name contains U+0000 (NUL) at index 2, which cannot be stored" },
      { path: 'query.%C0%80', message: "the parameter's name is not valid percent-encoding of UTF-8 text" },
    ]);
  });

  it('refuses path segments the router could not decode, or that decode to NUL', () => {
    expect(pathErrors('/v1/posts/%E2%82%AC')).toEqual([]);
    expect(pathErrors('/v1/posts/%ZZ')).toEqual([{ path: 'path', message: 'segment "%ZZ" is not valid percent-encoding of UTF-8 text' }]);
    expect(pathErrors('/admin/queues/pub%00lish/pause')).toEqual([
      { path: 'path', message: 'segment "pub%00lish" contains U+0000 (NUL) at index 3, which cannot be stored' },
    ]);
  });
});
