/** The tools this API serves, made once from its OpenAPI document when the HTTP app is configured (see http-app.ts). */
import { Injectable } from '@nestjs/common';
import { ServiceUnavailable } from '../common/problems';
import { AgentTool, OpenApiLike, agentToolsOf } from './agent-tools';

@Injectable()
export class McpCatalog {
  private loaded?: Map<string, AgentTool>;

  load(document: OpenApiLike): void {
    this.loaded = new Map(agentToolsOf(document).map((tool) => [tool.name, tool]));
  }

  tools(): AgentTool[] {
    return [...this.catalog().values()];
  }

  find(name: string): AgentTool | undefined {
    return this.catalog().get(name);
  }

  private catalog(): Map<string, AgentTool> {
    if (!this.loaded) throw new ServiceUnavailable('The MCP tools are not loaded yet');
    return this.loaded;
  }
}
