// Rebuilds a thread from its rollout: the model history from `response_item` lines, the turns and their
// items from `event_msg` lines, and the settings of the last turn from `turn_context`.
import type { ThreadTokenUsage, Turn, UserInput } from '../../protocol';
import { toResponseItem, type ResponseItem } from '../model/responseItems';
import type { RolloutLine } from './recorder';
import type { CompactedRecord, EventRecord, SessionMeta, TurnContextRecord } from './records';

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
          const turn: Turn = { id: event.turn_id, items: [], itemsView: 'full', status: 'inProgress', error: null, startedAt: event.started_at, completedAt: null, durationMs: null };
          turns.push(turn);
          byId.set(turn.id, turn);
        } else if (event.type === 'item_completed') {
          byId.get(event.turn_id)?.items.push(event.item);
        } else if (event.type === 'task_complete') {
          const turn = byId.get(event.turn_id);
          if (turn) Object.assign(turn, { status: event.status, error: event.error, completedAt: event.completed_at, durationMs: event.duration_ms });
        } else if (event.type === 'turn_continued') {
          continued.add(event.turn_id);
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
  for (const turn of turns) {
    if (turn.status === 'inProgress') turn.status = 'interrupted';
  }
  return { meta, history, turns, name, tokenUsage, lastContext, preview: previewOf(turns), unfinishedTurnId };
}

export function previewOf(turns: readonly Turn[]): string {
  for (const turn of turns) {
    for (const item of turn.items) {
      if (item.type === 'userMessage') return userInputText(item.content);
    }
  }
  return '';
}

export function userInputText(content: readonly UserInput[]): string {
  return content
    .map((input) => (input.type === 'text' ? input.text : ''))
    .filter(Boolean)
    .join('\n');
}
