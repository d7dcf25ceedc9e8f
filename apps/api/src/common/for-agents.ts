/**
 * Marks a route as one AI agents use: the MCP server (apps/api/src/mcp)
 * serves a tool per name given, its input schema made from the route's own
 * parameters and body in the OpenAPI document (test/mcp-parity checks that
 * every marked route has its tools, and that they match).
 *
 *   @ForAgents('create_post')
 */
import { ApiExtension } from '@nestjs/swagger';

/** The operation's extension in the OpenAPI document: the names of its tools. */
export const AGENT_TOOLS_EXTENSION = 'x-agent-tools';

export function ForAgents(...tools: string[]): MethodDecorator {
  return ApiExtension(AGENT_TOOLS_EXTENSION, tools);
}
