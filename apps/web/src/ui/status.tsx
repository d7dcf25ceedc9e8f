/** A status as a word with a colour (never the colour alone). */
const TONE: Record<string, string> = {
  published: 'ok',
  active: 'ok',
  scheduled: 'info',
  publishing: 'info',
  draft: 'muted',
  pending_approval: 'warn',
  paused: 'warn',
  partially_published: 'warn',
  missed: 'warn',
  failed: 'danger',
  disconnected: 'danger',
  cancelled: 'muted',
  deleted: 'muted',
};

const WORDS: Record<string, string> = {
  pending_approval: 'waiting for approval',
  partially_published: 'partly published',
  deleted: 'deleted (unpublished)',
};

export function statusWords(status: string): string {
  return WORDS[status] ?? status.replace(/_/g, ' ');
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${TONE[status] ?? 'muted'}`}>{statusWords(status)}</span>;
}
