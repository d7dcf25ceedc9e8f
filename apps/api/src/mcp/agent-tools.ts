/**
 * The MCP tools, made from the OpenAPI document the API builds from its
 * controllers and DTOs (never a copy): every operation marked `@ForAgents`
 * is a tool per name it gives, whose arguments are the operation's path
 * and query parameters and its JSON body's fields, flat (plus
 * `idempotencyKey` where the operation takes an `Idempotency-Key`), each
 * with the schema the API validates it against; its output schema is the
 * operation's success answer as JSON Schema (what its structured content
 * holds). Pure: the document in, the tools out.
 */
import { AGENT_TOOLS_EXTENSION } from '../common/for-agents';

export type JsonSchema = Record<string, unknown>;

/** What a tool's call is sent as: one operation of the API. */
export interface ToolOperation {
  operationId: string;
  method: string;
  /** With `{name}` for each path parameter. */
  path: string;
  pathParams: string[];
  queryParams: string[];
  /** The JSON body's fields, or undefined when the operation takes no body. */
  bodyFields?: string[];
  /** The operation takes an `Idempotency-Key` (the tool takes `idempotencyKey`). */
  idempotent: boolean;
  /** Arguments the tool fixes (not in its schema). */
  preset: Record<string, unknown>;
}

export interface AgentTool {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema & { type: 'object'; properties: Record<string, JsonSchema>; required: string[] };
  /** The success answer's shape (an object; an answer that is not one is given as `{data}`), when the operation answers JSON. */
  outputSchema?: JsonSchema & { type: 'object' };
  readOnly: boolean;
  operation: ToolOperation;
}

/**
 * Tools that are an operation with some arguments fixed: the approvals are
 * the posts awaiting approval. The fixed parameters leave the tool's schema.
 */
export const PRESETS: Record<string, { preset: Record<string, unknown>; title: string; description: string }> = {
  list_approvals: {
    preset: { status: 'pending_approval' },
    title: 'List posts awaiting approval',
    description: 'The posts a contributor submitted that wait for an owner, admin or editor to approve (approve_post) or reject (reject_post).',
  },
};

/** The argument that carries an `Idempotency-Key`. */
export const IDEMPOTENCY_ARGUMENT = 'idempotencyKey';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}

interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
  [AGENT_TOOLS_EXTENSION]?: string[];
}

export interface OpenApiLike {
  paths: object;
  components?: { schemas?: object };
}

/** Every tool the document's marked operations give, in path order. */
export function agentToolsOf(document: OpenApiLike): AgentTool[] {
  const tools: AgentTool[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, unknown>>)) {
    for (const [method, value] of Object.entries(item)) {
      const operation = value as Operation;
      for (const name of operation?.[AGENT_TOOLS_EXTENSION] ?? []) tools.push(toolOf(document, name, method, path, operation));
    }
  }
  return tools;
}

