/**
 * The audit log (owners and admins: the membership's `audit.read`): who did
 * what and when, newest first, in the person's zone and locale, a page at a
 * time (GET /v1/audit with its cursor, "Load more").
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { problemOf } from '../../api/problem';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';
import { ScrollTable } from '../../ui/scroll-table';
import { Time } from '../../ui/time';
import { useCan } from '../auth/session';
import { auditActor, auditWhat, type AuditEvent } from './audit-words';

const PAGE_SIZE = 50;

export function AuditPage() {
  const canRead = useCan('audit.read');
  const events = useInfiniteQuery({
    queryKey: ['audit'],
    queryFn: ({ pageParam }) => call(herald.GET('/v1/audit', { params: { query: { limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: canRead,
  });
  if (!canRead) {
    return (
      <Page title="Audit log">
        <p className="notice">Only owners and admins read the audit log.</p>
      </Page>
    );
  }
  const rows = events.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <Page title="Audit log">
      <p>Sign-ins, members and roles, invitations, channels, API keys and approvals in this workspace, newest first.</p>
      {events.isError ? <ProblemAlert problem={problemOf(events.error)} /> : null}
      {events.isPending ? <p role="status">Loading…</p> : null}
      {events.isSuccess && rows.length === 0 ? <p className="muted">Nothing has happened yet.</p> : null}
      {rows.length > 0 ? (
        <ScrollTable label="Audit log">
          <table className="audit-log stacked">
            <caption className="visually-hidden">What happened in the workspace, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What happened</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((event) => (
                <tr key={event.id} data-action={event.action}>
                  <td data-label="When">
                    <Time iso={event.at} />
                  </td>
                  <td data-label="What happened">
                    <AuditSentence event={event} />
                  </td>
                  <td data-label="From">{event.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
      {events.hasNextPage ? (
        <div className="row">
          <button type="button" className="button" onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage}>
            {events.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
      {events.isFetchNextPageError ? <ProblemAlert problem={problemOf(events.error)} /> : null}
    </Page>
  );
}

function AuditSentence({ event }: { event: AuditEvent }) {
  const sentence = `${auditActor(event)} ${auditWhat(event)}.`;
  if (event.subject.type === 'post') {
    return (
      <>
        {sentence} <Link to="/posts/$postId" params={{ postId: event.subject.id }}>See the post</Link>
      </>
    );
  }
  return <>{sentence}</>;
}
