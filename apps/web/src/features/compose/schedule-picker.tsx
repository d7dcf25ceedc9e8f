/** When a post goes out: every schedule mode of the API, a time in any zone included; in compose, "Repeat" too (a recurring series). */
import { useId, type ReactNode } from 'react';
import { fieldMessages, type Problem } from '../../api/problem';
import { SelectField, TextField } from '../../ui/field';
import { timeZones } from '../../ui/person';

export type ScheduleMode = 'queue' | 'next' | 'now' | 'at' | 'draft';
/** A schedule mode, or "Repeat": made as a series (POST /v1/series), not a post. */
export type WhenMode = ScheduleMode | 'repeat';

export interface ScheduleChoice {
  mode: WhenMode;
  /** `YYYY-MM-DDTHH:mm`, a wall-clock time in `timezone` (mode at). */
  localTime: string;
  timezone: string;
}

export const MODES: { mode: WhenMode; label: string; hint: string; action: string }[] = [
  { mode: 'queue', label: 'Add to queue', hint: "Each channel's next free posting time.", action: 'Add to queue' },
  { mode: 'next', label: 'Share next', hint: "The front of each channel's queue; the queued posts move down one time.", action: 'Share next' },
  { mode: 'now', label: 'Share now', hint: 'Published right away.', action: 'Share now' },
  { mode: 'at', label: 'At a date and time', hint: 'In the time zone you pick.', action: 'Schedule' },
  { mode: 'draft', label: 'Save as draft', hint: 'Kept here; nothing is published.', action: 'Save draft' },
  { mode: 'repeat', label: 'Repeat', hint: 'Goes out again and again on a rule you set: a recurring series.', action: 'Create series' },
];

/** The API's `schedule` for the choice. */
export function scheduleBody(choice: ScheduleChoice): { mode: ScheduleMode; localTime?: string; timezone?: string } {
  if (choice.mode === 'repeat') throw new Error('a repeating post is a series, not a schedule');
  return choice.mode === 'at' ? { mode: 'at', localTime: choice.localTime, timezone: choice.timezone } : { mode: choice.mode };
}

export function SchedulePicker({ choice, onChange, problem, repeat }: { choice: ScheduleChoice; onChange: (choice: ScheduleChoice) => void; problem?: Problem; repeat?: ReactNode }) {
  const name = useId();
  const errors = fieldMessages(problem, 'schedule');
  return (
    <fieldset className="schedule-picker">
      <legend>When</legend>
      <div className="radio-list">
        {MODES.filter((option) => option.mode !== 'repeat' || repeat !== undefined).map((option) => (
          <label key={option.mode} className="radio">
            <input type="radio" name={name} value={option.mode} checked={choice.mode === option.mode} onChange={() => onChange({ ...choice, mode: option.mode })} />
            <span>
              <span className="radio-label">{option.label}</span>
              <span className="muted"> {option.hint}</span>
            </span>
          </label>
        ))}
      </div>
      {choice.mode === 'at' ? (
        <div className="row wrap">
          <TextField label="Date and time" type="datetime-local" required value={choice.localTime} onChange={(event) => onChange({ ...choice, localTime: event.target.value })} />
          <SelectField label="Time zone" value={choice.timezone} onChange={(event) => onChange({ ...choice, timezone: event.target.value })}>
            {timeZones().map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </SelectField>
        </div>
      ) : null}
      {choice.mode === 'repeat' ? repeat : null}
      {/* The alert around the list, not on it: role="alert" on the <ul> would take its list role away. */}
      {errors.length > 0 ? (
        <div role="alert">
          <ul className="field-errors">
            {errors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </fieldset>
  );
}
