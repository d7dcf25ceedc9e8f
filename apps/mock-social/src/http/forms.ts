/**
 * Form bodies the networks take: `application/x-www-form-urlencoded` (a
 * repeated field, or Rails' `name[]`, becomes an array) and
 * `multipart/form-data` (fields, and files with their type and bytes).
 */
export interface UploadedFile {
  field: string;
  filename?: string;
  mimeType: string;
  data: Buffer;
}

export function parseUrlEncoded(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [rawKey, value] of new URLSearchParams(text)) add(out, rawKey, value);
  return out;
}

export function parseMultipart(body: Buffer, contentType: string): { fields: Record<string, string | string[]>; files: UploadedFile[] } | undefined {
  const boundary = contentType.match(/boundary=(?:"([^"]+)"|([^;\s]+))/i);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) return undefined;
  const delimiter = Buffer.from(`--${marker}`);
  const fields: Record<string, string | string[]> = {};
  const files: UploadedFile[] = [];
  let start = body.indexOf(delimiter);
  if (start < 0) return undefined;
  for (;;) {
    start += delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // the closing "--"
    start += 2; // CRLF after the delimiter
    const end = body.indexOf(delimiter, start);
    if (end < 0) return undefined;
    const part = body.subarray(start, end - 2); // the CRLF before the next delimiter
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    const head = part.subarray(0, split).toString('utf8');
    const data = part.subarray(split + 4);
    const name = head.match(/name="([^"]*)"/i)?.[1];
    if (name !== undefined) {
      const filename = head.match(/filename="([^"]*)"/i)?.[1];
      const type = head.match(/content-type:\s*([^\r\n;]+)/i)?.[1]?.trim();
      if (filename !== undefined || (type && !type.startsWith('text/plain'))) {
        files.push({ field: name, ...(filename !== undefined ? { filename } : {}), mimeType: type ?? 'application/octet-stream', data: Buffer.from(data) });
      } else add(fields, name, data.toString('utf8'));
    }
    start = end;
  }
  return { fields, files };
}

function add(out: Record<string, string | string[]>, rawKey: string, value: string): void {
  const key = rawKey.endsWith('[]') ? rawKey.slice(0, -2) : rawKey;
  const existing = out[key];
  if (existing === undefined) out[key] = rawKey.endsWith('[]') ? [value] : value;
  else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
}
