/**
 * `/mcp`: the Model Context Protocol over streamable HTTP, stateless, JSON
 * answers. POST carries each JSON-RPC message; there is no session to
 * stream to or end, so GET and DELETE answer 405.
 */
import { All, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { Problem } from '../common/problems';
import { McpAccess } from './mcp-access';
import { McpServers } from './mcp-server';

@ApiExcludeController()
@Controller('mcp')
export class McpController {
  constructor(
    private readonly access: McpAccess,
    private readonly servers: McpServers,
  ) {}

  @Post()
  async message(@Req() request: Request & { id?: string }, @Res() response: Response): Promise<void> {
    const caller = await this.access.authenticate(request);
    const server = this.servers.serverFor(caller);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, request.body);
  }

  @All()
  other(@Req() request: Request): never {
    throw new Problem(405, 'Method not allowed', `${request.method} /mcp is not served: this MCP server is stateless, send each message as a POST`, undefined, { Allow: 'POST' });
  }
}
