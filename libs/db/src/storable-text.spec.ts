import fc from 'fast-check';
import { describeUnstorable, findUnstorable, toStorableJson, toStorableText } from './storable-text';

describe('storable text', () => {
  it('finds NUL and unpaired surrogates, and nothing in well-formed text', () => {
    expect(findUnstorable('abc\u0000d')).toEqual({ index: 3, codeUnit: 0 });
    expect(findUnstorable('a\ud800')).toEqual({ index: 1, codeUnit: 0xd800 });
    expect(findUnstorable('\udc00a')).toEqual({ index: 0, codeUnit: 0xdc00 });
    expect(findUnstorable('\udc00\ud800')).toEqual({ index: 0, codeUnit: 0xdc00 });
    expect(findUnstorable('😀 e\u0301 \u202e \u0001 \u0085 \ufffd')).toBeUndefined();
    expect(describeUnstorable({ index: 0, codeUnit: 0 })).toBe('U+0000 (NUL)');
    expect(describeUnstorable({ index: 0, codeUnit: 0xdbff })).toBe('an unpaired surrogate U+DBFF');
  });

  it('replaces each unstorable character by U+FFFD and keeps everything else', () => {
    expect(toStorableText('a\u0000b\ud800c😀\udfff')).toBe('a\ufffdb\ufffdc😀\ufffd');
    // A pair cut in half by a slice is a lone surrogate too.
    expect(toStorableText('ab😀'.slice(0, 3))).toBe('ab\ufffd');
    const text = 'kept as it is \u202e\u0007';
    expect(toStorableText(text)).toBe(text);
  });

  it('makes any string storable: the result is well-formed, NUL-free, as long, and unchanged where nothing was wrong', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constant('\u0000'), fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), fc.string({ unit: 'grapheme', maxLength: 1 })) }), (text) => {
        const storable = toStorableText(text);
        expect(findUnstorable(storable)).toBeUndefined();
        expect(storable.length).toBe(text.length);
        expect(Buffer.from(storable, 'utf8').toString('utf8')).toBe(storable);
        if (findUnstorable(text) === undefined) expect(storable).toBe(text);
      }),
    );
  });

  it('copies JSON with every string and field name made storable, however deep, leaving the original alone', () => {
    const original = { message: 'a\u0000', list: [1, null, true, '\ud800', { 'k\u0000': 'v' }], at: new Date(0) };
    expect(toStorableJson(original)).toEqual({ message: 'a\ufffd', list: [1, null, true, '\ufffd', { 'k\ufffd': 'v' }], at: new Date(0) });
    expect(original.message).toBe('a\u0000');
    let deep: unknown = 'x\u0000';
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    let copy = toStorableJson(deep);
    for (let level = 0; level < 100_000; level += 1) copy = (copy as unknown[])[0];
    expect(copy).toBe('x\ufffd');
  });
});
