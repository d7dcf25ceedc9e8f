/**
 * Where a post dropped on a cell goes. By default it keeps its wall time in
 * its channels' zone: a 09:00 New York post dropped two days later is 09:00
 * New York two days later, whatever zone the person looks from (and across a
 * DST change in either zone). Dropped on an hour cell of another hour, the
 * person chose a new time: that hour (its minutes kept), in their zone,
 * written in the channels' zone. With `keep: 'mine'`, the wall time the
 * person sees is kept instead. Pure.
 */
import { DateTime } from 'luxon';
import { parseCell, type PlacedEntry } from './calendar-grid';

export type KeepTime = 'channel' | 'mine';

export interface Move {
  /** yyyy-MM-ddTHH:mm in `timezone`: what PATCH /v1/posts/:id takes. */
  localTime: string;
  timezone: string;
}

const WALL = "yyyy-MM-dd'T'HH:mm";

export function movedTo(placed: PlacedEntry, cell: string, viewerZone: string, keep: KeepTime = 'channel'): Move | undefined {
  const target = parseCell(cell);
  if (!target) return undefined;
  const targetDay = DateTime.fromISO(target.date, { zone: viewerZone });
  const days = Math.round(targetDay.diff(placed.at.startOf('day'), 'days').days);
  const sameHour = target.hour === undefined || target.hour === placed.at.hour;
  let move: Move;
  if (sameHour && keep === 'channel') {
    const channelTime = DateTime.fromISO(placed.entry.localTime, { zone: placed.entry.timezone }).plus({ days });
    move = { localTime: channelTime.toFormat(WALL), timezone: placed.entry.timezone };
  } else {
    const mine = targetDay.set({ hour: target.hour ?? placed.at.hour, minute: placed.at.minute });
    move = keep === 'mine' ? { localTime: mine.toFormat(WALL), timezone: viewerZone } : { localTime: mine.setZone(placed.entry.timezone).toFormat(WALL), timezone: placed.entry.timezone };
  }
  const unchanged = move.timezone === placed.entry.timezone ? move.localTime === placed.entry.localTime : DateTime.fromISO(move.localTime, { zone: move.timezone }).toMillis() === placed.at.toMillis();
  return unchanged ? undefined : move;
}
