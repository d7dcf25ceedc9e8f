import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectMedia } from './inspect';
import { Processing } from './processing';
import { sniffType } from './sniff';

describe('media judged by their bytes', () => {
  it('knows images and videos by their magic numbers, never by a name', () => {
    expect(sniffType(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))).toEqual({ kind: 'image', mimeType: 'image/png' });
    expect(sniffType(Buffer.from('ffd8ffe000104a464946', 'hex'))).toEqual({ kind: 'image', mimeType: 'image/jpeg' });
    expect(sniffType(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toEqual({ kind: 'image', mimeType: 'image/gif' });
    expect(sniffType(Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'))).toEqual({ kind: 'image', mimeType: 'image/webp' });
    expect(sniffType(Buffer.from('\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00', 'latin1'))).toEqual({ kind: 'video', mimeType: 'video/quicktime' });
    expect(sniffType(Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00', 'latin1'))).toBeUndefined();
    expect(sniffType(Buffer.from('<html>not an image</html>'))).toBeUndefined();
  });

  it("reads an MP4's duration and picture size", () => {
    const clip = readFileSync(join(__dirname, '../../../../test/fixtures/clip.mp4'));
    expect(inspectMedia(clip)).toEqual({ type: 'video', mimeType: 'video/mp4', size: clip.length, width: 320, height: 240, durationMs: 2000 });
  });

  it('answers processing on the first status read, then ready (or failed)', () => {
    const video = new Processing(1);
    expect(video.state).toBe('processing');
    expect(video.read()).toBe('processing');
    expect(video.read()).toBe('ready');
    const refused = new Processing(1, Infinity, 'too long');
    expect([refused.read(), refused.read()]).toEqual(['processing', 'failed']);
    expect(Processing.done().state).toBe('ready');
  });
});
