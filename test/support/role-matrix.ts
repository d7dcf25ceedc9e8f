/**
 * The role matrix: what every route answers to each kind of caller, derived
 * from test/support/routes.ts (what each route needs) and ROLE_ACTIONS (what
 * each role may do). The e2e spec checks the API against it; docs/people.md's table
 * is this, written by `npm run role-matrix` (a unit test checks they agree).
 */
import { ROLE_ACTIONS, Role, leastRoleFor } from '../../apps/api/src/access/permissions';
import { Needs, ROUTES } from './routes';

/** Each kind of caller: a signed-in member of each role, an API key of two roles, the admin token, nothing. */
export const CALLERS = ['owner', 'admin', 'editor', 'contributor', 'viewer', 'key:admin', 'key:editor', 'admin-token', 'none'] as const;
export type Caller = (typeof CALLERS)[number];

/** What a caller gets: past the guard (any answer but 401 and 403), 403 naming the least role that may, or 401. */
export type Verdict = { answer: 'allowed' } | { answer: 403; needs: Role } | { answer: 401 };

export function verdict(needs: Needs, caller: Caller): Verdict {
  if (needs === 'public' || needs === 'flow-state' || needs === 'signed-link') return { answer: 'allowed' };
  if (needs === 'admin-token') return caller === 'admin-token' ? { answer: 'allowed' } : { answer: 401 };
  if (caller === 'none' || caller === 'admin-token') return { answer: 401 };
  const isKey = caller.startsWith('key:');
  if (needs === 'session') return isKey ? { answer: 401 } : { answer: 'allowed' };
  if (needs === 'member') return { answer: 'allowed' };
  const role = (isKey ? caller.slice(4) : caller) as Role;
  return ROLE_ACTIONS[role].includes(needs) ? { answer: 'allowed' } : { answer: 403, needs: leastRoleFor(needs)! };
}

const HEADINGS: Record<Caller, string> = {
  owner: 'owner',
  admin: 'admin',
  editor: 'editor',
  contributor: 'contributor',
  viewer: 'viewer',
  'key:admin': 'admin key',
  'key:editor': 'editor key',
  'admin-token': 'admin token',
  none: 'nothing',
};

const NEEDS: Record<string, string> = {
  member: 'any member or key',
  session: 'a session',
  public: 'nothing (its own check)',
  'admin-token': 'the admin token',
  'flow-state': 'the flow\'s state',
  'signed-link': 'the link\'s signature',
};

/** The matrix as a Markdown table: ✓ past the guard, 403 (the role it needs), 401. */
export function matrixMarkdown(): string {
  const cell = (value: Verdict) => (value.answer === 'allowed' ? '✓' : value.answer === 403 ? '403' : '401');
  const lines = [
    `| route | needs | ${CALLERS.map((caller) => HEADINGS[caller]).join(' | ')} |`,
    `|---|---|${CALLERS.map(() => '---').join('|')}|`,
    ...ROUTES.map(([method, path, needs]) => `| \`${method} ${path}\` | ${NEEDS[needs] ?? `\`${needs}\` (${leastRoleFor(needs as never)}+)`} | ${CALLERS.map((caller) => cell(verdict(needs, caller))).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

export const MATRIX_START = '<!-- role-matrix: written by `npm run role-matrix` from test/support/routes.ts and access/permissions.ts -->';
export const MATRIX_END = '<!-- /role-matrix -->';

/** docs/people.md with its matrix replaced by the current one. */
export function withMatrix(page: string): string {
  const start = page.indexOf(MATRIX_START);
  const end = page.indexOf(MATRIX_END);
  if (start < 0 || end < start) throw new Error(`docs/people.md has no role matrix between ${MATRIX_START} and ${MATRIX_END}`);
  return `${page.slice(0, start + MATRIX_START.length)}\n${matrixMarkdown()}${page.slice(end)}`;
}
