/** The API's problem, said in full where no field shows it: its title, its detail, and the messages of fields not on the form. */
import { forwardRef } from 'react';
import type { Problem } from '../api/problem';

interface Props {
  problem: Problem | undefined;
  /** Paths the form shows next to their fields: left out here. */
  shownAt?: string[];
}

export const ProblemAlert = forwardRef<HTMLDivElement, Props>(function ProblemAlert({ problem, shownAt = [] }, ref) {
  if (!problem) return null;
  const shown = (path: string | undefined) => path !== undefined && shownAt.some((field) => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`));
  const rest = (problem.errors ?? []).filter((error) => !shown(error.path));
  const allShown = (problem.errors?.length ?? 0) > 0 && rest.length === 0;
  return (
    <div className="alert alert-error" role="alert" ref={ref} tabIndex={-1}>
      <p className="alert-title">{problem.title}</p>
      {allShown ? <p>See the messages next to the fields below.</p> : rest.length === 0 ? <p>{problem.detail}</p> : null}
      {rest.length > 0 ? (
        <ul>
          {rest.map((error, index) => (
            <li key={index}>{error.path ? `${error.path}: ` : ''}{error.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
});
