/** A post's tags as small chips, each with its colour as a dot (the name carries the meaning; the colour only helps the eye). */
import { useQuery } from '@tanstack/react-query';
import { tagColour, tagsQuery } from './api';

export function TagChips({ tags, label = 'Tags' }: { tags: readonly string[]; label?: string }) {
  const known = useQuery(tagsQuery).data;
  if (tags.length === 0) return null;
  return (
    <ul className="tag-chips" aria-label={label}>
      {tags.map((tag) => (
        <li key={tag} className="tag-chip">
          <span className="tag-dot" style={{ background: tagColour(tag, known) }} aria-hidden="true" />
          {tag}
        </li>
      ))}
    </ul>
  );
}
