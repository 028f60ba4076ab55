// One sampling request: stream the model's reply, turn its output into thread items and deltas, start tool
// calls as soon as their items arrive, and record everything into history in order.
//
// Retries: an item that was started but not finished when an attempt failed stays "open" and is adopted by
// the next attempt's first item of the same kind, so the client never sees the same message twice. Deltas
// the client already has are not sent again; if the retried text diverges, deltas stop and `item/completed`
// (always authoritative) carries the final text.
import { type ThreadItem, AgentMessageDelta, ReasoningSummaryPartAdded, ReasoningSummaryTextDelta, ReasoningTextDelta } from '../../protocol';
import { uuidv7 } from '../ids';
import type { ModelClient, RequestIdentity, ResponsesRequest, TokenUsage } from '../model/responsesClient';
import { asToolCall, messageText, toResponseItem, type CallItem, type ResponseItem } from '../model/responseItems';
import type { ToolCallContext, ToolRegistry } from '../tools/registry';
import type { ConversationHistory } from './history';
import { ToolGate } from './toolGate';
import type { TurnEmitter } from './turnEmitter';
import type { ReplyCutter } from './steerCut';

interface OpenMessage {
  kind: 'agentMessage';
  id: string;
  text: string;
  sent: string;
  /** Set when a retry's text stopped matching what the client has: no more deltas for it. */
  diverged?: boolean;
}

interface OpenReasoning {
  kind: 'reasoning';
  id: string;
  summary: string[];
  sentSummary: string[];
  partsAnnounced: number;
  content: string[];
  sentContent: string[];
  /** Parts (`s<index>` summary, `c<index>` content) whose retried text stopped matching what the client has. */
  diverged?: Set<string>;
}

export type OpenItem = OpenMessage | OpenReasoning;

export interface SamplingOutcome {
  needsFollowUp: boolean;
  usage: TokenUsage | undefined;
}

export interface SamplingContext {
  client: ModelClient;
  request: ResponsesRequest;
  identity: RequestIdentity;
  history: ConversationHistory;
  emitter: TurnEmitter;
  tools: ToolRegistry;
  toolContext: ToolCallContext;
  signal: AbortSignal;
  /** Ends the request when input is steered in (its signal is `signal`). */
  cutter?: ReplyCutter;
  /** Each history item as it is recorded (the rollout writes them). */
  onRecorded(item: ResponseItem): void;
  /**
   * A call's output that is ready while the model still streams: it joins the history only after the
   * stream (outputs follow the calls), but the rollout keeps it at once so a crash meanwhile cannot lose it.
   */
  onEarlyOutput(item: ResponseItem): void;
}

/**
 * Appends a delta to a streamed text and says which part of it the client lacks (none once a retry's text
 * diverged from what it has). Costs O(delta), never O(text): while the text runs ahead of what was sent,
 * `sent` is the text itself; while a retry replays the start, only the replayed stretch is compared.
 */
export function appendStreamed(text: string, sent: string, delta: string, diverged: boolean): { text: string; sent: string; fresh: string | undefined; diverged: boolean } {
  const offset = text.length;
  const grown = text + delta;
  if (diverged) return { text: grown, sent, fresh: undefined, diverged };
  const replayed = sent.length - offset;
  if (replayed <= 0) return { text: grown, sent: grown, fresh: delta === '' ? undefined : delta, diverged };
  const overlap = Math.min(replayed, delta.length);
  if (sent.slice(offset, offset + overlap) !== delta.slice(0, overlap)) return { text: grown, sent, fresh: undefined, diverged: true };
  if (delta.length <= replayed) return { text: grown, sent, fresh: undefined, diverged };
  return { text: grown, sent: grown, fresh: delta.slice(overlap), diverged };
}

/** Appends a delta to `parts[index]`; returns the part of it the client has not seen (none when it diverged). */
function appendPart(item: OpenReasoning, which: 'summary' | 'content', index: number, delta: string): string | undefined {
  const [parts, sent] = which === 'summary' ? [item.summary, item.sentSummary] : [item.content, item.sentContent];
  const key = `${which === 'summary' ? 's' : 'c'}${index}`;
  const step = appendStreamed(parts[index] ?? '', sent[index] ?? '', delta, item.diverged?.has(key) ?? false);
  parts[index] = step.text;
  sent[index] = step.sent;
  if (step.diverged) (item.diverged ??= new Set()).add(key);
  return step.fresh;
}

