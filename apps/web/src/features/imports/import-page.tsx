/**
 * CSV import (POST /v1/posts/import): a file picked, sent as a dry run, and
 * each row shown with its text, its channels and times, and the server's own
 * verdict (the checks a create makes, the problems in its words, by row and
 * line); then "Import" sends the same file with `?commit=true`, which makes
 * the good rows (a row imported before makes nothing twice).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId, useRef, useState, type ChangeEvent } from 'react';
import type { Schemas } from '@herald/api-client';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { withoutIds } from '../../api/problem-words';
import { problemOf } from '../../api/problem';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';
import { Time } from '../../ui/time';
import { channelName, channelsQuery } from '../channels/api';
import { ChannelBadge } from '../channels/channel-badge';
import { previewRows, type PreviewRow } from './csv-preview';

type ImportResult = Schemas['ImportResult'];
type ImportRow = Schemas['ImportRow'];

const ROW_STATUS: Record<ImportRow['status'], { words: string; tone: string }> = {
  new: { words: 'Ready', tone: 'ok' },
  created: { words: 'Imported', tone: 'ok' },
  duplicate: { words: 'Imported before', tone: 'muted' },
  refused: { words: 'Refused', tone: 'danger' },
};

/** Sends the file as it is (text/csv), as a dry run or for real. */
function sendCsv(csv: string, commit: boolean): Promise<ImportResult> {
  return call(
    herald.POST('/v1/posts/import', {
      params: { query: commit ? { commit: 'true' } : {} },
      body: csv,
      bodySerializer: (body: string) => body,
      headers: { 'Content-Type': 'text/csv' },
    }),
  );
}

export function ImportPage() {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const inputId = useId();
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const dryRun = useMutation({
    mutationFn: (csv: string) => sendCsv(csv, false),
    onSuccess: () => setTimeout(() => resultHeading.current?.focus(), 0),
  });
  const commit = useMutation({
    mutationFn: (csv: string) => sendCsv(csv, true),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['posts'] });
      setTimeout(() => resultHeading.current?.focus(), 0);
    },
  });
  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const picked = event.target.files?.[0];
    if (!picked) return;
    const text = await picked.text();
    setFile({ name: picked.name, text });
    commit.reset();
    dryRun.mutate(text);
  };
  const result = commit.data ?? dryRun.data;
  const failed = commit.error ?? dryRun.error;
  const rows = file ? previewRows(file.text) : [];
  return (
    <Page title="Import posts from CSV">
      <p className="page-intro muted">
        Plan a month in a spreadsheet and bring it in at once. Each row is checked as a post would be, and nothing is made until you say so; a row imported before is never made twice.
      </p>
      <div className="card import-pick">
        <div className="import-drop">
          <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
            <path d="M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9z" />
            <path d="M14 3v6h6M8 13h8M8 17h5" />
          </svg>
          <div>
            <label htmlFor={inputId} className="radio-label">
              CSV file
            </label>
            <p className="field-hint" id={`${inputId}-hint`}>
              {file ? `${file.name}: checked below.` : 'Up to 10,000 rows. Nothing is made until you press Import.'}
            </p>
          </div>
          <input id={inputId} type="file" accept=".csv,text/csv" aria-describedby={`${inputId}-hint`} onChange={(event) => void pick(event)} />
        </div>
        <details className="import-columns">
          <summary>Columns the file takes</summary>
          <ul>
            <li>
              <code>text</code> and <code>channels</code> (channel handles or ids, <code>|</code> between them): required.
            </li>
            <li>
              When: <code>at</code> (an instant such as <code>2027-03-01T09:00:00+01:00</code>), or <code>local_time</code> and <code>timezone</code>, or <code>queue</code> set to <code>true</code>; none makes a draft.
            </li>
            <li>
              <code>media_urls</code> and <code>alt_texts</code>, <code>|</code> between them, in the same order.
            </li>
          </ul>
        </details>
      </div>
      {dryRun.isPending ? (
        <p className="muted" role="status">
          Checking each row…
        </p>
      ) : null}
      {failed ? <ProblemAlert problem={problemOf(failed)} /> : null}
      {result && file ? (
        <section aria-labelledby="import-result" className="import-result">
          <h2 id="import-result" tabIndex={-1} ref={resultHeading}>
            {result.summary.committed ? 'Imported' : 'Checked: nothing is imported yet'}
          </h2>
          <Summary result={result} />
          <RowTable rows={result.rows} preview={rows} />
          {result.summary.committed ? (
            <div className="alert alert-ok" role="status">
              <p className="alert-title">
                {result.summary.created} {result.summary.created === 1 ? 'post' : 'posts'} made.
              </p>
              <p>
                {result.summary.failed > 0 ? `${result.summary.failed} ${result.summary.failed === 1 ? 'row was' : 'rows were'} left out; fix ${result.summary.failed === 1 ? 'it' : 'them'} in the file and import it again: the rows imported now are not made twice. ` : ''}
                <Link to="/">See your posts</Link> or <Link to="/calendar">the calendar</Link>.
              </p>
            </div>
          ) : (
            <div className="import-actions">
              <button type="button" className="button primary" disabled={result.summary.ok === 0 || commit.isPending} onClick={() => commit.mutate(file.text)}>
                {commit.isPending ? 'Importing…' : `Import ${result.summary.ok} ${result.summary.ok === 1 ? 'post' : 'posts'}`}
              </button>
              <p className="field-hint">
                {result.summary.ok === 0
                  ? 'No row can be imported as it is.'
                  : result.summary.failed > 0
                    ? `The ${result.summary.failed} refused ${result.summary.failed === 1 ? 'row is' : 'rows are'} left out.`
                    : 'Every row passes.'}
              </p>
            </div>
          )}
        </section>
      ) : null}
    </Page>
  );
}

