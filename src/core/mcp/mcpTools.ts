// What the model is offered from the MCP servers, in codex's layout: one namespace per running server
// (`mcp__<server>`, described by the server's instructions) holding its tools under model-safe names,
// plus the three resource tools (list resources, list templates, read one).
import { createHash } from 'node:crypto';
import type { McpTool } from '../../protocol';
import type { ToolCallItem } from '../model/responseItems';
import { parseArguments, type ToolHandler, type ToolResult } from '../tools/registry';
import { toolAllowed } from './mcpConfig';
import type { McpManager } from './mcpManager';
import { messageOf } from './errorMessage';
import { runMcpToolCall } from './mcpToolCall';
import { toolSearchHandler, type SearchableTool } from './mcpToolSearch';

/** The longest `<namespace>__<tool>` the model is offered. */
const MAX_NAME_LENGTH = 128;

/** A name the Responses API accepts: letters, digits and `_` (any other character becomes one `_`). */
export function modelSafeName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_]/gu, '_');
  return safe === '' ? '_' : safe;
}

// Names made unique carry 12 hex digits of a SHA-1 over the raw names, in codex's layout, so a tool keeps
// the name codex gives it (and a model that learned it there finds it here).
const hashSuffix = (identity: string) => `_${createHash('sha1').update(identity).digest('hex').slice(0, 12)}`;
const serverIdentity = (server: string) => `${server}\0${server}\0`;
const toolIdentity = (server: string, tool: string) => `${serverIdentity(server)}\0${tool}\0${tool}`;

const countOf = (values: Iterable<string>) => {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
};

/** Each server's namespace, `mcp__<name>`; servers whose names sanitize alike each get a hash of their own name. */
export function modelNamespaces(servers: readonly string[]): Map<string, string> {
  const base = new Map(servers.map((server) => [server, `mcp__${modelSafeName(server)}`]));
  const counts = countOf(base.values());
  return new Map([...base].map(([server, namespace]) => [server, counts.get(namespace)! > 1 ? namespace + hashSuffix(serverIdentity(server)) : namespace]));
}

/**
 * Model-facing names for a server's tools: sanitized; tools whose names sanitize alike each get a hash of
 * their raw name; a name too long for the namespace, or still taken, is cut and hashed.
 */
export function modelToolNames(server: string, namespace: string, tools: readonly string[]): Map<string, string> {
  const raw = [...new Set(tools)].sort();
  const counts = countOf(raw.map(modelSafeName));
  const room = MAX_NAME_LENGTH - namespace.length - 2;
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const tool of raw) {
    const identity = toolIdentity(server, tool);
    const safe = modelSafeName(tool);
    const candidate = counts.get(safe)! > 1 ? safe + hashSuffix(identity) : safe;
    let name = candidate;
    if (name.length > room || used.has(name)) {
      for (let attempt = 0; ; attempt++) {
        const suffix = hashSuffix(attempt === 0 ? identity : `${identity}\0${attempt}`);
        name = candidate.slice(0, Math.max(0, room - suffix.length)) + suffix;
        if (!used.has(name)) break;
      }
    }
    used.add(name);
    names.set(tool, name);
  }
  return names;
}

/**
 * The handlers for a thread's running MCP servers (none when it has no servers). With `searchTools`, the
 * namespaces stay callable but are not offered: a `tool_search` tool finds their tools instead.
 */
export function mcpToolHandlers(manager: McpManager, options: { supportsImages: boolean; searchTools?: boolean }): ToolHandler[] {
  if (manager.configs.every((c) => !c.enabled)) return [];
  const handlers: ToolHandler[] = resourceTools(manager);
  const servers = manager.readyServers();
  const namespaces = modelNamespaces(servers.map((s) => s.config.name));
  const offered: ToolHandler[] = [];
  const searchable: SearchableTool[] = [];
  for (const { config, connection } of servers) {
    const namespace = namespaces.get(config.name)!;
    const allowed = connection.tools.filter((t) => toolAllowed(config, t.name));
    const names = modelToolNames(config.name, namespace, allowed.map((t) => t.name));
    // A tool whose input schema the model's format cannot carry is left out, as codex leaves it out.
    const tools = allowed.map((tool) => ({ tool, name: names.get(tool.name)!, parameters: modelSchema(tool.inputSchema) })).filter((t) => t.parameters !== undefined);
    if (tools.length === 0) continue;
    tools.sort((a, b) => (a.name < b.name ? -1 : 1));
    const byModelName = new Map<string, McpTool>(tools.map((t) => [t.name, t.tool]));
    const description = connection.instructions?.trim() || `Tools in the ${namespace} namespace.`;
    for (const { name, tool, parameters } of tools) {
      searchable.push({ server: config.name, namespace, namespaceDescription: description, name, rawName: tool.name, title: tool.title ?? undefined, description: tool.description ?? '', parameters: parameters! });
    }
    offered.push({
      name: namespace,
      namespace: true,
      deferred: options.searchTools === true,
      parallel: config.supportsParallelToolCalls,
      spec: {
        type: 'namespace',
        name: namespace,
        description,
        tools: tools.map(({ name, tool, parameters }) => ({ type: 'function', name, description: tool.description ?? '', strict: false, parameters })),
      },
      async handle(call, context) {
        const tool = byModelName.get(call.name);
        if (!tool) return { output: `unsupported call: ${namespace} has no tool ${call.name}`, success: false };
        const live = manager.connection(config.name);
        if (!live) return { output: manager.unavailableReason(config.name), success: false };
        return runMcpToolCall(call, config, live, tool, context, options);
      },
    });
  }
  const search = options.searchTools && searchable.length > 0 ? [toolSearchHandler(searchable)] : [];
  return [...handlers, ...offered.sort((a, b) => (a.name < b.name ? -1 : 1)), ...search];
}

