// Tools a client registers at thread start (`dynamicTools`). A call becomes the server request
// `item/tool/call`; the client's content items become the function output. A timeout, an error or an
// answer that cannot be read becomes a failure output the model can read.
import { invalidRequest, type DynamicToolSpec, type ThreadItemOf, DynamicToolCall } from '../../protocol';
import type { ContentItem } from '../model/responseItems';
import { parseArguments, type ToolHandler } from './registry';

/** How long a client has to answer a dynamic tool call. */
export const DYNAMIC_TOOL_TIMEOUT_MS = 10 * 60_000;
const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,128}$/;

/** Checks the specs a client sent; throws an RpcError naming the first problem. */
export function validateDynamicTools(specs: readonly DynamicToolSpec[], reserved: ReadonlySet<string>): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    if (!NAME_PATTERN.test(spec.name)) throw invalidRequest(`dynamic tool name ${JSON.stringify(spec.name)} must be 1-128 characters of letters, digits, _ or -`);
    if (seen.has(spec.name)) throw invalidRequest(`dynamic tool ${spec.name} is defined twice`);
    if (reserved.has(spec.name)) throw invalidRequest(`dynamic tool ${spec.name} clashes with a built-in tool`);
    const schema = spec.inputSchema as { type?: unknown } | null;
    if (typeof schema !== 'object' || schema === null || schema.type !== 'object') {
      throw invalidRequest(`dynamic tool ${spec.name} needs an inputSchema of type "object"`);
    }
    if (spec.deferLoading) throw invalidRequest(`dynamic tool ${spec.name}: deferLoading is not supported`);
    seen.add(spec.name);
  }
}

export function dynamicTool(spec: DynamicToolSpec, timeoutMs = DYNAMIC_TOOL_TIMEOUT_MS): ToolHandler {
  return {
    name: spec.name,
    parallel: false,
    spec: { type: 'function', name: spec.name, description: spec.description, strict: false, parameters: spec.inputSchema },
    async handle(call, context) {
      const args = parseArguments(call);
      const argumentsValue = args.ok ? args.value : call.type === 'function_call' ? call.arguments : call.input;
      const item: ThreadItemOf<'dynamicToolCall'> = {
        type: 'dynamicToolCall',
        id: call.call_id,
        namespace: null,
        tool: spec.name,
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
          { threadId: context.threadId, turnId: context.turnId, callId: call.call_id, namespace: null, tool: spec.name, arguments: argumentsValue },
          { timeoutMs },
        )) as { contentItems?: unknown; success?: unknown };
        contentItems = readContentItems(result?.contentItems);
        success = result?.success === true && contentItems !== null;
        if (contentItems === null) contentItems = [{ type: 'inputText', text: 'the client answered the tool call with something that is not a list of content items' }];
      } catch (error) {
        contentItems = [{ type: 'inputText', text: `the client could not run ${spec.name}: ${(error as Error).message}` }];
        success = false;
      }
      context.completeItem({ ...item, status: success ? 'completed' : 'failed', contentItems, success, durationMs: Date.now() - started });
      return { output: toOutput(contentItems), success };
    },
  };
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
