/** Dates and times as the person reads them: in their zone and locale, with the instant in the markup. */
import { usePerson } from './person';

export function formatDateTime(iso: string, timeZone: string, locale: string, style: 'full' | 'short' = 'full'): string {
  const options: Intl.DateTimeFormatOptions =
    style === 'full' ? { dateStyle: 'medium', timeStyle: 'short', timeZone } : { hour: '2-digit', minute: '2-digit', timeZone };
  return new Intl.DateTimeFormat(locale, options).format(new Date(iso));
}

export function Time({ iso, style = 'full' }: { iso: string | null | undefined; style?: 'full' | 'short' }) {
  const { timeZone, locale } = usePerson();
  if (!iso) return <span>—</span>;
  return <time dateTime={iso}>{formatDateTime(iso, timeZone, locale, style)}</time>;
}

/** "in 5 minutes", "2 hours ago", in the person's language. */
export function relativeTime(iso: string, locale: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  return format.format(seconds, 'second');
}

/** A zone as people name it: "America/New_York" → "New York", "UTC" stays. */
export function zoneName(zone: string): string {
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}

/** " (New York time)" where the zone is not the person's own; nothing where it is. */
export function ZoneNote({ zone }: { zone: string }) {
  const { timeZone } = usePerson();
  if (zone === timeZone) return null;
  return <span className="zone-note"> ({zoneName(zone)} time)</span>;
}
