import type { NextFunction, Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The dashboard is for people with a browser: it takes the admin token as
 * `Authorization: Bearer <token>` or as the password of HTTP Basic auth
 * (any user name), so the browser can prompt for it.
 */
export function adminUiAuth(adminToken: string | undefined) {
  const expected = adminToken ? createHash('sha256').update(adminToken).digest() : undefined;
  return (request: Request, response: Response, next: NextFunction): void => {
    const header = request.header('authorization') ?? '';
    let presented: string | undefined;
    const bearer = header.match(/^Bearer\s+(\S+)$/i)?.[1];
    const basic = header.match(/^Basic\s+(\S+)$/i)?.[1];
    if (bearer) presented = bearer;
    else if (basic) presented = Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':');
    if (expected && presented !== undefined && timingSafeEqual(createHash('sha256').update(presented).digest(), expected)) return next();
    response
      .status(401)
      .setHeader('WWW-Authenticate', 'Basic realm="Herald admin", charset="UTF-8"')
      .type('application/problem+json')
      .send(JSON.stringify({ type: 'https://herald.dev/problems/unauthorized', title: 'Unauthorized', status: 401, detail: 'The dashboard needs the admin token (as a Bearer token, or as the Basic auth password)' }));
  };
}
