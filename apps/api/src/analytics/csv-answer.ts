/** `Accept: text/csv` on an analytics read: the same rows as CSV, and the document saying both. */
import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { Type } from '@nestjs/common';
import type { Response } from 'express';
import { toCsv } from './csv';

/** 200 as JSON (`type`) or, with `Accept: text/csv`, as CSV (`csv` says its rows). */
export function ApiOkOrCsv(type: Type<unknown>, csv: string): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(type),
    ApiResponse({
      status: 200,
      description: `OK. With \`Accept: text/csv\`: ${csv}`,
      content: { 'application/json': { schema: { $ref: getSchemaPath(type) } }, 'text/csv': { schema: { type: 'string' } } },
    }),
  );
}

export function wantsCsv(accept: string | undefined): boolean {
  return /\btext\/csv\b/i.test(accept ?? '');
}

/** The answer as CSV: sets the type (and a file name) on the response and answers the text. */
export function csvAnswer(response: Response, name: string, columns: readonly string[], rows: readonly object[]): string {
  response.type('text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
  return toCsv(columns, rows);
}
