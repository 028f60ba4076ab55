// The tool search offered to models that load MCP tools on demand: their servers' tools are not sent
// upfront; the model searches them by words (BM25 over each tool's metadata) and gets the best matches,
// grouped by namespace, to call next.
import MiniSearch from 'minisearch';
import { TOOL_SEARCH } from '../model/responseItems';
import { parseArguments, type ToolHandler } from '../tools/registry';

/** How many tools a search returns when the model names no limit. */
const DEFAULT_LIMIT = 8;

/** One deferred tool as the search sees it. */
export interface SearchableTool {
  server: string;
  namespace: string;
  namespaceDescription: string;
  /** The model-facing name within the namespace. */
  name: string;
  /** The server's own name for the tool. */
  rawName: string;
  title?: string;
  description: string;
  parameters: Record<string, unknown>;
}

const DESCRIPTION =
  '# Tool discovery\n\nSearches over deferred tool metadata with BM25 and exposes matching tools for the next model call.\n\nSome of the tools may not have been provided to you upfront, and you should use this tool (`tool_search`) to search for the required tools. For MCP tool discovery, always use `tool_search` instead of `list_mcp_resources` or `list_mcp_resource_templates`.';

/**
 * What a tool is found by, as codex indexes it: its full and short names, its server, title and
 * description, the server's instructions (so a server's tools are found by what they say of it) and the
 * names of its arguments.
 */
function searchText(tool: SearchableTool): string {
  const keys = Object.keys((tool.parameters.properties as Record<string, unknown> | undefined) ?? {}).sort();
  const parts = [`${tool.namespace}__${tool.name}`, tool.name, tool.rawName, tool.server, tool.title, tool.description, tool.namespaceDescription, ...keys];
  return parts.map((part) => part?.trim()).filter((part) => part).join(' ');
}

/** The best matches for `query`, at most `limit`, as namespaces holding their matching tools (in rank order). */
export function searchTools(tools: readonly SearchableTool[], query: string, limit: number): Record<string, unknown>[] {
  // Plain BM25 (no BM25+ floor, `d: 0`) with the usual constants, over one text per tool.
  const index = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], searchOptions: { bm25: { k: 1.2, b: 0.75, d: 0 } } });
  index.addAll(tools.map((tool, id) => ({ id, text: searchText(tool) })));
  const found = index.search(query).slice(0, limit).map((hit) => tools[hit.id as number]!);
  const namespaces = new Map<string, { description: string; tools: Record<string, unknown>[] }>();
  for (const tool of found) {
    let group = namespaces.get(tool.namespace);
    if (!group) namespaces.set(tool.namespace, (group = { description: tool.namespaceDescription, tools: [] }));
    group.tools.push({ type: 'function', name: tool.name, description: tool.description, strict: false, defer_loading: true, parameters: tool.parameters });
  }
  return [...namespaces].map(([name, group]) => ({ type: 'namespace', name, description: group.description, tools: group.tools }));
}

/** The `tool_search` tool over the given deferred tools. */
export function toolSearchHandler(tools: readonly SearchableTool[]): ToolHandler {
  return {
    name: TOOL_SEARCH,
    parallel: true,
    spec: {
      type: 'tool_search',
      execution: 'client',
      description: DESCRIPTION,
      parameters: {
        type: 'object',
        properties: {
          limit: { type: 'number', description: 'Maximum number of tools to return. Defaults to 8.' },
          query: { type: 'string', description: 'Search query for deferred tools.' },
        },
        required: ['query'],
        additionalProperties: false,
      },
    },
    async handle(call) {
      const parsed = parseArguments(call);
      if (!parsed.ok) return { output: parsed.message, success: false };
      const { query, limit } = parsed.value;
      if (typeof query !== 'string' || query.trim() === '') return { output: 'tool_search needs a non-empty "query" string', success: false, tools: [] };
      if (limit !== undefined && (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 1)) return { output: '"limit" must be a positive number', success: false, tools: [] };
      const found = searchTools(tools, query, limit === undefined ? DEFAULT_LIMIT : Math.floor(limit));
      return { output: JSON.stringify(found), success: true, tools: found };
    },
  };
}
