/**
 * The OpenAPI document, generated from the controllers and DTOs, served at
 * /docs (Swagger UI) and /docs/openapi.json, with an example per schedule
 * mode and the problem+json shape of every error.
 */
import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

const SCHEDULE_EXAMPLES: Record<string, { summary: string; value: unknown }> = {
  at: { summary: 'At an instant', value: { text: 'We are live!', channelIds: ['<channel id>'], schedule: { mode: 'at', at: '2026-12-01T09:00:00+01:00' } } },
  wallTime: {
    summary: 'At a wall-clock time in a zone',
    value: { text: 'Good morning, Berlin', channelIds: ['<channel id>'], schedule: { mode: 'at', localTime: '2026-12-01T09:00', timezone: 'Europe/Berlin' } },
  },
  queue: { summary: "Each channel's next free slot (its slot queue)", value: { text: 'Queued', channelIds: ['<channel id>'], schedule: { mode: 'queue' } } },
  next: { summary: "Front of each channel's slot queue", value: { text: 'Urgent', channelIds: ['<channel id>'], schedule: { mode: 'next' } } },
  now: { summary: 'Publish immediately', value: { text: 'Right now', channelIds: ['<channel id>'], schedule: { mode: 'now' } } },
  draft: { summary: 'Store only', value: { text: 'Later', channelIds: ['<channel id>'], schedule: { mode: 'draft' } } },
  media: {
    summary: 'With media and a per-channel variant',
    value: {
      text: 'Two pictures',
      channelIds: ['<instagram channel id>', '<x channel id>'],
      media: [{ url: 'https://cdn.example.com/one.jpg', alt: 'A sunrise' }],
      variants: { '<instagram channel id>': 'Two pictures #photo' },
      schedule: { mode: 'now' },
    },
  },
};

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://herald.dev/problems/unprocessable-request' },
    title: { type: 'string', example: 'Unprocessable request' },
    status: { type: 'integer', example: 422 },
    detail: { type: 'string', example: 'channel 6f1c… (x acme): Text is 312 weighted characters; X allows 280' },
    instance: { type: 'string', example: '/v1/posts' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string', example: 'text' }, message: { type: 'string' } } },
    },
  },
};

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Herald')
    .setDescription('Self-hosted, API-first social post scheduler. Errors are application/problem+json (RFC 9457).')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A workspace API key (hrld_…), or the admin token for /v1/workspaces and /admin' })
    .addCookieAuth('herald_session', {
      type: 'apiKey',
      in: 'cookie',
      name: 'herald_session',
      description:
        'A signed-in person\'s session (POST /v1/auth/sign-in); the workspace is named by X-Herald-Workspace, and a request that changes something carries X-CSRF-Token',
    }, 'session')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA } };
  const problem = { description: 'A problem (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of Object.values(item)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      const op = operation as { responses: Record<string, unknown>; security?: unknown };
      op.responses['4XX'] = problem;
      op.responses['5XX'] = problem;
      op.security = securityOf(path);
    }
  }
  const createPost = document.paths['/v1/posts']?.post;
  const body = createPost?.requestBody as { content?: Record<string, { examples?: unknown }> } | undefined;
  if (body?.content?.['application/json']) body.content['application/json'].examples = SCHEDULE_EXAMPLES;
  return document;
}

/** Routes that need nothing: signing up and in, password resets, and an invitation's preview and acceptance (its token; a session when the person has one). */
const PUBLIC_PATHS = ['/v1/auth/sign-up', '/v1/auth/sign-in', '/v1/auth/password-reset', '/v1/auth/password-reset/confirm', '/v1/invitations/accept', '/v1/invitations/{token}'];

/** How each route is authenticated: the public ones by nothing, the other /v1/auth routes by the session, the workspace routes by a key or a session. */
function securityOf(path: string): Record<string, string[]>[] {
  if (PUBLIC_PATHS.includes(path)) return [];
  if (path.startsWith('/v1/auth/')) return [{ session: [] }];
  if (path.startsWith('/v1/') && path !== '/v1/workspaces') return [{ bearer: [] }, { session: [] }];
  return [{ bearer: [] }];
}

export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
}