function Summary({ result }: { result: ImportResult }) {
  const { summary } = result;
  const facts = [
    { label: summary.committed ? 'Imported' : 'Ready', value: summary.committed ? summary.created : summary.ok, tone: 'ok' },
    { label: 'Refused', value: summary.failed, tone: summary.failed > 0 ? 'danger' : 'muted' },
    { label: 'Imported before', value: summary.duplicates, tone: 'muted' },
    { label: 'Rows', value: summary.rows, tone: 'muted' },
  ];
  return (
    <dl className="import-summary">
      {facts.map((fact) => (
        <div key={fact.label} className={`import-fact tone-${fact.tone}`}>
          <dt>{fact.label}</dt>
          <dd>{fact.value.toLocaleString()}</dd>
        </div>
      ))}
    </dl>
  );
}

function RowTable({ rows, preview }: { rows: ImportRow[]; preview: PreviewRow[] }) {
  const channels = useQuery(channelsQuery).data ?? [];
  const names = new Map(channels.map((channel) => [channel.id, channelName(channel)]));
  const byRow = new Map(preview.map((row) => [row.row, row]));
  // Refused rows first: what needs fixing is what the person came to see.
  const ordered = [...rows].sort((a, b) => Number(a.status !== 'refused') - Number(b.status !== 'refused') || a.row - b.row);
  return (
    <div className="table-scroll">
      <table className="stacked import-rows">
        <caption className="visually-hidden">Rows of the file</caption>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Post</th>
            <th scope="col">Channels and time</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {ordered.map((row) => {
            const cells = byRow.get(row.row);
            const status = ROW_STATUS[row.status];
            return (
              <tr key={row.row} className={`import-row status-${row.status}`} data-row={row.row}>
                <td>
                  <span className="import-row-number">Row {row.row}</span>
                  {cells ? <span className="muted import-line"> line {cells.line}</span> : null}
                </td>
                <td data-label="Post" className="import-text">
                  {cells?.cells.text ? (cells.cells.text.length > 200 ? `${cells.cells.text.slice(0, 200)}…` : cells.cells.text) : <span className="muted">(no text)</span>}
                </td>
                <td data-label="Channels and time">
                  {row.deliveries.length === 0 && cells?.cells.channels ? <span className="muted">{cells.cells.channels.split('|').map((token) => names.get(token.trim()) ?? token.trim()).join(', ')}</span> : null}
                  <ul className="plain import-deliveries">
                    {row.deliveries.map((delivery) => {
                      const channel = channels.find((entry) => entry.id === delivery.channelId);
                      return (
                        <li key={delivery.channelId}>
                          {channel ? <ChannelBadge channel={channel} compact /> : delivery.network}
                          <span className="muted"> · {delivery.at ? <Time iso={delivery.at} /> : whenWords(cells)}</span>
                        </li>
                      );
                    })}
                  </ul>
                </td>
                <td data-label="Result">
                  <span className={`badge badge-${status.tone}`}>{status.words}</span>
                  {row.problems.length > 0 ? (
                    <ul className="import-problems">
                      {row.problems.map((problem) => (
                        <li key={problem}>{withoutIds(problem, names)}</li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A delivery without an instant: a queue slot (taken when imported) or a draft. */
function whenWords(cells: PreviewRow | undefined): string {
  return cells?.cells.queue?.trim().toLowerCase() === 'true' ? 'next free queue time' : 'draft';
}
