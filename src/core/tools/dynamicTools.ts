// Tools a client registers at thread start (`dynamicTools`): functions, and namespaces that group
// functions under one name (the model calls a member with `namespace` set). A call becomes the server
// request `item/tool/call`; the client's content items become the function output. A timeout, an error or
// an answer that cannot be read becomes a failure output the model can read.
import { invalidRequest, type DynamicToolSpec, type FunctionDynamicToolSpec, type ThreadItemOf, DynamicToolCall } from '../../protocol';
import type { ContentItem, ToolCallItem } from '../model/responseItems';
import { parseArguments, type ToolCallContext, type ToolHandler, type ToolResult } from './registry';

/** How long a client has to answer a dynamic tool call. */
export const DYNAMIC_TOOL_TIMEOUT_MS = 10 * 60_000;
const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,128}$/;
/** Namespaces Tandem keeps for its own tool groups (MCP servers' tools). */
const RESERVED_NAMESPACE_PREFIX = 'mcp__';

/** Checks the specs a client sent; throws an RpcError naming the first problem. */
export function validateDynamicTools(specs: readonly DynamicToolSpec[], reserved: ReadonlySet<string>): void {
  const functions = new Set<string>();
  const namespaces = new Set<string>();
  for (const spec of specs) {
    if (spec.type !== 'namespace') {
      validateFunction(spec, functions);
      if (reserved.has(spec.name)) throw invalidRequest(`dynamic tool ${spec.name} clashes with a built-in tool`);
      continue;
    }
    if (!NAME_PATTERN.test(spec.name)) throw invalidRequest(`dynamic tool namespace ${JSON.stringify(spec.name)} must be 1-128 characters of letters, digits, _ or -`);
    if (spec.name.startsWith(RESERVED_NAMESPACE_PREFIX)) throw invalidRequest(`dynamic tool namespace ${spec.name} is reserved`);
    if (namespaces.has(spec.name)) throw invalidRequest(`dynamic tool namespace ${spec.name} is defined twice`);
    if (spec.tools.length === 0) throw invalidRequest(`dynamic tool namespace ${spec.name} needs at least one tool`);
    const members = new Set<string>();
    for (const tool of spec.tools) validateFunction(tool, members, `${spec.name}.`);
    namespaces.add(spec.name);
  }
}

function validateFunction(spec: FunctionDynamicToolSpec, seen: Set<string>, prefix = ''): void {
  const label = prefix + spec.name;
  if (!NAME_PATTERN.test(spec.name)) throw invalidRequest(`dynamic tool name ${JSON.stringify(spec.name)} must be 1-128 characters of letters, digits, _ or -`);
  if (seen.has(spec.name)) throw invalidRequest(`dynamic tool ${label} is defined twice`);
  const schema = spec.inputSchema as { type?: unknown } | null;
  if (typeof schema !== 'object' || schema === null || schema.type !== 'object') {
    throw invalidRequest(`dynamic tool ${label} needs an inputSchema of type "object"`);
  }
  // A tool to load on demand is offered from the start: Tandem has no tool search to defer it to.
  seen.add(spec.name);
}

const functionSpec = (spec: FunctionDynamicToolSpec) => ({ type: 'function', name: spec.name, description: spec.description, strict: false, parameters: spec.inputSchema });

export function dynamicTool(spec: DynamicToolSpec, timeoutMs = DYNAMIC_TOOL_TIMEOUT_MS): ToolHandler {
  if (spec.type === 'namespace') {
    const members = new Map(spec.tools.map((tool) => [tool.name, tool]));
    return {
      name: spec.name,
      namespace: true,
      parallel: false,
      spec: { type: 'namespace', name: spec.name, description: spec.description, tools: spec.tools.map(functionSpec) },
      async handle(call, context) {
        if (!members.has(call.name)) return { output: `unsupported call: ${spec.name} has no tool ${call.name}`, success: false };
        return callClient(spec.name, call.name, call, context, timeoutMs);
      },
    };
  }
  return {
    name: spec.name,
    parallel: false,
    spec: functionSpec(spec),
    handle: (call, context) => callClient(null, spec.name, call, context, timeoutMs),
  };
}

async function callClient(namespace: string | null, tool: string, call: ToolCallItem, context: ToolCallContext, timeoutMs: number): Promise<ToolResult> {
  const args = parseArguments(call);
  const argumentsValue = args.ok ? args.value : call.type === 'function_call' ? call.arguments : call.input;
  const item: ThreadItemOf<'dynamicToolCall'> = {
    type: 'dynamicToolCall',
    id: call.call_id,
    namespace,
    tool,
    arguments: argumentsValue,
    status: 'inProgress',
    contentItems: null,
    success: null,
    durationMs: null,
  };
  const started = Date.now();
  // The client may act on the call: it is on disk first.
  await context.startItem(item);
  let contentItems: ThreadItemOf<'dynamicToolCall'>['contentItems'];
  let success: boolean;
  try {
    const result = (await context.requestFromClient(
      DynamicToolCall,
      { threadId: context.threadId, turnId: context.turnId, callId: call.call_id, namespace, tool, arguments: argumentsValue },
      // A client's tool is not an approval: the thread stays plainly active, as codex reports it (a no-op hold
      // keeps the call from taking one).
      { timeoutMs, hold: () => undefined },
    )) as { contentItems?: unknown; success?: unknown };
    contentItems = readContentItems(result?.contentItems);
    success = result?.success === true && contentItems !== null;
    if (contentItems === null) contentItems = [{ type: 'inputText', text: 'the client answered the tool call with something that is not a list of content items' }];
  } catch (error) {
    contentItems = [{ type: 'inputText', text: `the client could not run ${tool}: ${(error as Error).message}` }];
    success = false;
  }
  context.completeItem({ ...item, status: success ? 'completed' : 'failed', contentItems, success, durationMs: Date.now() - started });
  return { output: toOutput(contentItems), success };
}

type ContentItems = NonNullable<ThreadItemOf<'dynamicToolCall'>['contentItems']>;

function readContentItems(value: unknown): ContentItems | null {
  if (!Array.isArray(value)) return null;
  const items: ContentItems = [];
  for (const entry of value as Array<{ type?: unknown; text?: unknown; imageUrl?: unknown }>) {
    if (entry?.type === 'inputText' && typeof entry.text === 'string') items.push({ type: 'inputText', text: entry.text });
    else if (entry?.type === 'inputImage' && typeof entry.imageUrl === 'string') items.push({ type: 'inputImage', imageUrl: entry.imageUrl });
    else return null;
  }
  return items;
}

function toOutput(items: ContentItems): ContentItem[] {
  return items.map((item) =>
    item.type === 'inputText'
      ? { type: 'input_text', text: item.text }
      : item.imageUrl.startsWith('data:')
        ? { type: 'input_image', image_url: item.imageUrl }
        : { type: 'input_text', text: '(an image from a remote URL was not attached; only data: URLs are accepted)' },
  );
}
