/**
 * The MCP tools cannot drift from the API: every tool PRODUCT.md section 12
 * names is served (or waits for its API, said here), every operation the
 * committed OpenAPI document (apps/api/openapi.json) marks for agents
 * (`x-agent-tools`) has its tools, and each tool's input schema, as the
 * official MCP client lists it, is that operation's parameters and JSON
 * body, field for field, from the committed document. A DTO changed without
 * the document, or a tool schema edited by hand, fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { InProcessStack } from './support/in-process';

/** PRODUCT.md section 12's tools, and the ones that wait for the API they would call. */
const PRODUCT_TOOLS = [
  'list_channels', 'get_network_rules', 'validate_post', 'create_post', 'list_posts', 'get_post', 'update_post', 'cancel_post', 'retry_post',
  'get_queue', 'reorder_queue', 'import_media', 'list_approvals', 'approve_post', 'reject_post', 'get_analytics',
];
const WAITING: Record<string, string> = {};
/** Tools whose operation is called with some arguments fixed (they leave the schema). */
const FIXED: Record<string, string[]> = { list_approvals: ['status'] };

type Schema = Record<string, unknown>;
interface Operation {
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  'x-agent-tools'?: string[];
}

const document = JSON.parse(readFileSync(join(__dirname, '../apps/api/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/** `$ref`s into the document's components replaced by what they name (the test's own, so it checks the server's). */
function resolve(value: unknown, seen: string[] = []): unknown {
  if (Array.isArray(value)) return value.map((item) => resolve(item, seen));
  if (!value || typeof value !== 'object') return value;
  const ref = (value as { $ref?: string }).$ref;
  if (ref) {
    const name = ref.split('/').pop()!;
    return seen.includes(name) ? { type: 'object' } : resolve(document.components.schemas[name], [...seen, name]);
  }
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, resolve(field, seen)]));
}

function markedOperations(): { tool: string; method: string; path: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([method, operation]) => (operation['x-agent-tools'] ?? []).map((tool) => ({ tool, method, path, operation }))),
  );
}

describe('MCP tool schemas against the API document', () => {
  let stack: InProcessStack;
  let client: Client;
  let tools: Tool[];

  beforeAll(async () => {
    stack = await InProcessStack.start({ workers: 0 });
    const { apiKey } = await stack.workspace('parity');
    client = new Client({ name: 'parity', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${stack.apiUrl}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${apiKey}` } } }));
    ({ tools } = await client.listTools());
  });

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
  });

  it("serves every tool PRODUCT.md names, except those waiting for their API", () => {
    const served = tools.map((tool) => tool.name);
    for (const name of PRODUCT_TOOLS) {
      if (WAITING[name] && !markedOperations().some((marked) => marked.tool === name)) continue;
      expect({ tool: name, served: served.includes(name) }).toEqual({ tool: name, served: true });
    }
  });

  it('serves a tool for every operation marked for agents, and no other', () => {
    expect(tools.map((tool) => tool.name).sort()).toEqual(markedOperations().map((marked) => marked.tool).sort());
  });

  it("gives each tool its operation's parameters and body fields, with the operation's own schemas", () => {
    for (const { tool: name, operation } of markedOperations()) {
      const tool = tools.find((one) => one.name === name)!;
      const properties = tool.inputSchema.properties as Record<string, unknown>;
      const expected: Record<string, unknown> = {};
      const required: string[] = [];
      for (const parameter of operation.parameters ?? []) {
        if (!['path', 'query'].includes(parameter.in) || FIXED[name]?.includes(parameter.name)) continue;
        expected[parameter.name] = { ...(resolve(parameter.schema) as Schema), ...(parameter.description ? { description: parameter.description } : {}) };
        if (parameter.required) required.push(parameter.name);
      }
      const body = resolve(operation.requestBody?.content?.['application/json']?.schema) as { properties?: Schema; required?: string[] } | undefined;
      Object.assign(expected, body?.properties ?? {});
      required.push(...(body?.required ?? []));
      const idempotent = (operation.parameters ?? []).some((parameter) => parameter.in === 'header' && parameter.name === 'Idempotency-Key');
      const { idempotencyKey, ...rest } = properties;
      expect({ tool: name, properties: rest }).toEqual({ tool: name, properties: expected });
      expect({ tool: name, required: [...(tool.inputSchema.required ?? [])].sort() }).toEqual({ tool: name, required: required.sort() });
      expect({ tool: name, idempotencyKey: idempotencyKey !== undefined }).toEqual({ tool: name, idempotencyKey: idempotent });
    }
  });
});
