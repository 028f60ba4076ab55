// The MCP servers a user defined for VS Code itself (`.vscode/mcp.json`, the user's mcp.json, the `mcp`
// setting), read into the server configs Tandem runs: stdio servers and streamable HTTP ones, with VS
// Code's variables (`${workspaceFolder}`, `${env:NAME}`, `${input:id}`, …) filled in. Pure: the caller
// reads the files and asks the user for inputs; this says what each server needs or what is wrong with it.
import * as path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { DEFAULT_MCP_STARTUP_TIMEOUT_SEC, DEFAULT_MCP_TOOL_TIMEOUT_SEC, MCP_SERVER_NAME } from '../core/config/mcpServers';
import { positionOf } from '../core/config/tomlLayout';
import type { McpServerConfig, McpTransport } from '../core/mcp/mcpConfig';

/** An `inputs` entry: a value VS Code asks the user for the first time a server needs it. */
export interface McpInputSpec {
  id: string;
  type: 'promptString' | 'pickString';
  description: string;
  password: boolean;
  default: string | null;
  options: string[];
}

/** One file's (or the setting's) servers and inputs, as written, with what could not be read. */
export interface McpJsonDocument {
  servers: Array<{ name: string; raw: unknown }>;
  inputs: McpInputSpec[];
  problems: string[];
}

/** What the variables of a server stand for where it is defined. */
export interface VariableContext {
  /** The folder whose `.vscode/mcp.json` defines the server; for user-level servers, the first folder open. */
  workspaceFolder: string | null;
  userHome: string;
  env: NodeJS.ProcessEnv;
  /** Input values the user already gave, by id. */
  inputs: ReadonlyMap<string, string>;
  /** Reads an `envFile` (throws when it cannot). */
  readFile(file: string): string;
}

export type ServerOutcome = { kind: 'ready'; config: McpServerConfig } | { kind: 'needsInput'; name: string; inputs: string[] } | { kind: 'invalid'; name: string; problem: string };

/** Parses mcp.json text (comments and trailing commas allowed, as VS Code allows them). */
export function parseMcpJson(text: string, file: string): McpJsonDocument {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const first = errors[0]!;
    const { line, column } = positionOf(text, first.offset);
    return { servers: [], inputs: [], problems: [`${file}:${line}:${column}: ${printParseErrorCode(first.error)}`] };
  }
  return readMcpValue(value, file);
}

/** Reads the `{ servers, inputs }` object of a file or of the `mcp` setting. */
export function readMcpValue(value: unknown, source: string): McpJsonDocument {
  const problems: string[] = [];
  if (value === undefined || value === null) return { servers: [], inputs: [], problems };
  if (!isObject(value)) return { servers: [], inputs: [], problems: [`${source}: expected an object with "servers"`] };
  const servers = isObject(value.servers) ? Object.entries(value.servers).map(([name, raw]) => ({ name, raw })) : [];
  if (value.servers !== undefined && !isObject(value.servers)) problems.push(`${source}: "servers" must be an object`);
  const inputs: McpInputSpec[] = [];
  for (const input of Array.isArray(value.inputs) ? value.inputs : []) {
    if (!isObject(input) || typeof input.id !== 'string' || (input.type !== 'promptString' && input.type !== 'pickString')) {
      problems.push(`${source}: an input needs an "id" and a "type" of promptString or pickString`);
      continue;
    }
    inputs.push({
      id: input.id,
      type: input.type,
      description: typeof input.description === 'string' ? input.description : input.id,
      password: input.password === true,
      default: typeof input.default === 'string' ? input.default : null,
      options: Array.isArray(input.options) ? input.options.flatMap((o) => (typeof o === 'string' ? [o] : isObject(o) && typeof o.value === 'string' ? [o.value] : [])) : [],
    });
  }
  return { servers, inputs, problems };
}

/** The name Tandem gives a server: VS Code allows characters codex's names do not, so those become `_`. */
export function tandemServerName(name: string): string {
  const replaced = name.replace(/[^a-zA-Z0-9_:@/.-]/g, '_');
  return MCP_SERVER_NAME.test(replaced) ? replaced : '_';
}

