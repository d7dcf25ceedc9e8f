/**
 * `POST /v1/posts/import`: a CSV file read as a stream (csv-parse) into one
 * `POST /v1/posts` body per row, each row keyed by a hash of its cells (the
 * same row sent again is known by it). No I/O but the stream: the rows'
 * checks and their placement are the use case's.
 *
 * Columns (header row, any order, case-insensitive): `text`, `channels`
 * (ids or handles, `|` between them), `at` (an instant) or `local_time` and
 * `timezone`, or `queue` (`true`); none of them is a draft; `media_urls`
 * and `alt_texts` (`|` between them); `tags` (`|` between them) and
 * `first_comment`.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { MalformedRequest, Problem } from '../common/problems';

/** The most data rows a file may hold. */
export const MAX_IMPORT_ROWS = 10_000;
/** The most bytes a file may hold (10,000 rows of about 1 KB). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export const IMPORT_COLUMNS = ['text', 'channels', 'at', 'local_time', 'timezone', 'queue', 'media_urls', 'alt_texts', 'tags', 'first_comment'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** One data row: its number (1 for the first after the header), its cells by column, its key. */
export interface CsvRow {
  row: number;
  cells: Partial<Record<ImportColumn, string>>;
  hash: string;
}

/** 413: the file is larger than an import takes. */
export class ImportTooLarge extends Problem {
  constructor(detail: string) {
    super(413, 'Payload too large', detail);
  }
}

/**
 * Every row of the file, read as it streams in; the whole file is read
 * before anything is checked, so a file that is not CSV, too large or
 * without the needed columns is refused (400/413) before any row is.
 */
export async function readCsvRows(body: Readable, limits: { maxRows?: number; maxBytes?: number } = {}): Promise<CsvRow[]> {
  const maxRows = limits.maxRows ?? MAX_IMPORT_ROWS;
  const maxBytes = limits.maxBytes ?? MAX_IMPORT_BYTES;
  let bytes = 0;
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: false, max_record_size: 200_000 });
  const counted = body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > maxBytes) parser.destroy(new ImportTooLarge(`An import takes at most ${maxBytes} bytes`));
  });
  counted.pipe(parser);
  body.on('error', (error) => parser.destroy(error));
  const rows: CsvRow[] = [];
  let columns: (ImportColumn | undefined)[] | undefined;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!columns) {
        columns = headerOf(record);
        continue;
      }
      if (rows.length >= maxRows) throw new ImportTooLarge(`An import takes at most ${maxRows} rows`);
      const cells: Partial<Record<ImportColumn, string>> = {};
      columns.forEach((column, index) => {
        if (column && record[index] !== undefined && record[index] !== '') cells[column] = record[index];
      });
      rows.push({ row: rows.length + 1, cells, hash: rowHash(cells) });
    }
  } catch (error) {
    body.unpipe(parser);
    body.resume();
    if (error instanceof Problem) throw error;
    if (error instanceof CsvError) throw new MalformedRequest(`The file is not valid CSV: ${error.message.slice(0, 200)}`);
    throw error;
  }
  if (!columns) throw new MalformedRequest('The file is empty: it needs a header row (text,channels,...) and a row per post');
  return rows;
}

/** The header's columns; an unknown one, a repeated one, or one missing of `text` and `channels` is a 400. */
function headerOf(record: string[]): (ImportColumn | undefined)[] {
  const columns = record.map((name) => name.trim().toLowerCase());
  const unknown = columns.filter((name) => !(IMPORT_COLUMNS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new MalformedRequest(`Unknown column(s): ${unknown.map((name) => JSON.stringify(name.slice(0, 40))).join(', ')}; the columns are ${IMPORT_COLUMNS.join(', ')}`);
  }
  const repeated = columns.find((name, index) => columns.indexOf(name) !== index);
  if (repeated) throw new MalformedRequest(`Column "${repeated}" is given twice`);
  for (const needed of ['text', 'channels']) {
    if (!columns.includes(needed)) throw new MalformedRequest(`The header needs a "${needed}" column (text,channels,at,...)`);
  }
  return columns as ImportColumn[];
}

/** A row's key: its cells by column name, so the same row in another column order is the same row. */
export function rowHash(cells: Partial<Record<ImportColumn, string>>): string {
  const hash = createHash('sha256');
  for (const column of IMPORT_COLUMNS) hash.update(`${column}\u0000${cells[column] ?? ''}\u0000`);
  return hash.digest('hex');
}

/** `a|b| c` as ['a', 'b', 'c']. */
export function listOf(cell: string | undefined): string[] {
  return (cell ?? '')
    .split('|')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** What a row asks, before its channels are resolved: a problem (path and message) when a cell cannot be read. */
export interface RowRequest {
  text: string;
  channelRefs: string[];
  schedule: { mode: 'draft' | 'queue' | 'at'; at?: string; localTime?: string; timezone?: string };
  media?: { url: string; alt?: string }[];
  tags?: string[];
  firstComment?: { text: string };
}

/** A row's cells as a post's parts (the checks of what they hold are the create's). */
export function requestOf(row: CsvRow): { request?: RowRequest; problems: string[] } {
  const { cells } = row;
  const problems: string[] = [];
  const channelRefs = listOf(cells.channels);
  if (channelRefs.length === 0) problems.push('channels: names no channel (ids or handles, | between them)');
  if (!cells.text?.trim()) problems.push('text: is empty');
  const queue = cells.queue?.trim().toLowerCase();
  if (queue !== undefined && !['true', 'false', 'yes', 'no', '1', '0', ''].includes(queue)) problems.push('queue: must be true or false');
  const queued = queue === 'true' || queue === 'yes' || queue === '1';
  const timed = [cells.at !== undefined && 'at', cells.local_time !== undefined && 'local_time', queued && 'queue'].filter(Boolean);
  if (timed.length > 1) problems.push(`${timed.join(', ')}: give one of at, local_time (with timezone) or queue`);
  if (cells.local_time !== undefined && cells.timezone === undefined) problems.push('timezone: local_time needs a timezone');
  if (cells.timezone !== undefined && cells.local_time === undefined) problems.push('timezone: is only read with local_time');
  const urls = listOf(cells.media_urls);
  const alts = (cells.alt_texts ?? '').split('|').map((alt) => alt.trim());
  if (cells.alt_texts !== undefined && alts.length > urls.length) problems.push('alt_texts: has more texts than media_urls has URLs');
  if (problems.length > 0) return { problems };
  const schedule: RowRequest['schedule'] = queued
    ? { mode: 'queue' }
    : cells.at !== undefined
      ? { mode: 'at', at: cells.at.trim() }
      : cells.local_time !== undefined
        ? { mode: 'at', localTime: cells.local_time.trim(), timezone: cells.timezone!.trim() }
        : { mode: 'draft' };
  const media = urls.map((url, index) => ({ url, ...(alts[index] ? { alt: alts[index] } : {}) }));
  const tags = listOf(cells.tags);
  const comment = cells.first_comment?.trim();
  return {
    request: {
      text: cells.text!,
      channelRefs,
      schedule,
      ...(media.length > 0 ? { media } : {}),
      ...(tags.length > 0 ? { tags } : {}),
      ...(comment ? { firstComment: { text: comment } } : {}),
    },
    problems,
  };
}
