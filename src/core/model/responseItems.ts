// Responses API items: what history holds and what the model receives.
// Item `id`s from the model are dropped, since requests use `store: false`.

export type ContentItem =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url: string; detail?: string }
  | { type: 'output_text'; text: string };

export type MessageRole = 'user' | 'assistant' | 'developer' | 'system';

export type FunctionOutput = string | ContentItem[];

export type ResponseItem =
  | { type: 'message'; role: MessageRole; content: ContentItem[]; phase?: 'commentary' | 'final_answer' }
  | {
      type: 'reasoning';
      summary: Array<{ type: 'summary_text'; text: string }>;
      encrypted_content?: string | null;
      content?: Array<{ type: 'reasoning_text'; text: string }>;
    }
  | { type: 'function_call'; name: string; arguments: string; call_id: string; namespace?: string }
  | { type: 'function_call_output'; call_id: string; output: FunctionOutput }
  | { type: 'custom_tool_call'; name: string; input: string; call_id: string; status?: string }
  | { type: 'custom_tool_call_output'; call_id: string; output: FunctionOutput }
  // A search over tools not offered upfront (MCP tools of models that load them on demand), run by Tandem.
  | { type: 'tool_search_call'; call_id: string; arguments: Record<string, unknown>; status?: string; execution: string }
  | { type: 'tool_search_output'; call_id: string; status: string; execution: string; tools: Record<string, unknown>[] };

/** A call a tool handler runs. */
export type ToolCallItem = Extract<ResponseItem, { type: 'function_call' | 'custom_tool_call' }>;
/** Every call the model makes that needs an answer: a handler's, or a tool search. */
export type CallItem = ToolCallItem | Extract<ResponseItem, { type: 'tool_search_call' }>;
export type ToolOutputItem = Extract<ResponseItem, { type: 'function_call_output' | 'custom_tool_call_output' | 'tool_search_output' }>;

const CALL_TYPES = new Set(['function_call', 'custom_tool_call', 'tool_search_call']);
const OUTPUT_TYPES = new Set(['function_call_output', 'custom_tool_call_output', 'tool_search_output']);
export const isToolCall = (item: ResponseItem): item is CallItem => CALL_TYPES.has(item.type);
export const isToolOutput = (item: ResponseItem): item is ToolOutputItem => OUTPUT_TYPES.has(item.type);

/** The tool a tool search runs as. */
export const TOOL_SEARCH = 'tool_search';

/** A tool search as the call its handler runs. */
export function asToolCall(call: CallItem): ToolCallItem {
  return call.type === 'tool_search_call' ? { type: 'function_call', name: TOOL_SEARCH, arguments: JSON.stringify(call.arguments), call_id: call.call_id } : call;
}

/**
 * The item that answers a call: an output of the call's own kind. A tool search answers with the tools it
 * found; one that failed or never ran answers with none (its text has nowhere to go in that item).
 */
export function outputFor(call: CallItem, output: FunctionOutput, tools: Record<string, unknown>[] = []): ToolOutputItem {
  if (call.type === 'tool_search_call') return { type: 'tool_search_output', call_id: call.call_id, status: 'completed', execution: 'client', tools };
  return call.type === 'custom_tool_call' ? { type: 'custom_tool_call_output', call_id: call.call_id, output } : { type: 'function_call_output', call_id: call.call_id, output };
}

const KNOWN_TYPES = new Set(['message', 'reasoning', ...CALL_TYPES, ...OUTPUT_TYPES]);

/** Reads an item from the model's stream into the history form, or undefined for kinds history does not keep. */
export function toResponseItem(raw: unknown): ResponseItem | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const record = raw as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) return undefined;
  switch (type) {
    case 'message': {
      const role = record.role;
      if (role !== 'user' && role !== 'assistant' && role !== 'developer' && role !== 'system') return undefined;
      const content = Array.isArray(record.content) ? (record.content as ContentItem[]).filter(isContentItem) : [];
      const phase = record.phase === 'commentary' || record.phase === 'final_answer' ? record.phase : undefined;
      return phase ? { type, role, content, phase } : { type, role, content };
    }
    case 'reasoning': {
      const summary = Array.isArray(record.summary)
        ? (record.summary as Array<{ text?: unknown }>).filter((s) => typeof s?.text === 'string').map((s) => ({ type: 'summary_text' as const, text: s.text as string }))
        : [];
      const item: Extract<ResponseItem, { type: 'reasoning' }> = { type, summary };
      if (typeof record.encrypted_content === 'string') item.encrypted_content = record.encrypted_content;
      if (Array.isArray(record.content)) {
        const parts = (record.content as Array<{ type?: unknown; text?: unknown }>).filter((c) => c?.type === 'reasoning_text' && typeof c.text === 'string');
        if (parts.length > 0) item.content = parts.map((c) => ({ type: 'reasoning_text' as const, text: c.text as string }));
      }
      return item;
    }
    case 'function_call':
      if (typeof record.name !== 'string' || typeof record.call_id !== 'string') return undefined;
      return {
        type,
        name: record.name,
        arguments: typeof record.arguments === 'string' ? record.arguments : JSON.stringify(record.arguments ?? {}),
        call_id: record.call_id,
        ...(typeof record.namespace === 'string' ? { namespace: record.namespace } : {}),
      };
    case 'custom_tool_call':
      if (typeof record.name !== 'string' || typeof record.call_id !== 'string') return undefined;
      return { type, name: record.name, input: typeof record.input === 'string' ? record.input : '', call_id: record.call_id };
    case 'function_call_output':
    case 'custom_tool_call_output':
      if (typeof record.call_id !== 'string') return undefined;
      return { type, call_id: record.call_id, output: (record.output as FunctionOutput) ?? '' };
    case 'tool_search_call': {
      if (typeof record.call_id !== 'string') return undefined;
      const args = parsedObject(record.arguments);
      return {
        type,
        call_id: record.call_id,
        arguments: args,
        ...(typeof record.status === 'string' ? { status: record.status } : {}),
        execution: typeof record.execution === 'string' ? record.execution : 'client',
      };
    }
    case 'tool_search_output':
      if (typeof record.call_id !== 'string') return undefined;
      return {
        type,
        call_id: record.call_id,
        status: typeof record.status === 'string' ? record.status : 'completed',
        execution: typeof record.execution === 'string' ? record.execution : 'client',
        tools: Array.isArray(record.tools) ? (record.tools as unknown[]).filter((t): t is Record<string, unknown> => typeof t === 'object' && t !== null) : [],
      };
  }
  return undefined;
}

/** Arguments as an object: given as one, or as a JSON string of one; anything else is no arguments. */
function parsedObject(value: unknown): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return {};
    }
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

function isContentItem(value: unknown): value is ContentItem {
  const type = (value as { type?: unknown })?.type;
  return type === 'input_text' || type === 'output_text' || type === 'input_image';
}

export function messageText(item: Extract<ResponseItem, { type: 'message' }>): string {
  return item.content.map((c) => (c.type === 'input_image' ? '' : c.text)).join('');
}

export const userText = (text: string): ResponseItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
