/**
 * Compose's "Repeat" fields: how often (every day, every weekday, weekly on
 * chosen days, monthly on a day), at what time in which zone (the picked
 * channel's, said so), from when, and until when; below them the API's own
 * reading of the rule (POST /v1/series/preview): in words, and the next
 * occurrences in that zone (and the person's, where it differs).
 */
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { fieldMessages, problemOf, type Problem } from '../../api/problem';
import { SelectField, TextField } from '../../ui/field';
import { timeZones, usePerson } from '../../ui/person';
import { formatDateTime, zoneName } from '../../ui/time';
import { seriesPreviewQuery } from './api';
import { RULE_DAYS, repeatGap, seriesTiming, type Frequency, type RepeatChoice } from './repeat-rule';

const FREQUENCIES: { value: Frequency; label: string }[] = [
  { value: 'daily', label: 'Every day' },
  { value: 'weekdays', label: 'Every weekday (Monday to Friday)' },
  { value: 'weekly', label: 'Every week on…' },
  { value: 'monthly', label: 'Every month on day…' },
];

interface Props {
  choice: RepeatChoice;
  onChange: (choice: RepeatChoice) => void;
  /** Whose zone the time is read in by default: "LinkedIn Acme's zone". */
  zoneOwner: string | null;
  problem?: Problem;
}

export function RepeatFields({ choice, onChange, zoneOwner, problem }: Props) {
  const person = usePerson();
  const id = useId();
  const set = (patch: Partial<RepeatChoice>) => onChange({ ...choice, ...patch });
  const gap = repeatGap(choice);
  const preview = useQuery(seriesPreviewQuery(gap ? null : seriesTiming(choice)));
  const previewProblem = preview.isError ? problemOf(preview.error) : undefined;
  const messages = [...new Set(['rule', 'timezone', 'startAt', 'until', 'count'].flatMap((path) => [...fieldMessages(problem, path), ...fieldMessages(previewProblem, path)]))];
  const toggleDay = (day: RepeatChoice['days'][number]) => set({ days: choice.days.includes(day) ? choice.days.filter((entry) => entry !== day) : [...choice.days, day] });
  const theirZone = choice.timezone;
  return (
    <div className="repeat-fields">
      <div className="row wrap">
        <SelectField label="Repeats" value={choice.frequency} onChange={(event) => set({ frequency: event.target.value as Frequency })}>
          {FREQUENCIES.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
        {choice.frequency === 'monthly' ? (
          <TextField label="Day of the month" type="number" min={1} max={31} className="narrow-field" value={String(choice.monthDay)} onChange={(event) => set({ monthDay: Number(event.target.value) })} hint="A month without that day is skipped." />
        ) : null}
        <TextField label="At" type="time" required className="narrow-field" value={choice.time} onChange={(event) => set({ time: event.target.value })} />
      </div>
      {choice.frequency === 'weekly' ? (
        <fieldset className="plain-fieldset">
          <legend>On</legend>
          <div className="day-picks">
            {RULE_DAYS.map(({ day, short, long }) => (
              <label key={day} className="day-pick">
                <input type="checkbox" checked={choice.days.includes(day)} onChange={() => toggleDay(day)} aria-label={long} />
                <span aria-hidden="true">{short}</span>
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      <div className="row wrap">
        <SelectField
          label="Time zone"
          value={choice.timezone}
          onChange={(event) => set({ timezone: event.target.value })}
          hint={zoneOwner ? `${zoneName(theirZone)}: ${zoneOwner}. 09:00 stays 09:00 there across daylight saving changes.` : '09:00 stays 09:00 there across daylight saving changes.'}
        >
          {[theirZone, ...timeZones().filter((zone) => zone !== theirZone)].map((zone) => (
            <option key={zone} value={zone}>
              {zone.replace(/_/g, ' ')}
            </option>
          ))}
        </SelectField>
        <TextField label="Starts on" type="date" className="narrow-field" value={choice.startDate} onChange={(event) => set({ startDate: event.target.value })} />
      </div>
      <fieldset className="plain-fieldset">
        <legend>Ends</legend>
        <div className="repeat-ends">
          <label className="radio">
            <input type="radio" name={`${id}-end`} checked={choice.end === 'never'} onChange={() => set({ end: 'never' })} />
            <span className="radio-label">Never</span>
          </label>
          <label className="radio">
            <input type="radio" name={`${id}-end`} checked={choice.end === 'count'} onChange={() => set({ end: 'count' })} />
            <span className="radio-label">After a number of times</span>
          </label>
          <label className="radio">
            <input type="radio" name={`${id}-end`} checked={choice.end === 'until'} onChange={() => set({ end: 'until' })} />
            <span className="radio-label">On a date</span>
          </label>
        </div>
        {choice.end === 'count' ? <TextField label="Times in all" type="number" min={1} max={10000} className="narrow-field" value={String(choice.count)} onChange={(event) => set({ count: Number(event.target.value) })} /> : null}
        {choice.end === 'until' ? <TextField label="Last day" type="date" className="narrow-field" value={choice.untilDate} onChange={(event) => set({ untilDate: event.target.value })} /> : null}
      </fieldset>
      <div className="repeat-reading" id={`${id}-reading`} aria-live="polite">
        {gap ? (
          <p className="field-errors">{gap}</p>
        ) : messages.length > 0 ? (
          <ul className="field-errors">
            {messages.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        ) : preview.data ? (
          <>
            <p className="repeat-summary">
              Goes out <strong>{preview.data.summary}</strong> ({zoneName(theirZone)} time)
            </p>
            <p className="muted repeat-next-label">Next times:</p>
            <ol className="repeat-next">
              {preview.data.nextOccurrences.slice(0, 5).map((at) => (
                <li key={at}>
                  <time dateTime={at}>{formatDateTime(at, theirZone, person.locale)}</time>
                  {theirZone !== person.timeZone ? <span className="muted"> · {formatDateTime(at, person.timeZone, person.locale, 'short')} your time</span> : null}
                </li>
              ))}
            </ol>
          </>
        ) : previewProblem ? (
          <p className="field-errors">{previewProblem.detail ?? previewProblem.title}</p>
        ) : (
          <p className="muted">Reading the rule…</p>
        )}
      </div>
    </div>
  );
}
