// The rows of the conversation, in order: each turn's items (a review's raw answer hidden), the warnings
// that came with them, its plan, what it changed (its checkpoint, or the diff's line), how it ended, and
// the restores made after it.
import * as l10n from '@vscode/l10n';
import type { Checkpoint, ThreadItem } from '../src/protocol';
import { failureText, type ChatState } from './store';
import { hiddenReviewItems } from './review';
import { restoresByTurn, shownCheckpoint } from './checkpoints';

/** A row of the conversation; `height` is its last measured height (gap included), once it has been shown. */
export type Row = { height?: number } & (
  | { key: string; kind: 'item'; item: ThreadItem; turnId: string }
  | { key: string; kind: 'plan'; turnId: string }
  | { key: string; kind: 'changes'; turnId: string }
  /** A turn's or a restore's file checkpoint, by its turn id. */
  | { key: string; kind: 'checkpoint'; turnId: string }
  | { key: string; kind: 'marker'; text: string }
  | { key: string; kind: 'notice'; text: string }
  | { key: string; kind: 'failed'; turnId: string; text: string }
);

export function conversationRows(state: ChatState): Row[] {
  const rows: Row[] = [];
  const restores = restoresByTurn(state.checkpoints, state.turns);
  // Each turn's own checkpoint, looked up once rather than searched for per turn.
  const turnCheckpoints = new Map<string, Checkpoint>();
  for (const checkpoint of state.checkpoints) if (checkpoint.kind === 'turn' && !turnCheckpoints.has(checkpoint.turnId)) turnCheckpoints.set(checkpoint.turnId, checkpoint);
  const checkpointRow = (turnId: string): Row => ({ key: `${turnId}:checkpoint`, kind: 'checkpoint', turnId });
  for (const turn of state.turns) {
    const notices = state.notices.get(turn.id) ?? [];
    let next = 0;
    const noticesUpTo = (count: number) => {
      for (; next < notices.length && notices[next]!.afterItems <= count; next++) rows.push({ key: notices[next]!.key, kind: 'notice', text: notices[next]!.text });
    };
    noticesUpTo(0);
    const hidden = hiddenReviewItems(turn.items);
    for (let index = 0; index < turn.items.length; index++) {
      const item = turn.items[index]!;
      if (!hidden.has(item.id)) rows.push({ key: item.id, kind: 'item', item, turnId: turn.id });
      if (next < notices.length) noticesUpTo(index + 1);
    }
    noticesUpTo(Number.POSITIVE_INFINITY);
    if (state.plans.has(turn.id)) rows.push({ key: `${turn.id}:plan`, kind: 'plan', turnId: turn.id });
    // The checkpoint's summary says what the diff's line says, per file and with a way back.
    const checkpoint = turnCheckpoints.get(turn.id);
    if (checkpoint && shownCheckpoint(checkpoint)) rows.push(checkpointRow(turn.id));
    else if (state.changes.has(turn.id)) rows.push({ key: `${turn.id}:changes`, kind: 'changes', turnId: turn.id });
    if (turn.status === 'interrupted') rows.push({ key: `${turn.id}:interrupted`, kind: 'marker', text: l10n.t('Turn interrupted.') });
    // Stays in the conversation after the banner is gone, with a way to send the request again.
    if (turn.status === 'failed') rows.push({ key: `${turn.id}:failed`, kind: 'failed', turnId: turn.id, text: failureText(turn) });
    for (const restore of restores.get(turn.id) ?? []) rows.push(checkpointRow(restore.turnId));
  }
  for (const restore of restores.get('') ?? []) rows.push(checkpointRow(restore.turnId));
  return rows;
}
