/** Cursors the mock networks hand out for their timelines: opaque to clients, a position in an account's posts here. */

export function encodeCursor(position: number): string {
  return Buffer.from(`p${position}`).toString('base64url');
}

/** The position a cursor stands for; undefined for a cursor this mock did not make. */
export function decodeCursor(cursor: string): number | undefined {
  const match = Buffer.from(cursor, 'base64url').toString('utf8').match(/^p(\d{1,9})$/);
  return match ? Number(match[1]) : undefined;
}
