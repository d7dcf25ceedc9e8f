export { McpModule } from './mcp.module';
export { McpCatalog } from './mcp-catalog';
