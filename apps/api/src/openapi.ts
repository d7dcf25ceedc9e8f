/**
 * The OpenAPI document, generated from the controllers and DTOs (see
 * common/api-docs.ts for how a route is described), served at /docs (Swagger
 * UI) and /docs/openapi.json, committed as apps/api/openapi.json and turned
 * into libs/api-client by the build. What every route shares is added here,
 * from its path and method, in one place: who may call it, and the refusals
 * any route of its kind can answer.
 */
import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BODIES_EXTENSION, PROBLEM_DESCRIPTIONS, ProblemSchema, ProblemStatus, problemResponse } from './common/api-docs';

const X_CHANNEL = '6f1c2b9e-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const INSTAGRAM_CHANNEL = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';

const SCHEDULE_EXAMPLES: Record<string, { summary: string; value: unknown }> = {
  at: { summary: 'At an instant', value: { text: 'We are live!', channelIds: [X_CHANNEL], schedule: { mode: 'at', at: '2026-12-01T09:00:00+01:00' } } },
  wallTime: {
    summary: 'At a wall-clock time in a zone',
    value: { text: 'Good morning, Berlin', channelIds: [X_CHANNEL], schedule: { mode: 'at', localTime: '2026-12-01T09:00', timezone: 'Europe/Berlin' } },
  },
  queue: { summary: "Each channel's next free slot (its slot queue)", value: { text: 'Queued', channelIds: [X_CHANNEL], schedule: { mode: 'queue' } } },
  next: { summary: "Front of each channel's slot queue", value: { text: 'Urgent', channelIds: [X_CHANNEL], schedule: { mode: 'next' } } },
  now: { summary: 'Publish immediately', value: { text: 'Right now', channelIds: [X_CHANNEL], schedule: { mode: 'now' } } },
  draft: { summary: 'Store only', value: { text: 'Later', channelIds: [X_CHANNEL], schedule: { mode: 'draft' } } },
  media: {
    summary: 'With media and a per-channel variant',
    value: {
      text: 'Two pictures',
      channelIds: [INSTAGRAM_CHANNEL, X_CHANNEL],
      media: [{ url: 'https://cdn.example.com/one.jpg', alt: 'A sunrise' }],
      variants: { [INSTAGRAM_CHANNEL]: 'Two pictures #photo' },
      schedule: { mode: 'now' },
    },
  },
};

/** The tags, in the order the docs show them. */
const TAGS: [string, string][] = [
  ['Posts', 'Posts and their deliveries: create (one or in bulk), list, edit, cancel, retry'],
  ['Feeds', 'RSS, Atom and JSON feeds followed for a set of channels: each new item a post'],
  ['Series', 'Recurring posts: an RRULE in a zone, its occurrences made ahead as ordinary posts; paused, resumed, edited from the next occurrence on'],
  ['Tags', "The workspace's tags (a name and a colour); posts, lists and the calendar filter by them"],
  ['Channels', 'Connected accounts: their zone, posting schedule and slot queue'],
  ['Channel groups', 'Saved sets of channels (for example one per client), picked together in compose'],
  ['Calendar', 'What a calendar draws: the posts scheduled in a range, compact, in one call'],
  ['Analytics', 'What published posts earned, kept over time: each post\'s snapshots, sums per period and channel, top posts, best times to post'],
  ['Connect', "Connecting an account through the network's OAuth flow"],
  ['Media', "The workspace's media library: uploads, imports, files"],
  ['Networks', "Each network's content and media rules, and how it connects"],
  ['Webhooks', 'Signed notifications of what happened, and their delivery history'],
  ['API keys', "The workspace's API keys"],
  ['Members', 'The people in the workspace, their roles, and invitations'],
  ['Audit', "The workspace's audit log"],
  ['Auth', 'People: sign-up, sign-in, sessions'],
  ['Workspaces', "Tenants, made by the installation's operator (admin token)"],
  ['Admin', 'The queues, for operators (admin token)'],
  ['Health', 'Liveness, readiness and Prometheus metrics'],
];

type Access = 'public' | 'session' | 'admin' | 'workspace';

/**
 * Who may call a path (the guards say it in code; test/api-contract checks
 * that every route answers 401 without credentials exactly when this says
 * it needs some). Public routes are listed by name; a new one goes here.
 */
const PUBLIC_PATHS = [/^\/v1\/auth\/sign-(up|in)$/, /^\/v1\/auth\/password-reset(\/confirm)?$/, /^\/v1\/invitations\/(accept|preview\/\{token\})$/, /^\/v1\/channels\/connect\/callback$/, /^\/public\//, /^\/health\//];

export function accessOf(path: string): Access {
  if (PUBLIC_PATHS.some((pattern) => pattern.test(path))) return 'public';
  if (path.startsWith('/v1/auth/')) return 'session';
  if (path === '/v1/workspaces' || path.startsWith('/admin/') || path === '/metrics') return 'admin';
  return 'workspace';
}

/** Methods that change nothing: the only ones a session may send without its CSRF token (access/guards.ts). */
const SAFE_METHODS = ['get', 'head', 'options'];

function securityOf(access: Access, method: string): Record<string, string[]>[] {
  const session: Record<string, string[]> = SAFE_METHODS.includes(method) ? { session: [] } : { session: [], csrf: [] };
  switch (access) {
    case 'public':
      return [];
    case 'session':
      return [session];
    case 'admin':
      return [{ adminToken: [] }];
    case 'workspace':
      return [{ apiKey: [] }, session];
  }
}

const WORKSPACE_HEADER = {
  name: 'X-Herald-Workspace',
  in: 'header',
  required: false,
  description: 'A signed-in person in several workspaces names the one the request acts on (ignored with an API key)',
  schema: { type: 'string', format: 'uuid' },
};

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } } };

/** The refusals any route of its kind can answer, beside the ones it declares itself (which keep their own words). */
function sharedProblems(path: string, method: string, access: Access): ProblemStatus[] {
  const statuses: ProblemStatus[] = [400];
  if (access !== 'public') statuses.push(401);
  if (access === 'workspace' || (access === 'session' && !SAFE_METHODS.includes(method))) statuses.push(403);
  if (access === 'workspace') statuses.push(404);
  if (['post', 'put', 'patch'].includes(method)) statuses.push(413, 415);
  if (!path.startsWith('/health/') && path !== '/metrics') statuses.push(429);
  return statuses;
}

const SHARED_DESCRIPTIONS: Partial<Record<ProblemStatus, string>> = {
  400: `${PROBLEM_DESCRIPTIONS[400]}; any route: text the path or query cannot hold (U+0000, a lone surrogate)`,
  403: 'Forbidden: the caller\'s role may not do this, or a signed-in request that changes something came without its CSRF token (X-CSRF-Token)',
  404: 'Not found: absent or in another workspace (never 403), or the workspace X-Herald-Workspace names is not one of the signed-in person\'s',
};

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Herald')
    .setDescription(
      'Self-hosted, API-first social post scheduler. JSON in and out; errors are application/problem+json (RFC 9457); lists are cursor-paginated; creating routes take an Idempotency-Key.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'This Herald')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'hrld_…', description: "A workspace's API key (hrld_…), as `Authorization: Bearer <key>`" }, 'apiKey')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: "The installation's admin token (HERALD_ADMIN_TOKEN), as `Authorization: Bearer <token>`" }, 'adminToken')
    .addCookieAuth(
      'herald_session',
      {
        type: 'apiKey',
        in: 'cookie',
        name: 'herald_session',
        description:
          "A signed-in person's session cookie (set by POST /v1/auth/sign-in and sign-up; `__Host-herald_session` over HTTPS); X-Herald-Workspace names the workspace when they are in several",
      },
      'session',
    )
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: "With a session, on every request that changes something: the session's csrfToken (from sign-in, sign-up or GET /v1/auth/me)" }, 'csrf');
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), { extraModels: [ProblemSchema] });
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      const op = operation as { responses: Record<string, unknown>; security?: unknown; parameters?: unknown[]; requestBody?: unknown; [BODIES_EXTENSION]?: unknown };
      const bodies = op[BODIES_EXTENSION] as { description: string; content: Record<string, object> } | undefined;
      if (bodies) {
        op.requestBody = { required: true, description: bodies.description, content: Object.fromEntries(Object.entries(bodies.content).map(([type, schema]) => [type, { schema }])) };
        delete op[BODIES_EXTENSION];
      }
      const access = accessOf(path);
      op.security = securityOf(access, method);
      if (access === 'workspace') op.parameters = [...(op.parameters ?? []), WORKSPACE_HEADER];
      for (const parameter of (op.parameters ?? []) as { in?: string; name?: string; schema?: object }[]) {
        // `:id` outside /admin is read by ParseIdPipe: a UUID, or 404.
        if (parameter.in === 'path' && parameter.name === 'id' && access !== 'admin') parameter.schema = { ...parameter.schema, format: 'uuid' };
      }
      for (const status of sharedProblems(path, method, access)) {
        op.responses[status] ??= problemResponse(SHARED_DESCRIPTIONS[status] ?? PROBLEM_DESCRIPTIONS[status]);
      }
      op.responses['5XX'] = { ...problemResponse('Internal error (500), or Postgres or Redis unavailable (503, with Retry-After)'), headers: RETRY_AFTER };
      if (op.responses[429]) op.responses[429] = { ...(op.responses[429] as object), headers: RETRY_AFTER };
    }
  }
  const createPost = document.paths['/v1/posts']?.post;
  const body = createPost?.requestBody as { content?: Record<string, { examples?: unknown }> } | undefined;
  if (body?.content?.['application/json']) body.content['application/json'].examples = SCHEDULE_EXAMPLES;
  return sortKeys(document);
}

/**
 * The document with every object's keys in code-point order (arrays keep
 * theirs), so the committed apps/api/openapi.json does not change when
 * modules are registered in another order.
 */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, field]) => field !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, field]) => [key, sortKeys(field)])) as T;
}

/** The document as committed in apps/api/openapi.json: two-space indents, a final newline. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
}

/** Serves the document, and answers it (the MCP server's tools are made from it). */
export function serveOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return document;
}