const JSON_TYPES = new Set(['string', 'number', 'boolean', 'integer', 'object', 'array', 'null']);
const COMBINATORS = ['anyOf', 'oneOf', 'allOf'] as const;

/** A schema the model's tool format cannot carry (a tuple's list of `items`, a schema that is not an object). */
class UnsupportedSchema extends Error {}

/**
 * The input schema in the subset the model's tool format takes, as codex offers it: types (inferred where
 * missing), descriptions, enums (a `const` is a one-value enum), structure, combinators and local `$ref`s
 * with the definitions they use. Undefined when the schema cannot be carried.
 */
export function modelSchema(schema: unknown): Record<string, unknown> | undefined {
  const refs = new Set<string>();
  try {
    const out = sanitize(schema ?? { type: 'object' }, refs);
    out.properties ??= {};
    const root = schema as Record<string, unknown> | undefined;
    // Only the definitions a `$ref` reaches are kept; a kept one may reach more, and the set grows as it is walked.
    for (const ref of refs) {
      const [, key, name] = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref) ?? [];
      const source = key && name ? (root?.[key] as Record<string, unknown> | undefined)?.[name] : undefined;
      if (source !== undefined) out[key!] = { ...(out[key!] as object | undefined), [name!]: sanitize(source, refs) };
    }
    return out;
  } catch (error) {
    if (error instanceof UnsupportedSchema) return undefined;
    throw error;
  }
}

function sanitize(schema: unknown, refs: Set<string>): Record<string, unknown> {
  // `true` and `false` accept anything / nothing: offered as a plain string.
  if (typeof schema === 'boolean') return { type: 'string' };
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new UnsupportedSchema();
  const input = schema as Record<string, unknown>;
  const description = typeof input.description === 'string' ? { description: input.description } : {};
  if (typeof input.$ref === 'string') {
    refs.add(input.$ref);
    return { $ref: input.$ref, ...description };
  }
  const enumValues = input.const !== undefined ? [input.const] : Array.isArray(input.enum) ? input.enum : undefined;
  const combinators = COMBINATORS.filter((key) => Array.isArray(input[key]));
  const type = knownType(input.type) ?? (combinators.length === 0 ? impliedType(input, enumValues !== undefined) : undefined);
  // Nothing says what it holds: any value, with no words about it.
  if (type === undefined && combinators.length === 0) return {};
  const types = [type].flat();
  const out: Record<string, unknown> = { ...(type !== undefined ? { type } : {}), ...description };
  if (enumValues) out.enum = enumValues;
  if (input.items !== undefined && input.items !== null) out.items = sanitize(input.items, refs);
  else if (types.includes('array')) out.items = { type: 'string' };
  if (typeof input.minItems === 'number') out.minItems = input.minItems;
  if (typeof input.properties === 'object' && input.properties !== null && !Array.isArray(input.properties)) {
    out.properties = Object.fromEntries(Object.entries(input.properties).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => [key, sanitize(value, refs)]));
  } else if (types.includes('object')) out.properties = {};
  if (Array.isArray(input.required)) out.required = input.required;
  if (typeof input.additionalProperties === 'boolean') out.additionalProperties = input.additionalProperties;
  else if (typeof input.additionalProperties === 'object' && input.additionalProperties !== null) out.additionalProperties = sanitize(input.additionalProperties, refs);
  for (const key of combinators) out[key] = (input[key] as unknown[]).map((variant) => sanitize(variant, refs));
  return out;
}

