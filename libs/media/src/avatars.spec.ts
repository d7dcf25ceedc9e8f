import sharp from 'sharp';
import { normaliseAvatar } from './avatars';

describe('normaliseAvatar', () => {
  it('makes any image a 128×128 WebP, cropped to the centre, with an ETag of its bytes', async () => {
    const wide = await sharp({ create: { width: 300, height: 100, channels: 3, background: '#336699' } }).png().toBuffer();
    const kept = await normaliseAvatar(wide);
    const meta = await sharp(kept.bytes).metadata();
    expect({ type: kept.contentType, format: meta.format, width: meta.width, height: meta.height }).toEqual({ type: 'image/webp', format: 'webp', width: 128, height: 128 });
    expect(kept.etag).toMatch(/^[0-9a-f]{32}$/);
    expect((await normaliseAvatar(wide)).etag).toBe(kept.etag);
    expect(kept.bytes.length).toBeLessThan(10_000);
  });

  it('refuses what is no image', async () => {
    await expect(normaliseAvatar(Buffer.from('<html>not found</html>'))).rejects.toThrow();
  });
});
