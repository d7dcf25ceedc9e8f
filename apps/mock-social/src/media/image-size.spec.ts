import { imageSize } from './image-size';

describe('image sizes from their headers', () => {
  it('reads PNG, GIF and JPEG dimensions', () => {
    const png = Buffer.alloc(33);
    png.writeUInt32BE(0x89504e47, 0);
    png.write('IHDR', 12, 'ascii');
    png.writeUInt32BE(640, 16);
    png.writeUInt32BE(480, 20);
    expect(imageSize(png)).toEqual({ width: 640, height: 480 });

    const gif = Buffer.from('GIF89a\x20\x00\x10\x00', 'latin1');
    expect(imageSize(gif)).toEqual({ width: 32, height: 16 });

    // SOI, an APP0 segment of 16 bytes, then SOF0 with height 100 and width 200.
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.alloc(14), Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x64, 0x00, 0xc8, 0x03])]);
    expect(imageSize(jpeg)).toEqual({ width: 200, height: 100 });
  });

  it('answers undefined for bytes that are no image it knows', () => {
    expect(imageSize(Buffer.from('plain text, not an image at all'))).toBeUndefined();
  });
});
