/**
 * The committed OpenAPI document (apps/api/openapi.json) as a checker of
 * real answers: which operation a request is, whether its status is one the
 * operation declares, and whether the body matches the declared schema
 * (ajv, with the document's components). Objects are checked closed: a
 * field the document does not declare is as much a lie as a missing one.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, any>;

export const DOCUMENT_PATH = join(__dirname, '../../apps/api/openapi.json');

export function readDocument(): Json {
  return JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8')) as Json;
}

export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export interface Operation {
  method: string;
  path: string;
  operationId: string;
  operation: Json;
}

/** Every operation of the document. */
export function operationsOf(document: Json): Operation[] {
  return Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ method, path, operationId: item[method].operationId as string, operation: item[method] })),
  );
}

/**
 * OpenAPI 3.0's dialect to JSON Schema: `nullable` becomes "or null" (it
 * sits beside `$ref`/`allOf`/`oneOf` too, where a plain type list would not
 * do), objects with declared properties are closed, references point into
 * the document registered under HERALD.
 */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema as Json)) {
    if (key === '$ref' && typeof value === 'string') out.$ref = `${HERALD}${value}`;
    else if (key === 'properties' || key === 'patternProperties') out[key] = Object.fromEntries(Object.entries(value as Json).map(([name, sub]) => [name, toJsonSchema(sub)]));
    else if (key === 'example' || key === 'examples' || key === 'nullable' || key === 'discriminator' || key === 'xml' || key === 'externalDocs') continue;
    else out[key] = toJsonSchema(value);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return (schema as Json).nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

const HERALD = 'herald:openapi';

export class ApiDocument {
  readonly operations: Operation[];
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: { operation: Operation; pattern: RegExp; literals: number }[];

  constructor(readonly document: Json = readDocument()) {
    this.operations = operationsOf(document);
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    this.ajv.addSchema({ $id: HERALD, components: { schemas: toJsonSchema(document.components.schemas) } });
    this.templates = this.operations.map((operation) => {
      const segments = operation.path.split('/');
      return {
        operation,
        pattern: new RegExp(`^${segments.map((segment) => (/^\{\w+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`),
        literals: segments.filter((segment) => !segment.startsWith('{')).length,
      };
    });
  }

  /** The operation a request is (the most literal template wins: `/v1/posts/bulk` over `/v1/posts/{id}`). */
  operationOf(method: string, pathname: string): Operation | undefined {
    return this.templates
      .filter(({ operation, pattern }) => operation.method === method.toLowerCase() && pattern.test(pathname))
      .sort((a, b) => b.literals - a.literals)[0]?.operation;
  }

  /** What is wrong with an answer, by the document; empty when it is as declared. */
  problemsWith(method: string, pathname: string, status: number, contentType: string | null, text: string): string[] {
    const operation = this.operationOf(method, pathname);
    if (!operation) return [`${method} ${pathname} is not in the document`];
    const where = `${method} ${pathname} (${operation.operationId}) answered ${status}`;
    const responses = operation.operation.responses as Json;
    const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    if (!response) return [`${where}, a status the document does not declare (it declares ${Object.keys(responses).join(', ')})`];
    const content = response.content as Json | undefined;
    if (!content) return text.length === 0 || method === 'HEAD' ? [] : [`${where} with a body, where the document declares none`];
    const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    const declared = content[type] ?? content[`${type.split('/')[0]}/*`] ?? content['*/*'];
    if (!declared) return [`${where} as ${type || 'no type'}, where the document declares ${Object.keys(content).join(', ')}`];
    if (!/json$/.test(type)) return [];
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [`${where} with a body that is not JSON`];
    }
    const key = `${operation.operationId} ${status} ${type}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(declared.schema) as object);
      this.compiled.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((error) => `${where}: ${error.instancePath || '(body)'} ${error.message}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`);
  }
}

/**
 * A fetch that checks every answer against the document before handing it
 * over (a lie throws, naming the field), and records which operation
 * answered which status.
 */
export function documentedFetch(document: ApiDocument, seen: Map<string, Set<number>>): (input: Request) => Promise<Response> {
  return async (input: Request) => {
    const response = await fetch(input);
    const { pathname } = new URL(input.url);
    const text = await response.clone().text();
    const problems = document.problemsWith(input.method, pathname, response.status, response.headers.get('content-type'), text);
    if (problems.length > 0) throw new Error(`The answer is not what the document says:\n${problems.join('\n')}\n${text.slice(0, 2000)}`);
    const operationId = document.operationOf(input.method, pathname)!.operationId;
    seen.set(operationId, new Set([...(seen.get(operationId) ?? []), response.status]));
    return response;
  };
}
