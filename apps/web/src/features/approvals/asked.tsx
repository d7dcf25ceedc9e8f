/** What a waiting post asks for, and what was just decided, in words: shared by the approvals page and a post's page (which loads without compose's previews). */
import type { ReactNode } from 'react';
import type { PostView } from '../../api/views';
import { usePerson } from '../../ui/person';
import { Time, formatDateTime, zoneName } from '../../ui/time';

/** What the post asks for, in words: "at 2 Dec 2026, 09:00", "the next free slot", … */
export function askedWords(post: PostView): ReactNode {
  const schedule = post.schedule;
  if (!schedule) return 'no time yet';
  switch (schedule.mode) {
    case 'at': {
      const at = post.deliveries.find((delivery) => delivery.scheduledAt)?.scheduledAt;
      return at ? (
        <>
          at <Time iso={at} />
          {schedule.timezone ? <AskedZone iso={at} zone={schedule.timezone} /> : null}
        </>
      ) : (
        `at ${schedule.localTime ?? schedule.at ?? ''}`
      );
    }
    case 'queue':
      return "each channel's next free posting time";
    case 'next':
      return "the front of each channel's queue";
    case 'now':
      return 'right away';
    case 'draft':
      return 'kept as a draft';
  }
}

/** What was just decided, said where it stays (the post leaves the list it was decided in). */
export function Decided({ words }: { words: string }) {
  return (
    <p className={words ? 'alert alert-ok' : 'visually-hidden'} role="status">
      {words}
    </p>
  );
}


/** The time as the writer asked it, in its zone, where that is not the reader's: " (09:00 New York time)". */
function AskedZone({ iso, zone }: { iso: string; zone: string }) {
  const person = usePerson();
  if (zone === person.timeZone) return null;
  return (
    <span className="zone-note">
      {' '}
      ({formatDateTime(iso, zone, person.locale, 'short')} {zoneName(zone)} time)
    </span>
  );
}
