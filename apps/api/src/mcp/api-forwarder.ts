/**
 * A tool call as the API's own request: the operation's path filled from
 * the arguments, its query and JSON body from the rest, the caller's
 * `Authorization` and client address passed on, sent to this process's own
 * HTTP server over loopback. So a tool does exactly what its route does
 * (the same guard, role check, validation, idempotency, rules and problems)
 * and cannot drift from it.
 */
import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { ServiceUnavailable } from '../common/problems';
import { ToolOperation } from './agent-tools';

export interface ApiAnswer {
  status: number;
  body: unknown;
}

export interface ForwardedCaller {
  /** An API key's `Authorization`, or a person's session (an OAuth token's), with its CSRF token and workspace. */
  authorization?: string;
  session?: { cookie: string; csrfToken: string; workspaceId: string };
  /** The agent's address, as the API sees it (X-Forwarded-For is trusted from loopback). */
  address?: string;
  requestId?: string;
}

@Injectable()
export class ApiForwarder {
  constructor(private readonly host: HttpAdapterHost) {}

  async call(operation: ToolOperation, args: Record<string, unknown>, caller: ForwardedCaller, idempotencyKey?: string): Promise<ApiAnswer> {
    const values = { ...args, ...operation.preset };
    let path = operation.path;
    for (const name of operation.pathParams) path = path.replace(`{${name}}`, encodeURIComponent(String(values[name] ?? '')));
    const query = new URLSearchParams();
    for (const name of operation.queryParams) {
      const value = values[name];
      if (value !== undefined && value !== null) query.set(name, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (caller.authorization) headers.authorization = caller.authorization;
    if (caller.session) Object.assign(headers, { cookie: caller.session.cookie, 'x-csrf-token': caller.session.csrfToken, 'x-herald-workspace': caller.session.workspaceId });
    if (caller.address) headers['x-forwarded-for'] = caller.address;
    if (caller.requestId) headers['x-request-id'] = caller.requestId;
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    let body: string | undefined;
    if (operation.bodyFields) {
      body = JSON.stringify(Object.fromEntries(operation.bodyFields.filter((field) => values[field] !== undefined).map((field) => [field, values[field]])));
      headers['content-type'] = 'application/json';
    }
    const url = `${this.origin()}${path}${query.size > 0 ? `?${query}` : ''}`;
    const response = await fetch(url, { method: operation.method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  /** This process's HTTP server, over loopback when it listens on every address. */
  private origin(): string {
    const address = this.host.httpAdapter?.getHttpServer()?.address() as AddressInfo | string | null | undefined;
    if (!address || typeof address === 'string') throw new ServiceUnavailable('The API is not listening yet');
    const wildcard = address.address === '::' || address.address === '0.0.0.0';
    const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }
}
