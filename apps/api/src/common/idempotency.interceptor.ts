import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { Observable, from, lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { AuthenticatedRequest } from './auth';
import { Conflict, FieldError, MalformedRequest, Problem, UnprocessableRequest } from './problems';

const IDEMPOTENT = Symbol('idempotent');
/** Marks a create route: an `Idempotency-Key` replay returns the first answer. */
export const Idempotent = (): MethodDecorator => SetMetadata(IDEMPOTENT, true);

/** A claim on a key older than this is taken to be abandoned (its request died) and may be retried. */
const ABANDONED_AFTER_MS = 5 * 60_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

interface StoredRecord {
  request_fingerprint: string;
  response_status: number;
  response_body: unknown;
  created_at: Date;
}

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
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.header('idempotency-key');
    if (!this.reflector.get<boolean>(IDEMPOTENT, context.getHandler()) || key === undefined || !request.workspaceId) {
      return next.handle();
    }
    return from(this.run(context, next, request.workspaceId, key));
  }

  private async run(context: ExecutionContext, next: CallHandler, workspaceId: string, key: string): Promise<unknown> {
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

    const stored = await this.claim(workspaceId, key, fingerprint);
    if (stored) {
      if (stored.request_fingerprint !== fingerprint) {
        throw new UnprocessableRequest('This Idempotency-Key was already used with a different request', [
          { path: 'header.Idempotency-Key', message: 'was used with a different request' },
        ]);
      }
      if (stored.response_status === 0) throw new Conflict('A request with this Idempotency-Key is still in progress');
      response.setHeader('Idempotent-Replayed', 'true');
      if (stored.response_status >= 400) {
        const problem = stored.response_body as { title: string; detail: string; errors?: FieldError[] };
        throw new Problem(stored.response_status, problem.title, problem.detail, problem.errors);
      }
      response.status(stored.response_status);
      return stored.response_body;
    }

    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.store(workspaceId, key, response.statusCode, body ?? null);
      return body;
    } catch (error) {
      if (error instanceof Problem && error.status < 500) {
        await this.store(workspaceId, key, error.status, { title: error.title, detail: error.message, errors: error.errors });
      } else {
        await this.release(workspaceId, key);
      }
      throw error;
    }
  }

  /** Inserts a pending record; returns the existing one when the key was used before. */
  private async claim(workspaceId: string, key: string, fingerprint: string): Promise<StoredRecord | undefined> {
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_records (workspace_id, key, request_fingerprint, response_status, response_body)
       VALUES ($1, $2, $3, 0, 'null'::jsonb)
       ON CONFLICT (workspace_id, key) DO UPDATE
         SET request_fingerprint = EXCLUDED.request_fingerprint, created_at = date_trunc('milliseconds', now())
         WHERE idempotency_records.response_status = 0 AND idempotency_records.created_at < now() - make_interval(secs => $4)
       RETURNING key`,
      [workspaceId, key, fingerprint, ABANDONED_AFTER_MS / 1000],
    );
    if (inserted.length > 0) return undefined;
    const rows: StoredRecord[] = await this.dataSource.query(
      `SELECT request_fingerprint, response_status, response_body, created_at FROM idempotency_records WHERE workspace_id = $1 AND key = $2`,
      [workspaceId, key],
    );
    return rows[0];
  }

  private async store(workspaceId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_records SET response_status = $3, response_body = $4::jsonb WHERE workspace_id = $1 AND key = $2`,
      [workspaceId, key, status, JSON.stringify(body)],
    );
  }

  private async release(workspaceId: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_records WHERE workspace_id = $1 AND key = $2 AND response_status = 0`, [
      workspaceId,
      key,
    ]);
  }
}
