import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
import { FieldError, MalformedRequest } from './problems';

/**
 * Body and query validation from the DTOs: unknown fields are refused, types
 * are checked, and every broken field is listed as `{path, message}`.
 */
/**
 * A field that may be left out. Unlike class-validator's `@IsOptional()`,
 * `null` is not waved through: no field of Herald's takes null, so
 * `{"timezone": null}` is checked like any other value and answers 400,
 * instead of reaching a NOT NULL column.
 */
export function Omittable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors: ValidationError[]) => {
      const fieldErrors = flatten(errors);
      return new MalformedRequest(
        fieldErrors.map((error) => `${error.path}: ${error.message}`).join('; ') || 'The request is malformed',
        fieldErrors,
      );
    },
  });
}

/**
 * Checks that say a value has the wrong kind. When one fails, the field's
 * other messages (a length, a format) only restate it, so they are dropped:
 * `{"text": 5}` answers "text must be a string", not also "text must be
 * shorter than 100000 characters".
 */
const KIND_CHECKS = new Set(['isDefined', 'isString', 'isArray', 'isObject', 'isBoolean', 'isInt', 'isNumber']);

export function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const result: FieldError[] = [];
  for (const error of errors) {
    const path = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const constraints = Object.entries(error.constraints ?? {});
    const missing = constraints.filter(([name]) => name === 'isDefined');
    const kind = constraints.filter(([name]) => KIND_CHECKS.has(name));
    const shown = missing.length > 0 ? missing : kind.length > 0 ? kind.slice(0, 1) : constraints;
    for (const [, message] of shown) {
      result.push({ path, message: message.replace(/^property (\S+) should not exist$/, 'is not a known field') });
    }
    if (error.children?.length) result.push(...flatten(error.children, path));
  }
  return result;
}
