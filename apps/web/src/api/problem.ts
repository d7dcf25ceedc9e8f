/**
 * The API's errors as the app shows them: an RFC 9457 problem (title, detail,
 * and for validation `errors: [{path, message}]`), kept whole so a form can put
 * each message next to the field its path names.
 */
import type { Problem } from '@herald/api-client';
import { withoutIds } from './problem-words';

export type { Problem };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
  }
}

/** What the answer to a request says went wrong, as a problem; one the app makes when Herald did not answer one. */
export function problemOf(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  return {
    type: 'about:blank',
    title: 'Herald did not answer',
    status: 0,
    detail: error instanceof Error && error.message ? `The request did not reach Herald (${error.message}). Check your connection and try again.` : 'The request did not reach Herald. Check your connection and try again.',
  };
}

/** The problem's messages for one field: errors whose path is `path` or lies under it (`media[0]` under `media`). */
export function fieldMessages(problem: Problem | undefined, path: string): string[] {
  if (!problem?.errors) return [];
  return problem.errors
    .filter((error) => error.path !== undefined && (error.path === path || error.path.startsWith(`${path}.`) || error.path.startsWith(`${path}[`)))
    .map((error) => withoutIds(error.message ?? 'is not valid'));
}

/** Whether some error of the problem names one of `paths` (so the form shows it there, not in the summary). */
export function namesAField(problem: Problem | undefined, paths: string[]): boolean {
  return paths.some((path) => fieldMessages(problem, path).length > 0);
}
