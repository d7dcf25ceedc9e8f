import { Readable } from 'node:stream';
import { readCsvRows, requestOf, rowHash } from './csv-import';

const rowsOf = (text: string, limits?: { maxRows?: number; maxBytes?: number }) => readCsvRows(Readable.from([Buffer.from(text)]), limits);

describe('readCsvRows', () => {
  it('reads a header in any order and case, quoted cells, a BOM, CRLF', async () => {
    const rows = await rowsOf('\uFEFFChannels,TEXT\r\n"a|b","Hello, ""you"""\r\n\r\nc,second\r\n');
    expect(rows.map(({ row, cells }) => ({ row, cells }))).toEqual([
      { row: 1, cells: { channels: 'a|b', text: 'Hello, "you"' } },
      { row: 2, cells: { channels: 'c', text: 'second' } },
    ]);
  });

  it('keys a row by its cells, whatever the column order', async () => {
    const [one] = await rowsOf('text,channels\nhi,a\n');
    const [two] = await rowsOf('channels,text\na,hi\n');
    expect(one!.hash).toBe(two!.hash);
    expect(one!.hash).not.toBe(rowHash({ text: 'hi', channels: 'b' }));
  });

  it('refuses a file without the needed columns, with unknown ones, too long or too large', async () => {
    await expect(rowsOf('')).rejects.toThrow(/empty/);
    await expect(rowsOf('text\nhi\n')).rejects.toThrow(/"channels" column/);
    await expect(rowsOf('text,channels,text\n')).rejects.toThrow(/given twice/);
    await expect(rowsOf('text,channels,x\n')).rejects.toThrow(/Unknown column/);
    await expect(rowsOf('text,channels\na,b\nc,d\n', { maxRows: 1 })).rejects.toMatchObject({ status: 413 });
    await expect(rowsOf(`text,channels\n${'a'.repeat(2000)},b\n`, { maxBytes: 1000 })).rejects.toMatchObject({ status: 413 });
    await expect(rowsOf('text,channels\na,b,c\n')).rejects.toMatchObject({ status: 400 });
  });
});

describe('requestOf', () => {
  const request = (cells: Record<string, string>) => requestOf({ row: 1, cells, hash: '' });

  it('makes a schedule of at, local_time and timezone, queue, or a draft', () => {
    expect(request({ text: 't', channels: 'a', at: '2030-01-01T09:00:00Z' }).request!.schedule).toEqual({ mode: 'at', at: '2030-01-01T09:00:00Z' });
    expect(request({ text: 't', channels: 'a', local_time: '2030-01-01T09:00', timezone: 'Europe/Berlin' }).request!.schedule).toEqual({ mode: 'at', localTime: '2030-01-01T09:00', timezone: 'Europe/Berlin' });
    expect(request({ text: 't', channels: 'a', queue: 'TRUE' }).request!.schedule).toEqual({ mode: 'queue' });
    expect(request({ text: 't', channels: 'a' }).request!.schedule).toEqual({ mode: 'draft' });
  });

  it('pairs media URLs with their alt texts', () => {
    expect(request({ text: 't', channels: 'a', media_urls: 'https://m/1.png | https://m/2.png', alt_texts: '|Second' }).request!.media).toEqual([{ url: 'https://m/1.png' }, { url: 'https://m/2.png', alt: 'Second' }]);
  });

  it('takes tags (| between them) and a first comment', () => {
    expect(request({ text: 't', channels: 'a', tags: 'Launch | q4 |', first_comment: ' More at https://example.com ' }).request).toMatchObject({
      tags: ['Launch', 'q4'],
      firstComment: { text: 'More at https://example.com' },
    });
    expect(request({ text: 't', channels: 'a', tags: ' ', first_comment: '' }).request).not.toHaveProperty('tags');
    expect(request({ text: 't', channels: 'a', first_comment: '  ' }).request).not.toHaveProperty('firstComment');
  });

  it('names each cell that cannot be read', () => {
    expect(request({ text: 't', channels: 'a', at: '2030-01-01T09:00:00Z', queue: 'true' }).problems).toEqual(['at, queue: give one of at, local_time (with timezone) or queue']);
    expect(request({ channels: ' | ', tags: 'x' }).problems).toEqual([
      'channels: names no channel (ids or handles, | between them)',
      'text: is empty',
    ]);
  });
});