/** A server's config with its variables filled in, or the inputs it waits for, or why it cannot run. */
export function serverOutcome(name: string, raw: unknown, context: VariableContext): ServerOutcome {
  const tandemName = tandemServerName(name);
  const invalid = (problem: string): ServerOutcome => ({ kind: 'invalid', name: tandemName, problem });
  if (!isObject(raw)) return invalid('expected an object');
  const missing = new Set<string>();
  const unknown = new Set<string>();
  const fill = (text: string): string => substitute(text, context, missing, unknown);
  const type = typeof raw.type === 'string' ? raw.type : typeof raw.url === 'string' ? 'http' : 'stdio';
  let transport: McpTransport;
  if (type === 'stdio') {
    if (typeof raw.command !== 'string' || raw.command.trim() === '') return invalid('a stdio server needs a "command"');
    const args = stringList(raw.args);
    if (args === null) return invalid('"args" must be a list of strings');
    const env = stringMap(raw.env);
    if (env === null) return invalid('"env" must map names to strings (or null)');
    let fromFile: Record<string, string> = {};
    if (typeof raw.envFile === 'string') {
      const file = fill(raw.envFile);
      try {
        fromFile = parseEnvFile(context.readFile(file));
      } catch (error) {
        return invalid(`cannot read its envFile ${file}: ${(error as Error).message}`);
      }
    }
    const filledEnv = Object.fromEntries(Object.entries({ ...fromFile, ...env }).map(([key, value]) => [key, fill(value)]));
    transport = {
      type: 'stdio',
      command: fill(raw.command),
      args: args.map(fill),
      env: Object.keys(filledEnv).length > 0 ? filledEnv : null,
      envVars: [],
      // VS Code starts a workspace's server in that folder unless it says otherwise.
      cwd: typeof raw.cwd === 'string' ? fill(raw.cwd) : context.workspaceFolder,
    };
  } else if (type === 'http') {
    if (typeof raw.url !== 'string' || raw.url.trim() === '') return invalid('an http server needs a "url"');
    const headers = stringMap(raw.headers);
    if (headers === null) return invalid('"headers" must map names to strings');
    const filledHeaders = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, fill(value)]));
    transport = { type: 'streamableHttp', url: fill(raw.url), bearerTokenEnvVar: null, httpHeaders: Object.keys(filledHeaders).length > 0 ? filledHeaders : null, envHttpHeaders: null };
  } else if (type === 'sse') {
    return invalid('SSE servers are not supported (Tandem, like codex, speaks streamable HTTP to remote servers)');
  } else {
    return invalid(`unknown server type "${type}"`);
  }
  if (unknown.size > 0) return invalid(`unsupported variable${unknown.size > 1 ? 's' : ''} ${[...unknown].map((v) => `\${${v}}`).join(', ')}`);
  if (missing.size > 0) return { kind: 'needsInput', name: tandemName, inputs: [...missing] };
  return { kind: 'ready', config: serverConfig(tandemName, transport) };
}

/** Codex's defaults for everything mcp.json cannot say. */
function serverConfig(name: string, transport: McpTransport): McpServerConfig {
  return {
    name,
    transport,
    enabled: true,
    required: false,
    startupTimeoutMs: DEFAULT_MCP_STARTUP_TIMEOUT_SEC * 1000,
    toolTimeoutMs: DEFAULT_MCP_TOOL_TIMEOUT_SEC * 1000,
    enabledTools: null,
    disabledTools: null,
    defaultToolsApprovalMode: null,
    tools: {},
    supportsParallelToolCalls: false,
    scopes: null,
    oauth: null,
  };
}

/** Fills `${…}` variables; inputs not given yet go to `missing`, variables it does not know to `unknown`. */
function substitute(text: string, context: VariableContext, missing: Set<string>, unknown: Set<string>): string {
  return text.replace(/\$\{([^}]*)\}/g, (whole, variable: string) => {
    if (variable === 'workspaceFolder' || variable === 'workspaceFolderBasename') {
      if (context.workspaceFolder === null) {
        unknown.add(variable);
        return whole;
      }
      return variable === 'workspaceFolder' ? context.workspaceFolder : path.basename(context.workspaceFolder);
    }
    if (variable === 'userHome') return context.userHome;
    if (variable === 'pathSeparator' || variable === '/') return path.sep;
    if (variable.startsWith('env:')) return context.env[variable.slice(4)] ?? '';
    if (variable.startsWith('input:')) {
      const value = context.inputs.get(variable.slice(6));
      if (value === undefined) missing.add(variable.slice(6));
      return value ?? whole;
    }
    unknown.add(variable);
    return whole;
  });
}

/** KEY=VALUE lines (optionally `export`ed, optionally quoted); `#` starts a comment line. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    let value = match[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n');
    } else value = value.replace(/\s+#.*$/, '');
    env[match[1]!] = value;
  }
  return env;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] | null {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
}

function stringMap(value: unknown): Record<string, string> | null {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) return null;
  const entries = Object.entries(value).filter(([, v]) => v !== null);
  return entries.every(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') ? Object.fromEntries(entries.map(([k, v]) => [k, String(v)])) : null;
}
