// Forking: where a thread is cut (after a given turn), and the past the fork starts with, written into its
// own rollout so it reads the same after a restart.
import { invalidRequest, type Turn } from '../../protocol';
import type { ResponseItem } from '../model/responseItems';
import type { ReconstructedThread } from '../rollout/reconstruct';
import { historyBeforeUserMessage, userMessagesIn } from './history';
import type { ThreadSession } from './threadSession';

export function cutAtTurn(rebuilt: ReconstructedThread, lastTurnId: string | null | undefined): { turns: Turn[]; history: ReconstructedThread['history'] } {
  if (!lastTurnId) return { turns: rebuilt.turns, history: rebuilt.history };
  const index = rebuilt.turns.findIndex((t) => t.id === lastTurnId);
  if (index === -1) throw invalidRequest(`turn not found: ${lastTurnId}`);
  const keptTurns = rebuilt.turns.slice(0, index + 1);
  return { turns: keptTurns, history: historyBeforeUserMessage(rebuilt.history, userMessagesIn(keptTurns)) };
}

/** Writes the history and turns (with their plans and diffs) a fork starts from into its rollout. */
export function recordForkedPast(session: ThreadSession, rebuilt: ReconstructedThread, turns: readonly Turn[], history: readonly ResponseItem[]): void {
  for (const item of history) session.persist('response_item', item);
  for (const turn of turns) {
    session.persist('event_msg', { type: 'task_started', turn_id: turn.id, started_at: turn.startedAt ?? 0 });
    for (const item of turn.items) session.persist('event_msg', { type: 'item_completed', turn_id: turn.id, item });
    const plan = rebuilt.plans?.get(turn.id);
    if (plan) session.persist('event_msg', { type: 'plan_updated', turn_id: turn.id, ...plan });
    const diff = rebuilt.diffs?.get(turn.id);
    if (diff) session.persist('event_msg', { type: 'turn_diff', turn_id: turn.id, diff });
    session.persist('event_msg', { type: 'task_complete', turn_id: turn.id, status: turn.status, error: turn.error, completed_at: turn.completedAt ?? 0, duration_ms: turn.durationMs ?? 0 });
  }
}
