// Rebuilds a thread from its rollout: the model history from `response_item` lines, the turns and their
// items from `event_msg` lines, and the settings of the last turn from `turn_context`.
import { stripIdeContext, type ThreadItem, type ThreadTokenUsage, type Turn, type UserInput } from '../../protocol';
import { toResponseItem, type ResponseItem } from '../model/responseItems';
import type { RolloutLine } from './recorder';
import type { CompactedRecord, EventRecord, PatchIntentFile, PlanStep, SessionMeta, TurnContextRecord } from './records';
import { missingOutputs, settleUnfinishedItem } from './interrupted';
import { historyBeforeUserMessage, isRealUserMessage, userMessagesIn } from '../thread/history';

export interface TurnPlan {
  explanation: string | null;
  plan: PlanStep[];
}

export interface ReconstructedThread {
  meta: SessionMeta;
  history: ResponseItem[];
  turns: Turn[];
  name: string | null;
  tokenUsage: ThreadTokenUsage | undefined;
  lastContext: TurnContextRecord | undefined;
  preview: string;
  /** The last turn, when no process finished it and it has not been continued before. */
  unfinishedTurnId?: string | null;
  /** Each turn's latest plan and final diff, by turn id, in turn order. */
  plans?: Map<string, TurnPlan>;
  diffs?: Map<string, string>;
  /**
   * What a crash kept out of the history and reading it back put in: the last turn's user message if only
   * its start was recorded, and outputs for its calls whose result was never recorded.
   */
  recoveredHistory?: ResponseItem[];
  /** Tool items that started and never completed (now failed), and what each patch among them was writing. */
  interruptedItems?: Set<string>;
  patchIntents?: Map<string, PatchIntentFile[]>;
}