export async function runSamplingAttempt(context: SamplingContext, carried: OpenItem[]): Promise<SamplingOutcome> {
  const { emitter, history } = context;
  const open = new Map<number, OpenItem>();
  const inflight: Array<Promise<ResponseItem>> = [];
  let streaming = true;
  const gate = new ToolGate();
  let usage: TokenUsage | undefined;

  const record = (item: ResponseItem) => {
    history.record(item);
    context.onRecorded(item);
  };

  const openItem = (outputIndex: number, kind: OpenItem['kind']): OpenItem => {
    const existing = open.get(outputIndex);
    if (existing && existing.kind === kind) return existing;
    const adoptedAt = carried.findIndex((item) => item.kind === kind);
    let item: OpenItem;
    if (adoptedAt !== -1) {
      item = carried.splice(adoptedAt, 1)[0]!;
      if (item.kind === 'agentMessage') Object.assign(item, { text: '', diverged: false });
      else Object.assign(item, { summary: [], content: [], diverged: undefined });
    } else if (kind === 'agentMessage') {
      item = { kind, id: uuidv7(), text: '', sent: '' };
      emitter.start({ type: 'agentMessage', id: item.id, text: '', phase: null });
    } else {
      item = { kind, id: uuidv7(), summary: [], sentSummary: [], partsAnnounced: 0, content: [], sentContent: [] };
      emitter.start({ type: 'reasoning', id: item.id, summary: [], content: [] });
    }
    open.set(outputIndex, item);
    return item;
  };

  // Each output reaches the disk as soon as it is recorded: a crash after it cannot make the model repeat the call.
  const drainTools = async () => {
    for (const pending of inflight.splice(0)) {
      record(await pending);
      await context.toolContext.writeAhead();
    }
  };

  try {
    for await (const event of context.client.stream(context.request, context.identity, context.signal)) {
      switch (event.type) {
        case 'outputItemAdded': {
          const type = event.item.type;
          if (type === 'message' && event.item.role === 'assistant') openItem(event.outputIndex, 'agentMessage');
          else if (type === 'reasoning') openItem(event.outputIndex, 'reasoning');
          else if (writesFiles(context, event.item)) context.toolContext.checkpoint?.prepare();
          break;
        }
        case 'outputTextDelta': {
          const item = openItem(event.outputIndex, 'agentMessage') as OpenMessage;
          const step = appendStreamed(item.text, item.sent, event.delta, item.diverged ?? false);
          Object.assign(item, { text: step.text, sent: step.sent, diverged: step.diverged });
          if (step.fresh) emitter.notify(AgentMessageDelta, { itemId: item.id, delta: step.fresh });
          break;
        }
        case 'reasoningSummaryPartAdded': {
          const item = openItem(event.outputIndex, 'reasoning') as OpenReasoning;
          item.summary[event.summaryIndex] ??= '';
          if (event.summaryIndex >= item.partsAnnounced) {
            item.partsAnnounced = event.summaryIndex + 1;
            emitter.notify(ReasoningSummaryPartAdded, { itemId: item.id, summaryIndex: event.summaryIndex });
          }
          break;
        }
        case 'reasoningSummaryDelta': {
          const item = openItem(event.outputIndex, 'reasoning') as OpenReasoning;
          const delta = appendPart(item, 'summary', event.summaryIndex, event.delta);
          if (delta) emitter.notify(ReasoningSummaryTextDelta, { itemId: item.id, delta, summaryIndex: event.summaryIndex });
          break;
        }
        case 'reasoningContentDelta': {
          const item = openItem(event.outputIndex, 'reasoning') as OpenReasoning;
          const delta = appendPart(item, 'content', event.contentIndex, event.delta);
          if (delta) emitter.notify(ReasoningTextDelta, { itemId: item.id, delta, contentIndex: event.contentIndex });
          break;
        }
        case 'outputItemDone': {
          const item = toResponseItem(event.item);
          if (!item) break;
          record(item);
          if (item.type === 'message' && item.role === 'assistant') {
            const openMessage = openItem(event.outputIndex, 'agentMessage');
            open.delete(event.outputIndex);
            emitter.complete({ type: 'agentMessage', id: openMessage.id, text: messageText(item), phase: item.phase ?? null });
          } else if (item.type === 'reasoning') {
            const openReasoning = openItem(event.outputIndex, 'reasoning') as OpenReasoning;
            open.delete(event.outputIndex);
            emitter.complete(reasoningItem(openReasoning, item));
          } else if (item.type === 'function_call' || item.type === 'custom_tool_call' || item.type === 'tool_search_call') {
            context.cutter?.lock();
            inflight.push(
              dispatchTool(context, gate, item).then((output) => {
                if (streaming) context.onEarlyOutput(output);
                return output;
              }),
            );
          }
          break;
        }
        case 'completed':
          usage = event.usage;
          // The model's count covers the prompt and its reply, not the tool outputs recorded after this.
          if (usage) history.noteUsage(usage.totalTokens);
          break;
        case 'created':
          break;
      }
    }
  } catch (error) {
    streaming = false;
    // Calls that already started still finish and are recorded, so a retry does not run them again.
    await drainTools();
    if (context.cutter?.wasCut) {
      // What the reply finished is in the history; the item still streaming is dropped, and the model is
      // asked again with the steered input.
      for (const item of open.values()) context.emitter.discard(item.id);
      return { needsFollowUp: true, usage };
    }
    carried.push(...[...open.entries()].sort(([a], [b]) => a - b).map(([, item]) => item));
    throw error;
  }
  streaming = false;
  const needsFollowUp = inflight.length > 0;
  await drainTools();
  // Items the model announced but never finished: close them with what they had.
  finishOpenItems(emitter, [...open.values()]);
  return { needsFollowUp, usage };
}

