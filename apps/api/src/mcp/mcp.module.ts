import { Module } from '@nestjs/common';
import { PeopleModule } from '../people';
import { OAuthController } from './oauth/oauth.controller';
import { OAuthFlow } from './oauth/oauth-flow';
import { OAuthGrants } from './oauth/oauth-grants';
import { ApiForwarder } from './api-forwarder';
import { McpAccess } from './mcp-access';
import { McpCatalog } from './mcp-catalog';
import { McpController } from './mcp.controller';
import { McpServers } from './mcp-server';

/** The MCP server (`/mcp`): tools made from the API's own operations, each call sent to its route; OAuth for people's MCP clients (`/oauth`, `/.well-known`). */
@Module({
  imports: [PeopleModule],
  controllers: [McpController, OAuthController],
  providers: [McpCatalog, McpAccess, McpServers, ApiForwarder, OAuthFlow, OAuthGrants],
  exports: [McpCatalog],
})
export class McpModule {}
