// The rules of `[mcp_servers.<name>]` that span keys, checked on the merged config as codex 0.169 does:
// a layer may hold only part of a server (a project turning one off), so a whole server exists only once
// the layers are merged. A server that breaks a rule is removed, and only that server.
import { formatKeyPath, isTable, type ConfigTable } from './table';

/** Codex 0.169 waits this long for a server to start and list its tools. */
export const DEFAULT_MCP_STARTUP_TIMEOUT_SEC = 30;
/** Codex 0.169 gives one tool call this long. */
export const DEFAULT_MCP_TOOL_TIMEOUT_SEC = 300;

/** The names codex 0.169 starts; it fails any other at startup. */
export const MCP_SERVER_NAME = /^[a-zA-Z0-9_:@/.-]+$/;

/** Keys that belong to one transport only, each named for the transport it is refused with. */
const HTTP_ONLY = ['url', 'bearer_token_env_var', 'http_headers', 'env_http_headers', 'oauth', 'oauth_resource'] as const;
const STDIO_ONLY = ['args', 'env', 'env_vars', 'cwd'] as const;

export interface McpServerProblem {
  server: string;
  /** The key the problem is about (the server's own table when no one key is). */
  path: string[];
  message: string;
}

/** Removes the servers that break a rule from `values.mcp_servers`, and says why for each. */
export function checkMcpServers(values: ConfigTable): McpServerProblem[] {
  const servers = values.mcp_servers;
  if (!isTable(servers)) return [];
  const problems: McpServerProblem[] = [];
  for (const [name, server] of Object.entries(servers)) {
    if (!isTable(server)) continue;
    const found = problemOf(name, server);
    if (!found) continue;
    const path = ['mcp_servers', name, ...(found.key ? [found.key] : [])];
    problems.push({ server: name, path, message: `${found.message} (the MCP server ${JSON.stringify(name)} was skipped)` });
    delete servers[name];
  }
  return problems;
}

function problemOf(name: string, server: ConfigTable): { key?: string; message: string } | undefined {
  const table = formatKeyPath(['mcp_servers', name]);
  const at = (key: string) => formatKeyPath(['mcp_servers', name, key]);
  if (!MCP_SERVER_NAME.test(name)) {
    return { message: `${table}: an MCP server name may use only letters, digits and _ - : @ / .` };
  }
  // The token itself never appears in a message: it is a secret.
  if (server.bearer_token !== undefined) {
    return { key: 'bearer_token', message: `${at('bearer_token')} is not read, so that no secret sits in config.toml: put the token in an environment variable and name it with bearer_token_env_var` };
  }
  if (server.command !== undefined) {
    const key = HTTP_ONLY.find((k) => server[k] !== undefined);
    if (key) return { key, message: `${at(key)} is for a streamable HTTP server, but this one is started with command (stdio)` };
    return undefined;
  }
  if (server.url !== undefined) {
    const key = STDIO_ONLY.find((k) => server[k] !== undefined);
    if (key) return { key, message: `${at(key)} is for a stdio server, but this one is reached at url (streamable HTTP)` };
    return undefined;
  }
  return { message: `${table} needs command (a program to start) or url (the address of a streamable HTTP server)` };
}
