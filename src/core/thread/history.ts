// The model-visible conversation: every item that is re-sent on each request (store: false).
import type { ResponseItem } from '../model/responseItems';

export class ConversationHistory {
  private readonly items: ResponseItem[] = [];

  constructor(initial: readonly ResponseItem[] = []) {
    this.items.push(...initial);
  }

  record(...items: ResponseItem[]): void {
    this.items.push(...items);
  }

  get length(): number {
    return this.items.length;
  }

  snapshot(): ResponseItem[] {
    return [...this.items];
  }

  /**
   * What the next request sends: each tool call without an output gets an "aborted" output right after it
   * (a call the turn never answered), and outputs whose call is missing are dropped.
   */
  forPrompt(): ResponseItem[] {
    const callIds = new Set<string>();
    const outputIds = new Set<string>();
    for (const item of this.items) {
      if (item.type === 'function_call' || item.type === 'custom_tool_call') callIds.add(item.call_id);
      if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') outputIds.add(item.call_id);
    }
    const prompt: ResponseItem[] = [];
    for (const item of this.items) {
      if ((item.type === 'function_call_output' || item.type === 'custom_tool_call_output') && !callIds.has(item.call_id)) continue;
      prompt.push(item);
      if (item.type === 'function_call' && !outputIds.has(item.call_id)) {
        prompt.push({ type: 'function_call_output', call_id: item.call_id, output: 'aborted' });
      } else if (item.type === 'custom_tool_call' && !outputIds.has(item.call_id)) {
        prompt.push({ type: 'custom_tool_call_output', call_id: item.call_id, output: 'aborted' });
      }
    }
    return prompt;
  }
}