export function reconstructThread(lines: readonly RolloutLine[], source = 'rollout'): ReconstructedThread {
  const first = lines[0];
  if (!first || first.type !== 'session_meta') throw new Error(`${source} does not start with session_meta`);
  const meta = first.payload as SessionMeta;
  const history: ResponseItem[] = [];
  const turns: Turn[] = [];
  const byId = new Map<string, Turn>();
  let name: string | null = null;
  let tokenUsage: ThreadTokenUsage | undefined;
  let lastContext: TurnContextRecord | undefined;
  const continued = new Set<string>();
  const plans = new Map<string, TurnPlan>();
  const diffs = new Map<string, string>();
  const patchIntents = new Map<string, PatchIntentFile[]>();
  // Where the last turn's history starts: only its calls can be waiting for an output the crash lost.
  let lastTurnHistoryStart = 0;
  // Where the last regular turn started (a continued turn keeps the message it started with).
  let lastTaskHistoryStart = 0;
  const openings = new Map<string, { item: ThreadItem; message: unknown }>();
  const earlyOutputs = new Map<string, ResponseItem>();
  for (const line of lines.slice(1)) {
    switch (line.type) {
      case 'response_item': {
        const item = toResponseItem(line.payload);
        if (item) history.push(item);
        break;
      }
      case 'compacted': {
        // A checkpoint: the history after it starts from the replacement.
        const replacement = (line.payload as CompactedRecord).replacement_history;
        if (Array.isArray(replacement)) history.splice(0, history.length, ...replacement.map(toResponseItem).filter((item) => item !== undefined));
        break;
      }
      case 'turn_context':
        lastContext = line.payload as TurnContextRecord;
        break;
      case 'event_msg': {
        const event = line.payload as EventRecord;
        if (event.type === 'task_started') {
          const turn: Turn = { id: event.turn_id, rootTurnId: event.root_turn_id ?? event.turn_id, items: [], itemsView: 'full', status: 'inProgress', error: null, startedAt: event.started_at, completedAt: null, durationMs: null };
          turns.push(turn);
          byId.set(turn.id, turn);
          lastTurnHistoryStart = history.length;
          lastTaskHistoryStart = history.length;
        } else if (event.type === 'item_started' || event.type === 'item_completed') {
          const turn = byId.get(event.turn_id);
          if (turn) upsert(turn.items, event.item);
        } else if (event.type === 'thread_reverted') {
          const index = turns.findIndex((t) => t.id === event.before_turn_id);
          if (index !== -1) {
            for (const turn of turns.splice(index)) byId.delete(turn.id);
            history.splice(0, history.length, ...historyBeforeUserMessage(history, userMessagesIn(turns)));
          }
        } else if (event.type === 'tool_output') {
          const output = toResponseItem(event.item);
          if (output && 'call_id' in output) earlyOutputs.set(output.call_id, output);
        } else if (event.type === 'turn_input') {
          openings.set(event.turn_id, { item: event.item, message: event.message });
        } else if (event.type === 'plan_updated') {
          plans.set(event.turn_id, { explanation: event.explanation, plan: event.plan });
        } else if (event.type === 'turn_diff') {
          diffs.set(event.turn_id, event.diff);
        } else if (event.type === 'patch_writing') {
          patchIntents.set(event.item_id, event.files);
        } else if (event.type === 'task_complete') {
          const turn = byId.get(event.turn_id);
          if (turn) Object.assign(turn, { status: event.status, error: event.error, completedAt: event.completed_at, durationMs: event.duration_ms });
        } else if (event.type === 'turn_continued') {
          continued.add(event.turn_id);
          lastTurnHistoryStart = history.length;
        } else if (event.type === 'token_count') {
          tokenUsage = event.info;
        } else if (event.type === 'thread_name_updated') {
          name = event.thread_name;
        }
        break;
      }
      default:
        break;
    }
  }
  // A turn the process never finished (it crashed, was killed, or its host reloaded) reads as interrupted;
  // the last one is offered for continuation once (see turnContinuation.ts).
  const last = turns.at(-1);
  const unfinishedTurnId = last?.status === 'inProgress' && !continued.has(last.id) ? last.id : null;
  const interruptedItems = new Set<string>();
  for (const turn of turns) {
    if (turn.status === 'inProgress') turn.status = 'interrupted';
    turn.items = turn.items.map((item) => {
      const settled = settleUnfinishedItem(item);
      if (settled !== item) interruptedItems.add(item.id);
      return settled;
    });
  }
  // A turn whose start was recorded but not its message shows the message it was started with.
  for (const turn of turns) {
    const opening = openings.get(turn.id);
    if (opening && !turn.items.some((item) => item.type === 'userMessage')) turn.items.unshift(opening.item);
  }
  const recoveredHistory: ResponseItem[] = [];
  const lastOpening = last ? openings.get(last.id) : undefined;
  const message = lastOpening ? toResponseItem(lastOpening.message) : undefined;
  if (message && !history.slice(lastTaskHistoryStart).some(isRealUserMessage)) recoveredHistory.push(message);
  // A call the crash cut off gets an output saying so, so the model neither repeats nor forgets it.
  recoveredHistory.push(...missingOutputs(history, lastTurnHistoryStart, earlyOutputs));
  history.push(...recoveredHistory);
  return { meta, history, turns, name, tokenUsage, lastContext, preview: previewOf(turns), unfinishedTurnId, plans, diffs, recoveredHistory, interruptedItems, patchIntents };
}

function upsert(items: ThreadItem[], item: ThreadItem): void {
  const index = items.findIndex((existing) => existing.id === item.id);
  if (index === -1) items.push(item);
  else items[index] = item;
}

export function previewOf(turns: readonly Turn[]): string {
  for (const turn of turns) {
    for (const item of turn.items) {
      if (item.type === 'userMessage') return userInputText(item.content);
    }
  }
  return '';
}

/** A message's text as previews show it: without the IDE context an editor put before the request, as codex shows it. */
export function userInputText(content: readonly UserInput[]): string {
  return content
    .map((input) => (input.type === 'text' ? stripIdeContext(input.text) : ''))
    .filter(Boolean)
    .join('\n');
}
