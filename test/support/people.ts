/**
 * People for the specs: a person signed up through the API (with their
 * session cookie and CSRF token), requests made as them in a workspace, and,
 * TEMPORARILY, a role for them in another person's workspace.
 *
 * `addMember` writes the `members` row directly in the stack's database,
 * as an accepted invitation would: this branch has no members API yet
 * (issue 20's `/v1/members` and `/v1/invitations` are built beside it).
 * Once that lands, replace it with an invitation accepted through the API.
 */
import { randomBytes } from 'node:crypto';
import { HttpAnswer, http } from './http';
import { Stack } from './stack';

export const PASSWORD = 'correct horse battery';

/** A signed-in person: their cookie, CSRF token, id, name and first (own) workspace. */
export interface Person {
  token: string;
  csrfToken: string;
  userId: string;
  name: string;
  email: string;
  workspaceId: string;
}

/** Signs a new person up (the stack runs with AUTH_OPEN_SIGNUP=true, so each gets a workspace of their own). */
export async function signUp(stack: Stack, name: string): Promise<Person> {
  const email = `${name.toLowerCase()}-${randomBytes(4).toString('hex')}@example.com`;
  const answer = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email, password: PASSWORD, name, workspaceName: `${name}'s` } });
  if (answer.status !== 201) throw new Error(`sign-up: ${answer.status} ${JSON.stringify(answer.body)}`);
  const cookie = answer.headers.getSetCookie().find((line) => line.startsWith('herald_session='))!;
  return {
    token: cookie.split(';')[0]!.slice('herald_session='.length),
    csrfToken: answer.body.csrfToken,
    userId: answer.body.user.id,
    name,
    email,
    workspaceId: answer.body.memberships[0].workspaceId,
  };
}

/** Requests as `person` in `workspaceId` (named by X-Herald-Workspace), with the CSRF token. */
export function as(stack: Stack, person: Person, workspaceId = person.workspaceId) {
  return (method: string, path: string, body?: unknown): Promise<HttpAnswer> =>
    http(method, `${stack.apiUrl}${path}`, {
      body,
      headers: { cookie: `herald_session=${person.token}`, 'x-csrf-token': person.csrfToken, 'x-herald-workspace': workspaceId },
    });
}

/** TEMPORARY, until the members API: gives `person` a role in a workspace by writing its `members` row (see the file's comment). */
export async function addMember(stack: Stack, workspaceId: string, person: Person, role: 'owner' | 'admin' | 'editor' | 'contributor' | 'viewer'): Promise<void> {
  await stack.db.query(`INSERT INTO members (workspace_id, user_id, role) VALUES ($1, $2, $3)`, [workspaceId, person.userId, role]);
}
