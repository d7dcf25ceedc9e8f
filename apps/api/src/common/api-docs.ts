/**
 * How a route is described in the OpenAPI document (apps/api/openapi.json,
 * which libs/api-client is generated from). Next to `@Get`/`@Post`:
 *
 *   @ApiRoute('getPost', 'Get a post', 'With its deliveries and every attempt.')
 *   @ApiOk(PostSchema)                  // or ApiCreated, ApiPage, ApiData, ApiNoContent
 *   @ApiProblems(404)                   // the route's own refusals
 *
 * The schema classes live beside each module's views (`<module>/schemas.ts`)
 * and `implements` the view they describe, so a field added to a view and
 * not to its schema does not compile. What every route shares is added by
 * openapi.ts from the route's path and method: who may call it (security),
 * 400 for text a path or query cannot hold, 401/403/404 of its access,
 * 413/415 for a body, 429, 5XX.
 */
import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtension, ApiExtraModels, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** One field of a problem that names it: `text`, `schedule.at`, `header.Idempotency-Key`. */
@ApiSchema({ name: 'FieldError' })
export class FieldErrorSchema {
  @ApiProperty({ example: 'schedule.at', description: 'The field: a dotted path into the body, `query.<name>`, `header.<name>` or `path`' })
  path!: string;

  @ApiProperty({ example: 'must be in the future' })
  message!: string;
}

/** RFC 9457 problem details: every error answer of the API. */
@ApiSchema({ name: 'Problem', description: 'An error (RFC 9457 problem details), as `application/problem+json`' })
export class ProblemSchema {
  @ApiProperty({ format: 'uri', example: 'https://herald.dev/problems/unprocessable-request', description: 'What kind of problem: a URI made of the title' })
  type!: string;

  @ApiProperty({ example: 'Unprocessable request' })
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 422 })
  status!: number;

  @ApiProperty({ example: 'channel 6f1c2b9e-3c4d-4e5f-8a9b-0c1d2e3f4a5b (x acme): Text is 312 weighted characters; X allows 280' })
  detail!: string;

  @ApiPropertyOptional({ example: '/v1/posts', description: 'The path that answered' })
  instance?: string;

  @ApiPropertyOptional({ example: '3f0d7c1e-8b2a-4c5d-9e6f-7a8b9c0d1e2f', description: 'The request id (also in the `X-Request-Id` header), to find the request in the logs' })
  requestId?: string;

  @ApiPropertyOptional({ type: () => [FieldErrorSchema], description: 'Each field at fault (validation, and rules that name a field)' })
  errors?: FieldErrorSchema[];
}

/** What each refusal means, wherever it is answered; a route may say it more precisely with `@ApiProblems({ 409: '...' })`. */
export const PROBLEM_DESCRIPTIONS = {
  400: 'Malformed request: the body, query, path or a header is not shaped as the contract says (`errors` names each field)',
  401: 'Unauthorized: no credentials, or unknown, revoked or ended ones',
  403: 'Forbidden: the caller may not do this (their role, or a signed-in request without its CSRF token)',
  404: 'Not found: absent, or in another workspace',
  409: 'Conflict: the resource is busy or in a state that forbids this now',
  410: 'Gone: a single-use token that was used, revoked or has expired',
  413: 'Payload too large',
  415: 'Unsupported media type: the body is not in a form this route reads',
  416: 'Range not satisfiable',
  422: 'Unprocessable request: well-formed, but breaks a rule (`errors` names the field)',
  429: 'Too many requests: wait for `Retry-After` seconds',
} as const;

export type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

/** The problem+json answer a status gets in the document. */
export function problemResponse(description: string): { description: string; content: Record<string, { schema: { $ref: string } }> } {
  return { description, content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemSchema) } } } };
}

/** The operation: its name as a client method (camelCase, unique), one line saying what it does, and more when it helps. */
export function ApiRoute(operationId: string, summary: string, description?: string): MethodDecorator {
  return ApiOperation({ operationId, summary, ...(description ? { description } : {}) });
}

/** 200 with one `type`. */
export function ApiOk(type: Type<unknown>, description = 'OK'): MethodDecorator & ClassDecorator {
  return ApiResponse({ status: 200, type, description });
}

/** 201 with the created `type`. */
export function ApiCreated(type: Type<unknown>, description = 'Created'): MethodDecorator & ClassDecorator {
  return ApiResponse({ status: 201, type, description });
}

/** 204, no body. */
export function ApiNoContent(description = 'Done; no body'): MethodDecorator & ClassDecorator {
  return ApiResponse({ status: 204, description });
}

/** 200 with a cursor page: `{data: type[], nextCursor}` (`nextCursor` is null on the last page, and on lists that are never paged). */
export function ApiPage(type: Type<unknown>, description = 'A page, newest first; pass `nextCursor` as `cursor` for the next'): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(type),
    ApiResponse({
      status: 200,
      description,
      schema: {
        type: 'object',
        required: ['data', 'nextCursor'],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(type) } },
          nextCursor: { type: 'string', nullable: true, description: 'Opaque; null when there is no next page' },
        },
      },
    }),
  );
}

/** 200 with `{data: type[]}`, a list that is never paged. */
export function ApiData(type: Type<unknown>, description = 'Every item'): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(type),
    ApiResponse({
      status: 200,
      description,
      schema: { type: 'object', required: ['data'], properties: { data: { type: 'array', items: { $ref: getSchemaPath(type) } } } },
    }),
  );
}

/**
 * The route's own refusals, as problem+json: statuses with the usual words
 * (`@ApiProblems(404, 422)`), or with the route's (`@ApiProblems({ 409: 'A delivery is being published' })`).
 */
export function ApiProblems(...problems: (ProblemStatus | Partial<Record<ProblemStatus, string>>)[]): MethodDecorator & ClassDecorator {
  const described = problems.flatMap((problem) =>
    typeof problem === 'number' ? [[problem, PROBLEM_DESCRIPTIONS[problem]] as const] : (Object.entries(problem) as [string, string][]).map(([status, text]) => [Number(status), text] as const),
  );
  return applyDecorators(
    ApiExtraModels(ProblemSchema),
    ...described.map(([status, description]) => ApiResponse({ status, ...problemResponse(description) })),
  );
}

/** Where ApiBodies leaves its body for openapi.ts to put in place (Nest's ApiBody gives every type one schema). */
export const BODIES_EXTENSION = 'x-herald-bodies';

/** A body whose shape depends on its type (a file as multipart/form-data, an import as JSON): each type with its schema. */
export function ApiBodies(description: string, content: Record<string, SchemaObject>): MethodDecorator {
  return ApiExtension(BODIES_EXTENSION, { description, content });
}
