/** "Tag": a select of the workspace's tags, for the lists and the calendar that the API filters by `?tag=`. */
import { useQuery } from '@tanstack/react-query';
import { SelectField } from '../../ui/field';
import { tagsQuery } from './api';

export function TagFilter({ value, onChange }: { value: string | undefined; onChange: (tag: string | undefined) => void }) {
  const tags = useQuery(tagsQuery).data ?? [];
  return (
    <SelectField label="Tag" value={value ?? ''} onChange={(event) => onChange(event.target.value || undefined)}>
      <option value="">All tags</option>
      {/* A tag in the address that no post carries any more is still shown as picked. */}
      {value && !tags.some((tag) => tag.name === value) ? <option value={value}>{value}</option> : null}
      {tags.map((tag) => (
        <option key={tag.name} value={tag.name}>
          {tag.name}
        </option>
      ))}
    </SelectField>
  );
}