function toolOf(document: OpenApiLike, name: string, method: string, path: string, operation: Operation): AgentTool {
  const preset = PRESETS[name]?.preset ?? {};
  const parameters = (operation.parameters ?? []).filter((parameter) => !(parameter.name in preset));
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const pathParams: string[] = [];
  const queryParams: string[] = [];
  for (const parameter of parameters) {
    if (parameter.in !== 'path' && parameter.in !== 'query') continue;
    (parameter.in === 'path' ? pathParams : queryParams).push(parameter.name);
    properties[parameter.name] = { ...inlined(document, parameter.schema ?? {}), ...(parameter.description ? { description: parameter.description } : {}) };
    if (parameter.required) required.push(parameter.name);
  }
  const body = operation.requestBody?.content?.['application/json']?.schema;
  let bodyFields: string[] | undefined;
  if (body) {
    const schema = inlined(document, body) as { properties?: Record<string, JsonSchema>; required?: string[] };
    bodyFields = Object.keys(schema.properties ?? {});
    Object.assign(properties, schema.properties ?? {});
    if (operation.requestBody?.required !== false) required.push(...(schema.required ?? []));
  }
  const idempotency = (operation.parameters ?? []).find((parameter) => parameter.in === 'header' && parameter.name.toLowerCase() === 'idempotency-key');
  if (idempotency) {
    properties[IDEMPOTENCY_ARGUMENT] = {
      ...(idempotency.schema ?? {}),
      description: 'Makes the call safe to retry: the same key answers the first answer and creates nothing more. Without one, a key is made from the call\'s id and arguments.',
    };
  }
  const summary = PRESETS[name]?.title ?? operation.summary ?? name;
  const detail = PRESETS[name]?.description ?? operation.description ?? '';
  return {
    name,
    title: summary,
    description: [`${summary.replace(/\.$/, '')}.`, detail, `(${method.toUpperCase()} ${path})`].filter(Boolean).join(' '),
    inputSchema: { type: 'object', properties, required, additionalProperties: false },
    ...outputOf(document, operation),
    readOnly: method === 'get',
    operation: { operationId: operation.operationId, method: method.toUpperCase(), path, pathParams, queryParams, ...(bodyFields ? { bodyFields } : {}), idempotent: Boolean(idempotency), preset },
  };
}

/** A schema with each `$ref` to the document's components replaced by what it names (a reference into itself is left as an open object). */
export function inlined(document: OpenApiLike, schema: unknown, seen: string[] = []): JsonSchema {
  if (Array.isArray(schema)) return schema.map((item) => inlined(document, item, seen)) as unknown as JsonSchema;
  if (schema === null || typeof schema !== 'object') return schema as JsonSchema;
  const ref = (schema as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    if (seen.includes(name)) return { type: 'object' };
    return inlined(document, (document.components?.schemas as Record<string, unknown> | undefined)?.[name] ?? {}, [...seen, name]);
  }
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, inlined(document, value, seen)]));
}

/** The operation's first success answer with a JSON body, as a tool's output schema (an object: anything else under `data`, as tool-answers.ts wraps it). */
function outputOf(document: OpenApiLike, operation: Operation): { outputSchema?: JsonSchema & { type: 'object' } } {
  const success = Object.entries(operation.responses ?? {})
    .filter(([status]) => /^2\d\d$/.test(status))
    .map(([, response]) => response.content?.['application/json']?.schema)
    .find((schema) => schema !== undefined);
  if (!success) return {};
  const schema = jsonSchemaOf(inlined(document, success));
  if (schema.type === 'object') return { outputSchema: schema as JsonSchema & { type: 'object' } };
  return { outputSchema: { type: 'object', properties: { data: schema }, required: ['data'] } };
}

/**
 * OpenAPI 3.0's schema dialect as JSON Schema: `nullable: true` becomes
 * `null` among the types (or beside the schema, for one composed by
 * `allOf`/`oneOf`/`anyOf`/`$ref`), and in an `enum`; the rest is JSON
 * Schema already.
 */
export function jsonSchemaOf(schema: JsonSchema): JsonSchema {
  if (Array.isArray(schema)) return schema.map((item) => jsonSchemaOf(item as JsonSchema)) as unknown as JsonSchema;
  if (schema === null || typeof schema !== 'object') return schema;
  const { nullable, ...rest } = schema as JsonSchema & { nullable?: boolean };
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, value !== null && typeof value === 'object' ? jsonSchemaOf(value as JsonSchema) : value])) as JsonSchema;
  if (nullable !== true) return converted;
  // A schema composed of others (Nest writes `allOf: [$ref]` beside `type`): null is beside it, not in its types.
  const composed = ['allOf', 'oneOf', 'anyOf', '$ref'].some((key) => key in converted);
  if (!composed && typeof converted.type === 'string') {
    return { ...converted, type: [converted.type, 'null'], ...(Array.isArray(converted.enum) ? { enum: [...(converted.enum as unknown[]), null] } : {}) };
  }
  return { anyOf: [converted, { type: 'null' }] };
}
