// Everything of MCP that loads the SDK, gathered so the hub can load it on first use: a process that
// never opens a server with MCP configured (or answers `initialize` first) does not pay for the SDK's
// thousand schemas at start.
export { McpManager } from './mcpManager';
export { McpSignIns } from './mcpOAuthLogin';
export { mcpToolHandlers } from './mcpTools';
