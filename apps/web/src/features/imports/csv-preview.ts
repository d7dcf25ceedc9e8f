/**
 * Enough of a CSV reader to show each row's text beside the server's verdict
 * on it (RFC 4180: quoted cells with "" for a quote, commas and line breaks
 * inside quotes, CRLF or LF; a BOM dropped). The server's parser
 * (csv-parse) decides what is imported; this only labels the rows it
 * answers, by the same count: row 1 is the first after the header. Pure,
 * with a unit spec.
 */

export interface PreviewRow {
  /** 1 for the first row after the header, as the API numbers them. */
  row: number;
  /** The line of the file the row starts on (the header is line 1). */
  line: number;
  cells: Record<string, string>;
}

/** The file's records, each with the line it starts on. */
export function csvRecords(text: string): { line: number; cells: string[] }[] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  let touched = false;
  const endCell = () => {
    cells.push(cell);
    cell = '';
  };
  const endRecord = () => {
    endCell();
    if (touched || cells.length > 1 || cells[0] !== '') records.push({ line: startLine, cells });
    cells = [];
    touched = false;
  };
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index]!;
    if (quoted) {
      if (char === '"') {
        if (source[index + 1] === '"') {
          cell += '"';
          index += 1;
        } else quoted = false;
      } else {
        if (char === '\n') line += 1;
        cell += char;
      }
      continue;
    }
    if (char === '"') {
      quoted = true;
      touched = true;
    } else if (char === ',') {
      endCell();
      touched = true;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[index + 1] === '\n') index += 1;
      endRecord();
      line += 1;
      startLine = line;
    } else {
      cell += char;
      touched = true;
    }
  }
  if (touched || cell !== '' || cells.length > 0) endRecord();
  return records;
}

/** The data rows by their header's names (lower case), numbered as the API numbers them. */
export function previewRows(text: string): PreviewRow[] {
  const [header, ...rest] = csvRecords(text);
  if (!header) return [];
  const names = header.cells.map((name) => name.trim().toLowerCase());
  return rest.map((record, index) => ({
    row: index + 1,
    line: record.line,
    cells: Object.fromEntries(names.map((name, at) => [name, record.cells[at] ?? ''])),
  }));
}
