/**
 * Compose's tags: the workspace's tags as toggles, and a new one made on the
 * spot (POST /v1/tags, with the next colour). What the API refuses of a name
 * is said in its own words under the field.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type KeyboardEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { ApiError, problemOf } from '../../api/problem';
import { TAG_COLOURS, tagColour, tagName, tagsQuery } from './api';
import { FieldErrors } from '../../ui/field';

export function TagPicker({ selected, onChange, errors = [] }: { selected: string[]; onChange: (tags: string[]) => void; errors?: string[] }) {
  const tags = useQuery(tagsQuery).data ?? [];
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState('');
  const [said, setSaid] = useState('');
  const id = useId();
  const toggle = (name: string) => {
    const on = selected.includes(name);
    onChange(on ? selected.filter((tag) => tag !== name) : [...selected, name]);
    setSaid(on ? `Tag ${name} removed.` : `Tag ${name} added.`);
  };
  const create = useMutation({
    mutationFn: (name: string) => call(herald.POST('/v1/tags', { body: { name, colour: TAG_COLOURS[tags.length % TAG_COLOURS.length]! } })),
    onSuccess: async (tag) => add(tag.name),
    onError: (error, name) => {
      // A tag of that name is there already (made by a teammate meanwhile): take it.
      if (error instanceof ApiError && error.status === 409) add(name);
    },
  });
  const add = (name: string) => {
    if (!selected.includes(name)) onChange([...selected, name]);
    setDraft('');
    setSaid(`Tag ${name} added.`);
    void queryClient.invalidateQueries({ queryKey: ['tags'] });
  };
  const submit = () => {
    const name = tagName(draft);
    if (!name) return;
    if (tags.some((tag) => tag.name === name)) add(name);
    else create.mutate(name);
  };
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      submit();
    }
  };
  const refused = create.error && !(create.error instanceof ApiError && create.error.status === 409) ? problemOf(create.error) : undefined;
  const messages = [...errors, ...(refused ? (refused.errors?.map((error) => error.message) ?? [refused.detail ?? refused.title]) : [])];
  const shown = [...new Set([...tags.map((tag) => tag.name), ...selected])];
  return (
    <fieldset className="tag-picker">
      <legend>Tags</legend>
      {shown.length > 0 ? (
        <ul className="tag-toggles" aria-label="Workspace tags">
          {shown.map((name) => (
            <li key={name}>
              <button type="button" className="tag-toggle" aria-pressed={selected.includes(name)} onClick={() => toggle(name)}>
                <span className="tag-dot" style={{ background: tagColour(name, tags) }} aria-hidden="true" />
                {name}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="field-hint">No tags yet: name one to group posts (a campaign, a client, a theme) and filter by it later.</p>
      )}
      <div className="tag-new">
        <label htmlFor={`${id}-new`} className="visually-hidden">
          New tag
        </label>
        <input
          id={`${id}-new`}
          type="text"
          placeholder="New tag, e.g. launch"
          value={draft}
          maxLength={50}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKey}
          aria-invalid={messages.length > 0 ? true : undefined}
          aria-describedby={messages.length > 0 ? `${id}-errors` : undefined}
        />
        <button type="button" className="button small" onClick={submit} disabled={!tagName(draft) || create.isPending}>
          Add tag
        </button>
      </div>
      <FieldErrors messages={messages} id={`${id}-errors`} />
      <p className="visually-hidden" aria-live="polite">
        {said}
      </p>
    </fieldset>
  );
}
