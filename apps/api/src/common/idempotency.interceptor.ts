import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { ApiHeader } from '@nestjs/swagger';
import { Observable, from, lastValueFrom } from 'rxjs';
import { IdempotencyRecordsRepository, StoredAnswer, Tenant } from '@herald/db';
import type { AuthenticatedRequest } from '../access';
import { ApiProblems } from './api-docs';
import { Conflict, FieldError, MalformedRequest, Problem, UnprocessableRequest } from './problems';

const IDEMPOTENT = Symbol('idempotent');
/** Marks a create route: an `Idempotency-Key` replay returns the first answer (and the document says so). */
export const Idempotent = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes the create safe to retry: a replay answers the first answer, with `Idempotent-Replayed: true`. Per workspace; the same key with another body is a 422, and 409 while the first is still in progress.',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
    }),
    // Beside the route's own 409 and 422, if it has them (their descriptions are joined).
    ApiProblems({ 409: 'A request with this Idempotency-Key is still in progress', 422: 'This Idempotency-Key was used with a different request' }),
  );

/** A claim on a key older than this is taken to be abandoned (its request died) and may be retried. */
const ABANDONED_AFTER_MS = 5 * 60_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on creating routes, per workspace. The key is claimed
 * before the handler runs (so two concurrent requests with one key cannot both
 * create), the answer is stored after it, and a repeat gets the stored answer
 * with `Idempotent-Replayed: true`. The same key with another body is a 422.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly records: IdempotencyRecordsRepository,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.header('idempotency-key');
    if (!this.reflector.get<boolean>(IDEMPOTENT, context.getHandler()) || key === undefined || !request.auth) {
      return next.handle();
    }
    return from(this.run(context, next, request.auth.tenant, key));
  }

  private async run(context: ExecutionContext, next: CallHandler, tenant: Tenant, key: string): Promise<unknown> {
    if (!KEY_PATTERN.test(key)) {
      throw new MalformedRequest('Idempotency-Key must be 1 to 255 printable ASCII characters', [
        { path: 'header.Idempotency-Key', message: 'is invalid' },
      ]);
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.route?.path ?? request.path}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');

    const stored = await this.claim(tenant, key, fingerprint);
    if (stored) {
      if (stored.fingerprint !== fingerprint) {
        throw new UnprocessableRequest('This Idempotency-Key was already used with a different request', [
          { path: 'header.Idempotency-Key', message: 'was used with a different request' },
        ]);
      }
      if (stored.status === 0) throw new Conflict('A request with this Idempotency-Key is still in progress');
      response.setHeader('Idempotent-Replayed', 'true');
      if (stored.status >= 400) {
        const problem = stored.body as { title: string; detail: string; errors?: FieldError[] };
        throw new Problem(stored.status, problem.title, problem.detail, problem.errors);
      }
      response.status(stored.status);
      return stored.body;
    }

    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.records.store(tenant, key, response.statusCode, body ?? null);
      return body;
    } catch (error) {
      if (error instanceof Problem && error.status < 500) {
        await this.records.store(tenant, key, error.status, { title: error.title, detail: error.message, errors: error.errors });
      } else {
        await this.records.release(tenant, key);
      }
      throw error;
    }
  }

  /** Claims the key for this request; returns the existing record when the key was used before. */
  private async claim(tenant: Tenant, key: string, fingerprint: string): Promise<StoredAnswer | undefined> {
    if (await this.records.claim(tenant, key, fingerprint, ABANDONED_AFTER_MS)) return undefined;
    return this.records.find(tenant, key);
  }
}
