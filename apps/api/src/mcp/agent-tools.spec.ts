import { agentToolsOf, jsonSchemaOf } from './agent-tools';
import { refuseCredentialsInUrl } from './mcp-access';

const DOCUMENT = {
  paths: {
    '/v1/things/{id}': {
      patch: {
        operationId: 'updateThing',
        summary: 'Edit a thing',
        description: 'Only what is given changes.',
        'x-agent-tools': ['update_thing'],
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } },
          { name: 'X-Herald-Workspace', in: 'header', required: false, schema: { type: 'string' } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/UpdateThingDto' } } } },
      },
      get: { operationId: 'getThing', summary: 'Get a thing', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] },
    },
    '/v1/things': {
      get: {
        operationId: 'listThings',
        summary: 'List things',
        'x-agent-tools': ['list_things', 'list_approvals'],
        parameters: [
          { name: 'status', in: 'query', required: false, schema: { type: 'string' } },
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer' } },
        ],
      },
    },
  },
  components: {
    schemas: {
      UpdateThingDto: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, owner: { $ref: '#/components/schemas/Owner' } } },
      Owner: { type: 'object', properties: { id: { type: 'string' }, parent: { $ref: '#/components/schemas/Owner' } } },
    },
  },
};

describe('agentToolsOf', () => {
  const tools = agentToolsOf(DOCUMENT);

  it('makes a tool per name of each marked operation, and none of the others', () => {
    expect(tools.map((tool) => tool.name)).toEqual(['update_thing', 'list_things', 'list_approvals']);
  });

  it('flattens path and query parameters and the body fields, with their refs inlined, and adds idempotencyKey where the operation takes the header', () => {
    const update = tools[0]!;
    expect(Object.keys(update.inputSchema.properties)).toEqual(['id', 'name', 'owner', 'idempotencyKey']);
    expect(update.inputSchema.required).toEqual(['id', 'name']);
    expect(update.inputSchema.properties.owner).toEqual({ type: 'object', properties: { id: { type: 'string' }, parent: { type: 'object' } } });
    expect(update.operation).toMatchObject({ method: 'PATCH', path: '/v1/things/{id}', pathParams: ['id'], bodyFields: ['name', 'owner'], idempotent: true });
    expect(update.description).toBe('Edit a thing. Only what is given changes. (PATCH /v1/things/{id})');
    expect(update.readOnly).toBe(false);
  });

  it('leaves a preset parameter out of the tool that fixes it', () => {
    const [, list, approvals] = tools;
    expect(Object.keys(list!.inputSchema.properties)).toEqual(['status', 'limit']);
    expect(Object.keys(approvals!.inputSchema.properties)).toEqual(['limit']);
    expect(approvals!.operation.preset).toEqual({ status: 'pending_approval' });
    expect(approvals!.operation.bodyFields).toBeUndefined();
  });
});

describe('refuseCredentialsInUrl', () => {
  it('refuses a parameter named for a credential, or a value that is an API key', () => {
    for (const url of ['/mcp?api_key=x', '/mcp?apiKey=x', '/mcp?token=x', '/mcp?access_token=x', '/mcp?key=x', '/mcp?foo=hrld_abc']) {
      expect(() => refuseCredentialsInUrl(url)).toThrow(/Never put an API key in a URL/);
    }
  });

  it('lets other URLs through', () => {
    expect(() => refuseCredentialsInUrl('/mcp')).not.toThrow();
    expect(() => refuseCredentialsInUrl('/mcp?client=cursor')).not.toThrow();
  });
});

describe('jsonSchemaOf', () => {
  it("turns OpenAPI 3.0's nullable into JSON Schema's null, in types, enums and around references", () => {
    expect(
      jsonSchemaOf({
        type: 'object',
        properties: {
          at: { type: 'string', format: 'date-time', nullable: true },
          status: { type: 'string', enum: ['a', 'b'], nullable: true },
          problem: { allOf: [{ type: 'object', properties: { status: { type: 'integer' } } }], nullable: true, type: 'object' },
          plain: { type: 'integer' },
          list: { type: 'array', items: { type: 'string', nullable: true } },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        at: { type: ['string', 'null'], format: 'date-time' },
        status: { type: ['string', 'null'], enum: ['a', 'b', null] },
        problem: { anyOf: [{ allOf: [{ type: 'object', properties: { status: { type: 'integer' } } }], type: 'object' }, { type: 'null' }] },
        plain: { type: 'integer' },
        list: { type: 'array', items: { type: ['string', 'null'] } },
      },
    });
  });
});
