/**
 * One MCP server per request (stateless: no session, so any API process
 * behind any load balancer answers any call), serving the catalog's tools
 * as the caller: each call is sent to the API's own route (ApiForwarder).
 */
import { Injectable } from '@nestjs/common';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { IDEMPOTENCY_ARGUMENT } from './agent-tools';
import { ApiForwarder } from './api-forwarder';
import { McpCaller } from './mcp-access';
import { McpCatalog } from './mcp-catalog';
import { derivedIdempotencyKey, toolResult } from './tool-answers';

const INSTRUCTIONS = [
  'Herald schedules and publishes social posts to connected channels (X, Bluesky, Mastodon, LinkedIn, Threads, Instagram, Facebook, Pinterest, YouTube, TikTok, Google Business Profile).',
  'Start with list_channels (the channel ids) and get_network_rules (each network\'s limits).',
  'Check a post with validate_post before create_post: it answers per channel the count against the limit, the time it would get and any problem, and writes nothing.',
  'create_post takes an idempotencyKey: reuse it when you retry a call, and the post is made once.',
].join(' ');

@Injectable()
export class McpServers {
  constructor(
    private readonly catalog: McpCatalog,
    private readonly forwarder: ApiForwarder,
  ) {}

  serverFor(caller: McpCaller): Server {
    const server = new Server({ name: 'herald', title: 'Herald', version: '1.0.0' }, { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: this.catalog.tools().map((tool) => ({
        name: tool.name,
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
        annotations: { title: tool.title, readOnlyHint: tool.readOnly, destructiveHint: tool.operation.method === 'DELETE', idempotentHint: tool.readOnly || tool.operation.idempotent, openWorldHint: true },
      })),
    }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
      const tool = this.catalog.find(request.params.name);
      if (!tool) {
        return { isError: true, content: [{ type: 'text', text: `There is no tool "${request.params.name}": tools/list names them (${this.catalog.tools().map((one) => one.name).join(', ')}).` }] };
      }
      const { [IDEMPOTENCY_ARGUMENT]: given, ...args } = request.params.arguments ?? {};
      const idempotencyKey = tool.operation.idempotent ? (typeof given === 'string' ? given : derivedIdempotencyKey(caller.actorId, extra.requestId, args)) : undefined;
      return toolResult(tool, await this.forwarder.call(tool.operation, args, caller, idempotencyKey));
    });
    return server;
  }
}
