/** Unwraps an openapi-fetch answer: its body, typed by the document, or an ApiError carrying the problem+json Herald answered. */
import { ApiError, type Problem } from './problem';

interface FetchAnswer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export async function call<T>(request: Promise<FetchAnswer<T>>): Promise<T> {
  const { data, error, response } = await request;
  if (!response.ok) throw new ApiError(response.status, asProblem(error, response));
  return data as T;
}

function asProblem(error: unknown, response: Response): Problem {
  if (error && typeof error === 'object' && 'title' in error) return error as Problem;
  return { type: 'about:blank', title: response.statusText || `HTTP ${response.status}`, status: response.status, detail: typeof error === 'string' && error ? error.slice(0, 500) : `Herald answered ${response.status}` };
}
