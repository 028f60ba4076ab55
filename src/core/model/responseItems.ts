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
  | { type: 'custom_tool_call_output'; call_id: string; output: FunctionOutput };

export type ToolCallItem = Extract<ResponseItem, { type: 'function_call' | 'custom_tool_call' }>;
export type ToolOutputItem = Extract<ResponseItem, { type: 'function_call_output' | 'custom_tool_call_output' }>;

export const isToolCall = (item: ResponseItem): item is ToolCallItem => item.type === 'function_call' || item.type === 'custom_tool_call';
export const isToolOutput = (item: ResponseItem): item is ToolOutputItem => item.type === 'function_call_output' || item.type === 'custom_tool_call_output';

/** The item that answers a call: an output of the call's own kind. */
export function outputFor(call: ToolCallItem, output: FunctionOutput): ToolOutputItem {
  return call.type === 'custom_tool_call' ? { type: 'custom_tool_call_output', call_id: call.call_id, output } : { type: 'function_call_output', call_id: call.call_id, output };
}

const KNOWN_TYPES = new Set(['message', 'reasoning', 'function_call', 'function_call_output', 'custom_tool_call', 'custom_tool_call_output']);

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
  }
  return undefined;
}

function isContentItem(value: unknown): value is ContentItem {
  const type = (value as { type?: unknown })?.type;
  return type === 'input_text' || type === 'output_text' || type === 'input_image';
}

export function messageText(item: Extract<ResponseItem, { type: 'message' }>): string {
  return item.content.map((c) => (c.type === 'input_image' ? '' : c.text)).join('');
}

export const userText = (text: string): ResponseItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
