/**
 * What a file really is, from its first bytes (its magic numbers), never from
 * a declared content type or a file name: the image and video kinds the
 * networks take or refuse by name. A network's own upload pipeline judges
 * the bytes the same way.
 */
export type MediaKind = 'image' | 'video';

export interface SniffedType {
  kind: MediaKind;
  mimeType: string;
}

const IMAGE_SIGNATURES: { mimeType: string; matches: (data: Buffer) => boolean }[] = [
  { mimeType: 'image/png', matches: (data) => data.length >= 8 && data.readUInt32BE(0) === 0x89504e47 && data.readUInt32BE(4) === 0x0d0a1a0a },
  { mimeType: 'image/jpeg', matches: (data) => data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff },
  { mimeType: 'image/gif', matches: (data) => data.length >= 6 && /^GIF8[79]a$/.test(data.toString('latin1', 0, 6)) },
  { mimeType: 'image/webp', matches: (data) => data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP' },
  { mimeType: 'image/bmp', matches: (data) => data.length >= 14 && data.toString('latin1', 0, 2) === 'BM' },
  { mimeType: 'image/tiff', matches: (data) => data.length >= 4 && ['II*\0', 'MM\0*'].includes(data.toString('latin1', 0, 4)) },
];

/** QuickTime's top-level atoms, for a .mov without an `ftyp` box. */
const QUICKTIME_ATOMS = ['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'];

export function sniffType(data: Buffer): SniffedType | undefined {
  const image = IMAGE_SIGNATURES.find((signature) => signature.matches(data));
  if (image) return { kind: 'image', mimeType: image.mimeType };
  const video = videoType(data);
  return video ? { kind: 'video', mimeType: video } : undefined;
}

function videoType(data: Buffer): string | undefined {
  if (data.length >= 4 && data.readUInt32BE(0) === 0x1a45dfa3) return 'video/webm';
  if (data.length < 12) return undefined;
  const box = data.toString('latin1', 4, 8);
  if (box === 'ftyp') {
    const brand = data.toString('latin1', 8, 12);
    if (brand === 'qt  ') return 'video/quicktime';
    // HEIF still images share the ISO base media format; they are not video.
    if (['heic', 'heix', 'mif1', 'msf1', 'avif'].includes(brand)) return undefined;
    return 'video/mp4';
  }
  return QUICKTIME_ATOMS.includes(box) ? 'video/quicktime' : undefined;
}
