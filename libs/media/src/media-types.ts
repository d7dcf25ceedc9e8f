/** The file types Herald's media library takes, by what their bytes are (never by name or header). */
export const IMAGE_TYPES: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/tiff': 'tif',
};

/** Video the library can measure without a system binary (ISO BMFF, read with mp4box). */
export const VIDEO_TYPES: Record<string, string> = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
};

export function kindOf(mimeType: string): 'image' | 'video' | undefined {
  if (mimeType in IMAGE_TYPES) return 'image';
  if (mimeType in VIDEO_TYPES) return 'video';
  return undefined;
}

export function extensionOf(mimeType: string): string {
  return IMAGE_TYPES[mimeType] ?? VIDEO_TYPES[mimeType] ?? 'bin';
}

/** The media type a file name's extension claims, if it claims one Herald knows. */
export function typeClaimedBy(filename: string | undefined): string | undefined {
  const extension = filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (!extension) return undefined;
  const aliases: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', jpe: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif', tif: 'image/tiff', tiff: 'image/tiff', mp4: 'video/mp4', m4v: 'video/mp4', mov: 'video/quicktime', qt: 'video/quicktime', webm: 'video/webm', heic: 'image/heic', bmp: 'image/bmp', svg: 'image/svg+xml' };
  return aliases[extension];
}

/** Whether a claimed type and the bytes' type name the same format (`image/jpg` for JPEG, `video/x-m4v` for MP4 are common spellings). */
export function sameType(claimed: string, actual: string): boolean {
  const normal = (type: string) =>
    ({ 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'video/x-m4v': 'video/mp4', 'image/x-png': 'image/png' })[type.toLowerCase()] ?? type.toLowerCase();
  return normal(claimed) === normal(actual);
}