/** The JSON types named, unknown names left out; one name stands alone. */
function knownType(type: unknown): string | string[] | undefined {
  const names = [type].flat().filter((name): name is string => typeof name === 'string' && JSON_TYPES.has(name));
  return names.length === 0 ? undefined : names.length === 1 ? names[0] : names;
}

/** The type a schema without one implies by its keywords, if any. */
function impliedType(input: Record<string, unknown>, hasEnum: boolean): string | undefined {
  if ('properties' in input || 'required' in input || 'additionalProperties' in input) return 'object';
  if ('items' in input || 'prefixItems' in input) return 'array';
  if (hasEnum || 'format' in input) return 'string';
  if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'].some((key) => key in input)) return 'number';
  return undefined;
}

const argsOf = (call: ToolCallItem) => {
  const parsed = parseArguments(call);
  return parsed.ok ? parsed.value : null;
};

const text = (value: unknown, success = true): ToolResult => ({ output: JSON.stringify(value), success });

function resourceTools(manager: McpManager): ToolHandler[] {
  const page = (kind: 'resources' | 'templates') => async (call: ToolCallItem): Promise<ToolResult> => {
    const args = argsOf(call);
    if (args === null) return { output: 'arguments must be a JSON object', success: false };
    const server = typeof args.server === 'string' ? args.server : undefined;
    const cursor = typeof args.cursor === 'string' ? args.cursor : undefined;
    const field = kind === 'resources' ? 'resources' : 'resourceTemplates';
    try {
      if (server !== undefined) {
        const connection = manager.connection(server);
        if (!connection) return { output: manager.unavailableReason(server), success: false };
        const { items, nextCursor } = await connection.resourcePage(kind, cursor);
        return text({ server, [field]: items.map((item) => ({ server, ...(item as object) })), nextCursor });
      }
      if (cursor !== undefined) return { output: 'cursor can only be used when a server is specified', success: false };
      const all: unknown[] = [];
      for (const { config, connection } of manager.readyServers()) {
        const items = kind === 'resources' ? await connection.listResources() : await connection.listResourceTemplates();
        for (const item of items) all.push({ server: config.name, ...item });
      }
      return text({ [field]: all });
    } catch (error) {
      return { output: `failed to list MCP ${kind}: ${messageOf(error)}`, success: false };
    }
  };
  const listSchema = (what: string) => ({
    type: 'object',
    properties: {
      cursor: { type: 'string', description: `Opaque cursor from a previous ${what} call; omit for the first page.` },
      server: { type: 'string', description: `MCP server name. Omit to list ${what === 'list_mcp_resources' ? 'resources' : 'resource templates'} from every configured server.` },
    },
    additionalProperties: false,
  });
  return [
    {
      name: 'list_mcp_resources',
      parallel: true,
      spec: {
        type: 'function',
        name: 'list_mcp_resources',
        description:
          'Lists resources provided by MCP servers. Resources allow servers to share data that provides context to language models, such as files, database schemas, or application-specific information. Prefer resources over web search when possible.',
        strict: false,
        parameters: listSchema('list_mcp_resources'),
      },
      handle: page('resources'),
    },
    {
      name: 'list_mcp_resource_templates',
      parallel: true,
      spec: {
        type: 'function',
        name: 'list_mcp_resource_templates',
        description:
          'Lists resource templates provided by MCP servers. Parameterized resource templates allow servers to share data that takes parameters and provides context to language models, such as files, database schemas, or application-specific information. Prefer resource templates over web search when possible.',
        strict: false,
        parameters: listSchema('list_mcp_resource_templates'),
      },
      handle: page('templates'),
    },
    {
      name: 'read_mcp_resource',
      parallel: true,
      spec: {
        type: 'function',
        name: 'read_mcp_resource',
        description: 'Read a specific resource from an MCP server given the server name and resource URI.',
        strict: false,
        parameters: {
          type: 'object',
          properties: {
            server: { type: 'string', description: "MCP server name exactly as configured. Must match the 'server' field returned by list_mcp_resources." },
            uri: { type: 'string', description: 'Resource URI to read. Must be one of the URIs returned by list_mcp_resources.' },
          },
          required: ['server', 'uri'],
          additionalProperties: false,
        },
      },
      async handle(call, context) {
        const args = argsOf(call);
        if (args === null || typeof args.server !== 'string' || typeof args.uri !== 'string') return { output: 'read_mcp_resource needs "server" and "uri" strings', success: false };
        const connection = manager.connection(args.server);
        if (!connection) return { output: manager.unavailableReason(args.server), success: false };
        try {
          return text({ server: args.server, uri: args.uri, contents: await connection.readResource(args.uri, context.signal) });
        } catch (error) {
          return { output: `failed to read resource ${args.uri} from ${args.server}: ${messageOf(error)}`, success: false };
        }
      },
    },
  ];
}
