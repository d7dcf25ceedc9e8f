/**
 * Domain errors. Services throw these; `ProblemFilter` turns each into an
 * RFC 9457 `application/problem+json` answer. Nothing else builds error bodies.
 */
export interface FieldError {
  path: string;
  message: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }

  /** A slug of the title, used to build the problem `type` URI. */
  get slug(): string {
    return this.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/(^-|-$)/g, '');
  }
}

/** 400: the request is not shaped as the contract says. */
export class MalformedRequest extends Problem {
  constructor(detail: string, errors?: FieldError[]) {
    super(400, 'Malformed request', detail, errors);
  }
}

/** 415: a body in a form this API does not read. */
export class UnsupportedMediaType extends Problem {
  constructor(detail: string) {
    super(415, 'Unsupported media type', detail);
  }
}

/** 422: well-formed, but breaks a rule (text too long, time in the past...). */
export class UnprocessableRequest extends Problem {
  constructor(detail: string, errors?: FieldError[]) {
    super(422, 'Unprocessable request', detail, errors);
  }
}

/** 404: absent, or in another workspace (never 403: existence is not disclosed). */
export class NotFound extends Problem {
  constructor(what: string, id: string) {
    super(404, 'Not found', `${what} ${id} was not found`);
  }
}

/** 409: the resource's state forbids it now (e.g. a delivery already claimed by a worker). */
export class Conflict extends Problem {
  constructor(detail: string) {
    super(409, 'Conflict', detail);
  }
}

/** 410: a single-use link (an invitation, a password reset) that was used, revoked or has expired. */
export class Gone extends Problem {
  constructor(detail: string) {
    super(410, 'Gone', detail);
  }
}

export class Unauthorized extends Problem {
  constructor(detail: string) {
    super(401, 'Unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class ServiceUnavailable extends Problem {
  constructor(detail: string) {
    super(503, 'Service unavailable', detail, undefined, { 'Retry-After': '5' });
  }
}

export class BadGateway extends Problem {
  constructor(detail: string) {
    super(502, 'Bad gateway', detail);
  }
}

/** 403: inside the workspace, but the caller's role may not do this (another workspace's things answer 404, never this). */
export class Forbidden extends Problem {
  constructor(detail: string) {
    super(403, 'Forbidden', detail);
  }
}

/** 429: too many tries; `Retry-After` says when to try again. */
export class TooManyRequests extends Problem {
  constructor(detail: string, retryAfterSeconds: number) {
    super(429, 'Too many requests', detail, undefined, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}
