import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, MalformedRequest } from './problems';

/**
 * Body and query validation from the DTOs: unknown fields are refused, types
 * are checked, and every broken field is listed as `{path, message}`.
 */
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

export function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const result: FieldError[] = [];
  for (const error of errors) {
    const path = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      result.push({ path, message: message.replace(/^property (\S+) should not exist$/, 'is not a known field') });
    }
    if (error.children?.length) result.push(...flatten(error.children, path));
  }
  return result;
}
