// The MCP servers of an effective config, typed for the runtime, with codex 0.169's defaults filled in.
// The config's checks (schema.ts, config/mcpServers.ts) have already removed every server that breaks a
// rule; this only reads what is left.
import { DEFAULT_MCP_STARTUP_TIMEOUT_SEC, DEFAULT_MCP_TOOL_TIMEOUT_SEC } from '../config/mcpServers';
import type { Config } from '../config/schema';
import { compareCodeUnits } from '../codeUnitOrder';

/**
 * When a tool call asks first, as in codex 0.169: `auto` as the tool's annotations say, `prompt` always,
 * `writes` unless the tool says it only reads (`readOnlyHint`), `approve` never.
 */
export type McpApprovalMode = 'auto' | 'prompt' | 'writes' | 'approve';

export type McpTransport =
  | {
      type: 'stdio';
      command: string;
      args: string[];
      env: Record<string, string> | null;
      envVars: Array<{ name: string; source: 'local' | 'remote' | null }>;
      /** As written: codex 0.169 starts the server in a relative `cwd` taken from its own process's folder. */
      cwd: string | null;
    }
  | { type: 'streamableHttp'; url: string; bearerTokenEnvVar: string | null; httpHeaders: Record<string, string> | null; envHttpHeaders: Record<string, string> | null };

export interface McpServerConfig {
  name: string;
  transport: McpTransport;
  enabled: boolean;
  required: boolean;
  startupTimeoutMs: number;
  toolTimeoutMs: number;
  enabledTools: string[] | null;
  disabledTools: string[] | null;
  defaultToolsApprovalMode: McpApprovalMode | null;
  tools: Record<string, { approvalMode: McpApprovalMode | null }>;
  supportsParallelToolCalls: boolean;
  scopes: string[] | null;
  oauth: { clientId: string | null; resource: string | null } | null;
}

type RawServer = NonNullable<Config['mcp_servers']>[string];

/** The servers of an effective config (already validated), sorted by name. */
export function mcpServersOf(config: Config): McpServerConfig[] {
  const servers = config.mcp_servers ?? {};
  return Object.keys(servers)
    .sort()
    .flatMap((name) => {
      const transport = transportOf(servers[name]!);
      return transport ? [serverOf(name, servers[name]!, transport)] : [];
    });
}

/**
 * The config's servers plus servers defined elsewhere (VS Code's own MCP config), in name order. The
 * config wins a name clash: what the user wrote for Tandem is what Tandem runs.
 */
export function withExtraServers(configured: McpServerConfig[], extra: readonly McpServerConfig[]): McpServerConfig[] {
  if (extra.length === 0) return configured;
  const names = new Set(configured.map((s) => s.name));
  return [...configured, ...extra.filter((s) => !names.has(s.name))].sort((a, b) => compareCodeUnits(a.name, b.name));
}

/** Whether a tool is offered: in enabled_tools (when set) and not in disabled_tools. */
export function toolAllowed(server: McpServerConfig, tool: string): boolean {
  return (server.enabledTools === null || server.enabledTools.includes(tool)) && !(server.disabledTools ?? []).includes(tool);
}

/** The approval mode of a tool: its own, else the server's default, else 'auto'. */
export function toolApprovalMode(server: McpServerConfig, tool: string): McpApprovalMode {
  const own = Object.hasOwn(server.tools, tool) ? server.tools[tool]!.approvalMode : null;
  return own ?? server.defaultToolsApprovalMode ?? 'auto';
}

function serverOf(name: string, raw: RawServer, transport: McpTransport): McpServerConfig {
  // The legacy milliseconds count only when the seconds are not set, as in codex.
  const startupTimeoutMs = raw.startup_timeout_sec !== undefined ? raw.startup_timeout_sec * 1000 : (raw.startup_timeout_ms ?? DEFAULT_MCP_STARTUP_TIMEOUT_SEC * 1000);
  const hasOauth = raw.oauth !== undefined || raw.oauth_resource !== undefined;
  return {
    name,
    transport,
    enabled: raw.enabled,
    required: raw.required,
    startupTimeoutMs,
    toolTimeoutMs: (raw.tool_timeout_sec ?? DEFAULT_MCP_TOOL_TIMEOUT_SEC) * 1000,
    enabledTools: raw.enabled_tools ?? null,
    disabledTools: raw.disabled_tools ?? null,
    defaultToolsApprovalMode: raw.default_tools_approval_mode ?? null,
    tools: Object.fromEntries(Object.entries(raw.tools ?? {}).map(([tool, settings]) => [tool, { approvalMode: settings.approval_mode ?? null }])),
    supportsParallelToolCalls: raw.supports_parallel_tool_calls,
    scopes: raw.scopes ?? null,
    oauth: hasOauth ? { clientId: raw.oauth?.client_id ?? null, resource: raw.oauth_resource ?? null } : null,
  };
}

/** `command` makes a stdio server, else `url` a streamable HTTP one; the config has refused anything else. */
function transportOf(raw: RawServer): McpTransport | undefined {
  if (raw.command !== undefined) {
    return {
      type: 'stdio',
      command: raw.command,
      args: raw.args ?? [],
      env: raw.env ?? null,
      envVars: (raw.env_vars ?? []).map((v) => (typeof v === 'string' ? { name: v, source: null } : { name: v.name, source: v.source ?? null })),
      cwd: raw.cwd ?? null,
    };
  }
  if (raw.url !== undefined) {
    return { type: 'streamableHttp', url: raw.url, bearerTokenEnvVar: raw.bearer_token_env_var ?? null, httpHeaders: raw.http_headers ?? null, envHttpHeaders: raw.env_http_headers ?? null };
  }
  return undefined;
}
