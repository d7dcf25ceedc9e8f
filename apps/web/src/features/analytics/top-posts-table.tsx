/** The posts that earned most, as a table sortable by each figure (the column's header is a button; `aria-sort` says the order). */
import { Link } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { NetworkIcon } from '../../ui/network-icon';
import { ScrollTable } from '../../ui/scroll-table';
import { Time } from '../../ui/time';
import type { TopEntry } from './api';

type SortKey = 'publishedAt' | 'engagements' | 'impressions' | 'likes' | 'reposts' | 'replies';

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'publishedAt', label: 'Published' },
  { key: 'impressions', label: 'Impressions' },
  { key: 'likes', label: 'Likes' },
  { key: 'reposts', label: 'Reposts' },
  { key: 'replies', label: 'Replies' },
  { key: 'engagements', label: 'Engagements' },
];

function valueOf(entry: TopEntry, key: SortKey): number {
  if (key === 'publishedAt') return Date.parse(entry.publishedAt);
  if (key === 'engagements') return entry.engagements;
  return entry.figures[key] ?? -1;
}

export function TopPostsTable({ entries }: { entries: TopEntry[] }) {
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'engagements', descending: true });
  const sortId = useId();
  const sorted = [...entries].sort((a, b) => (valueOf(b, sort.key) - valueOf(a, sort.key)) * (sort.descending ? 1 : -1));
  if (entries.length === 0) return <p className="muted">No published post has been measured in this range yet.</p>;
  return (
    <>
      {/* At phone width the rows are cards and the header with its sort buttons is hidden: the order is picked here. */}
      <div className="analytics-sort">
        <label htmlFor={sortId}>Most first by</label>
        <select id={sortId} value={sort.key} onChange={(event) => setSort({ key: event.target.value as SortKey, descending: true })}>
          {COLUMNS.map((column) => (
            <option key={column.key} value={column.key}>
              {column.label.toLowerCase()}
            </option>
          ))}
        </select>
      </div>
      <ScrollTable label="Posts and what they earned">
        <table className="analytics-posts stacked">
          <caption className="visually-hidden">Each published post and what it earned, sorted by {COLUMNS.find((column) => column.key === sort.key)!.label.toLowerCase()}</caption>
          <thead>
            <tr>
              <th scope="col">Post</th>
              {COLUMNS.map((column) => (
                <th key={column.key} scope="col" aria-sort={sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <button type="button" className="sort-button" onClick={() => setSort((current) => ({ key: column.key, descending: current.key === column.key ? !current.descending : true }))}>
                    {column.label}
                    <span aria-hidden="true">{sort.key === column.key ? (sort.descending ? ' ▾' : ' ▴') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sorted.map((entry) => (
              <tr key={entry.deliveryId}>
                <td data-label="Post" className="analytics-post-cell analytics-wide">
                  <NetworkIcon network={entry.network} /> <Link to="/posts/$postId" params={{ postId: entry.postId }}>{excerpt(entry.text)}</Link>
                  {entry.deleted ? <span className="muted"> (deleted on {entry.network})</span> : null}
                </td>
                <td data-label="Published" className="analytics-wide">
                  <Time iso={entry.publishedAt} />
                </td>
                <td data-label="Impressions">{figure(entry.figures.impressions)}</td>
                <td data-label="Likes">{figure(entry.figures.likes)}</td>
                <td data-label="Reposts">{figure(entry.figures.reposts)}</td>
                <td data-label="Replies">{figure(entry.figures.replies)}</td>
                <td data-label="Engagements">{entry.engagements}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </>
  );
}

function figure(value: number | null): string {
  return value === null ? '—' : value.toLocaleString();
}

function excerpt(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text || '(no text)';
}
