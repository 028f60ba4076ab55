// The model-visible conversation: every item that is re-sent on each request (store: false).
import { isToolCall, isToolOutput, outputFor, type ResponseItem } from '../model/responseItems';

/** Rough tokens for items the model has not counted yet: about four bytes of JSON per token. */
export function estimateTokens(items: readonly ResponseItem[]): number {
  let bytes = 0;
  for (const item of items) bytes += Buffer.byteLength(JSON.stringify(item), 'utf8');
  return Math.ceil(bytes / 4);
}

export class ConversationHistory {
  private items: ResponseItem[] = [];
  /** The tokens the model reported for the prompt and reply at `length` items, if known. */
  private counted: { tokens: number; length: number } | undefined;

  constructor(initial: readonly ResponseItem[] = []) {
    this.items.push(...initial);
  }

  record(...items: ResponseItem[]): void {
    this.items.push(...items);
  }

  /** Replaces everything (compaction). What the model counted before no longer applies. */
  replace(items: readonly ResponseItem[]): void {
    this.items = [...items];
    this.counted = undefined;
  }

  /** Records the model's own count after a response: it covers every item recorded so far. */
  noteUsage(totalTokens: number): void {
    this.counted = { tokens: totalTokens, length: this.items.length };
  }

  /** The model's last count plus an estimate for what came after it (or an estimate of everything). */
  estimatedTokens(extra: readonly ResponseItem[] = []): number {
    const uncounted = this.counted ? this.items.slice(this.counted.length) : this.items;
    return (this.counted?.tokens ?? 0) + estimateTokens(uncounted) + estimateTokens(extra);
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
    const callIds = new Set(this.items.filter(isToolCall).map((call) => call.call_id));
    const outputIds = new Set(this.items.filter(isToolOutput).map((output) => output.call_id));
    const prompt: ResponseItem[] = [];
    for (const item of this.items) {
      if (isToolOutput(item) && !callIds.has(item.call_id)) continue;
      prompt.push(item);
      if (isToolCall(item) && !outputIds.has(item.call_id)) prompt.push(outputFor(item, 'aborted'));
    }
    return prompt;
  }
}

/** Messages Tandem adds for context (AGENTS.md, environment, interrupt markers, compaction summaries), not typed by the user. */
export function isContextMessage(item: ResponseItem): boolean {
  if (item.type !== 'message' || item.role !== 'user') return false;
  const first = item.content[0];
  return first?.type === 'input_text' && CONTEXT_PREFIXES.test(first.text);
}

/** A message the user typed (the ones compaction keeps). */
export function isRealUserMessage(item: ResponseItem): boolean {
  return item.type === 'message' && item.role === 'user' && !isContextMessage(item);
}

export const SUMMARY_TAG = '<thread_summary>';
const CONTEXT_PREFIXES = /^(<environment_context>|# AGENTS\.md instructions|<turn_aborted>|<thread_summary>|<user_shell_command>)/;

/**
 * The history as it stood before the user message number `kept` (counting from 0): the rollout does not
 * split history by turn, so cutting after some turns keeps what came before the next turn's message.
 */
export function historyBeforeUserMessage(history: readonly ResponseItem[], kept: number): ResponseItem[] {
  let seen = 0;
  for (let i = 0; i < history.length; i++) {
    if (!isRealUserMessage(history[i]!)) continue;
    if (seen === kept) return history.slice(0, i);
    seen += 1;
  }
  return [...history];
}

/** How many user messages the given turns hold (the ones the history has one real user message for each). */
export function userMessagesIn(turns: readonly { items: ReadonlyArray<{ type: string }> }[]): number {
  return turns.reduce((n, t) => n + t.items.filter((i) => i.type === 'userMessage').length, 0);
}
