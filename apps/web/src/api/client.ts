/**
 * The one way the web app reaches Herald: the typed client generated from the
 * OpenAPI document (@herald/api-client), on the page's own origin with the
 * session cookie. It sends the signed-in person's CSRF token with every change
 * and names the workspace they are working in (X-Herald-Workspace).
 */
import { createHeraldClient, type HeraldClient } from '@herald/api-client';

let csrfToken: string | null = null;
let workspaceId: string | null = null;

export const herald: HeraldClient = createHeraldClient({ baseUrl: '', csrfToken: () => csrfToken });

herald.use({
  onRequest({ request }) {
    if (workspaceId && !request.headers.has('X-Herald-Workspace')) request.headers.set('X-Herald-Workspace', workspaceId);
    return request;
  },
});

/** Set from every answer that carries one (sign-in, sign-up, GET /v1/auth/me); null after sign-out. */
export function rememberCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The workspace the following requests act in. */
export function actInWorkspace(id: string | null): void {
  workspaceId = id;
}

/** The workspace the app acts in, or null before one is known. */
export function currentWorkspace(): string | null {
  return workspaceId;
}

/**
 * A Herald URL for an <img> (a channel's avatar): an image's request cannot
 * send X-Herald-Workspace, so it names the workspace as `?workspace=`, which
 * the API takes on any signed-in GET.
 */
export function inWorkspace(url: string, workspace: string | null = workspaceId): string {
  if (!workspace) return url;
  return `${url}${url.includes('?') ? '&' : '?'}workspace=${encodeURIComponent(workspace)}`;
}