/** A call announced (its arguments still streaming) to a tool that changes files whatever they say. */
function writesFiles(context: SamplingContext, item: Record<string, unknown>): boolean {
  if ((item.type !== 'custom_tool_call' && item.type !== 'function_call') || typeof item.name !== 'string') return false;
  return context.tools.writesFiles(item.name, item.type === 'function_call' && typeof item.namespace === 'string' ? item.namespace : undefined);
}

function dispatchTool(context: SamplingContext, gate: ToolGate, item: CallItem): Promise<ResponseItem> {
  const handler = context.tools.forCall(item);
  const parallel = handler?.parallel ?? true;
  const call = asToolCall(item);
  // Write-ahead: the call is on disk before it runs, so after a crash the thread still shows it started
  // (by a tool that starts its item durably before it acts, with that item).
  return gate.run(parallel, async () => {
    if (!handler?.startsDurably) await context.toolContext.writeAhead();
    const { logger } = context.client;
    const started = Date.now();
    const fields = { threadId: context.toolContext.threadId, turnId: context.toolContext.turnId, tool: call.name, callId: call.call_id };
    // Arguments carry the user's content (commands, file text): only at debug.
    logger.debug('tool call arguments', { ...fields, arguments: (call.type === 'custom_tool_call' ? call.input : call.arguments).slice(0, 4000) });
    const output = await context.tools.dispatch(item, context.toolContext);
    logger.info('tool call', { ...fields, ms: Date.now() - started });
    return output;
  });
}

function reasoningItem(open: OpenReasoning, done: Extract<ResponseItem, { type: 'reasoning' }>): ThreadItem {
  const summary = done.summary.length > 0 ? done.summary.map((s) => s.text) : open.summary.filter((s) => s !== undefined);
  const content = done.content?.length ? done.content.map((c) => c.text) : open.content.filter((c) => c !== undefined);
  return { type: 'reasoning', id: open.id, summary, content };
}

/** The last state of items a failed or interrupted turn left open: completed with what they had. */
export function finishOpenItems(emitter: TurnEmitter, items: OpenItem[], options: { announce?: boolean } = {}): void {
  const finish = options.announce === false ? emitter.settle.bind(emitter) : emitter.complete.bind(emitter);
  for (const item of items.splice(0)) {
    if (item.kind === 'agentMessage') finish({ type: 'agentMessage', id: item.id, text: item.sent, phase: null });
    else finish({ type: 'reasoning', id: item.id, summary: item.sentSummary, content: item.sentContent });
  }
}
