import { parseMultipart, parseUrlEncoded } from './forms';

describe('form bodies', () => {
  it('reads url-encoded fields, repeated and Rails-style arrays', () => {
    expect(parseUrlEncoded('grant_type=authorization_code&code=a%2Bb&media_ids[]=1&media_ids[]=2&x=1&x=2')).toEqual({
      grant_type: 'authorization_code',
      code: 'a+b',
      media_ids: ['1', '2'],
      x: ['1', '2'],
    });
  });

  it('reads multipart fields and files as FormData sends them', async () => {
    const form = new FormData();
    form.set('description', 'a cat, sleeping');
    form.set('file', new Blob([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])], { type: 'image/png' }), 'cat.png');
    const request = new Request('http://x/', { method: 'POST', body: form });
    const body = Buffer.from(await request.arrayBuffer());
    const parsed = parseMultipart(body, request.headers.get('content-type')!);
    expect(parsed?.fields).toEqual({ description: 'a cat, sleeping' });
    expect(parsed?.files).toEqual([{ field: 'file', filename: 'cat.png', mimeType: 'image/png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]) }]);
  });

  it('answers undefined for a body that is not multipart', () => {
    expect(parseMultipart(Buffer.from('nothing'), 'multipart/form-data; boundary=abc')).toBeUndefined();
    expect(parseMultipart(Buffer.from('nothing'), 'multipart/form-data')).toBeUndefined();
  });
});
