// What the chat shows of the thread's file checkpoints: each turn that changed files ends with a summary of
// them (+/−, a click opens a file's diff) and *Undo this turn*; a restore shows as its own entry with *Undo
// restore*. The host does the restoring, in VS Code's own UI; the card only names which checkpoint.
import * as l10n from '@vscode/l10n';
import type { Checkpoint, CheckpointFileChange, Turn } from '../src/protocol';
import { el, icon, iconButton } from './dom';
import { userMessageParts } from './userMessage';

/** Longest excerpt of a message a restore entry quotes. */
const QUOTED_CHARS = 60;

/** A turn's own checkpoint, if it has one. */
export function turnCheckpoint(checkpoints: readonly Checkpoint[], turnId: string): Checkpoint | undefined {
  return checkpoints.find((c) => c.kind === 'turn' && c.turnId === turnId);
}

/** Worth a card: finished, and it changed files or has something to say about what it could not keep. */
export function shownCheckpoint(checkpoint: Checkpoint): boolean {
  return checkpoint.finished && (checkpoint.files.length > 0 || checkpoint.limitation !== null);
}

/**
 * The checkpoint "Restore files to here" restores for the turn at `index`: its own or, when it changed no
 * files, the first later turn's that did (restoring that one with every later one is the same).
 */
export function restoreTarget(checkpoints: readonly Checkpoint[], turns: readonly Pick<Turn, 'id'>[], index: number): string | null {
  for (const turn of turns.slice(index)) {
    const checkpoint = turnCheckpoint(checkpoints, turn.id);
    if (checkpoint?.finished && checkpoint.files.length > 0) return turn.id;
  }
  return null;
}

/**
 * The checkpoints whose changes are undone now: some restore undid them, and that restore was not undone in
 * turn (undoing a restore is restoring its own checkpoint).
 */
export function undoneCheckpoints(checkpoints: readonly Checkpoint[]): Set<string> {
  const undoneBy = new Map<string, Checkpoint[]>();
  for (const c of checkpoints) if (c.kind === 'restore' && c.restoredTurnId) undoneBy.set(c.restoredTurnId, [...(undoneBy.get(c.restoredTurnId) ?? []), c]);
  const memo = new Map<string, boolean>();
  const undone = (turnId: string, depth: number): boolean => {
    const known = memo.get(turnId);
    if (known !== undefined) return known;
    // The newest restore of it decides; a chain is no longer than the list.
    const latest = undoneBy.get(turnId)?.at(-1);
    const result = latest !== undefined && depth < checkpoints.length && !undone(latest.turnId, depth + 1);
    memo.set(turnId, result);
    return result;
  };
  return new Set(checkpoints.map((c) => c.turnId).filter((id) => undone(id, 0)));
}

/**
 * Where each restore shows in the conversation: after the last turn that had ended when it was made (a restore
 * runs between turns), by that turn's id; `''` for one made before any of the turns shown.
 */
export function restoresByTurn(checkpoints: readonly Checkpoint[], turns: readonly Pick<Turn, 'id' | 'completedAt'>[]): Map<string, Checkpoint[]> {
  const placed = new Map<string, Checkpoint[]>();
  for (const restore of checkpoints) {
    if (restore.kind !== 'restore') continue;
    let after = '';
    for (const turn of turns) if (turn.completedAt !== null && turn.completedAt <= restore.createdAt) after = turn.id;
    placed.set(after, [...(placed.get(after) ?? []), restore]);
  }
  return placed;
}

export interface CheckpointCardContext {
  /** A restore since has undone it. */
  undone: boolean;
  /** For a restore: the turn it undid, to quote its request. */
  restoredTurn: Turn | undefined;
}

export function fillCheckpoint(node: HTMLElement, checkpoint: Checkpoint, context: CheckpointCardContext): void {
  const restore = checkpoint.kind === 'restore';
  node.className = `card checkpoint${restore ? ' restore' : ''}${context.undone ? ' undone' : ''}`;
  const title = el('div', 'card-title');
  const added = checkpoint.files.reduce((sum, f) => sum + f.additions, 0);
  const removed = checkpoint.files.reduce((sum, f) => sum + f.deletions, 0);
  const heading = restore ? restoreHeading(checkpoint, context.restoredTurn) : filesChanged(checkpoint.files.length);
  title.append(icon(restore ? 'discard' : 'files'), ' ', el('span', 'checkpoint-heading', heading));
  if (!restore && checkpoint.files.length > 0) title.append(' ', el('span', 'added', `+${added}`), ' ', el('span', 'removed', `−${removed}`));
  if (context.undone) title.append(' ', el('span', 'badge declined', l10n.t('undone')));
  node.setAttribute('aria-label', restore ? heading : l10n.t('{0}, {1} lines added, {2} removed', heading, added, removed));
  const children: HTMLElement[] = [title];
  if (checkpoint.files.length > 0) {
    const list = el('ul', 'checkpoint-files');
    list.setAttribute('aria-label', restore ? l10n.t('Files the restore changed') : l10n.t('Files the turn changed'));
    for (const file of checkpoint.files) list.append(fileEntry(checkpoint.turnId, file));
    children.push(list);
  }
  if (checkpoint.limitation) children.push(note(checkpoint.limitation));
  if (checkpoint.skipped.length > 0) {
    const names = checkpoint.skipped.map((s) => s.path).join(', ');
    children.push(note(checkpoint.skipped.length === 1 ? l10n.t('Not kept, so it cannot be restored: {0}', names) : l10n.t('{0} files not kept, so they cannot be restored: {1}', checkpoint.skipped.length, names)));
  }
  if (checkpoint.files.length > 0) {
    const actions = el('div', 'card-actions checkpoint-actions');
    const undo = iconButton('discard', restore ? l10n.t('Undo Restore') : l10n.t('Undo This Turn'), 'secondary checkpoint-undo');
    undo.dataset.action = 'undo-checkpoint';
    undo.dataset.turnId = checkpoint.turnId;
    undo.setAttribute('aria-label', restore ? l10n.t('Undo the restore: put the files back as they were before it') : l10n.t("Undo this turn's changes to files"));
    actions.append(undo);
    children.push(actions);
  }
  node.replaceChildren(...children);
}

function filesChanged(count: number): string {
  return count === 1 ? l10n.t('1 file changed') : count === 0 ? l10n.t('No files changed') : l10n.t('{0} files changed', count);
}

function restoreHeading(checkpoint: Checkpoint, restoredTurn: Turn | undefined): string {
  if (checkpoint.restoredTurnId?.startsWith('restore:')) return l10n.t('Restore undone: files put back');
  const request = restoredTurn && requestText(restoredTurn);
  return request ? l10n.t('Files restored to before “{0}”', request) : l10n.t('Files restored to before an earlier turn');
}

/** A turn's request, shortened for a heading. */
function requestText(turn: Turn): string | null {
  const message = turn.items.find((item) => item.type === 'userMessage');
  if (message?.type !== 'userMessage') return null;
  const text = userMessageParts(message.content).text.replace(/\s+/g, ' ').trim();
  if (!text) return null;
  return text.length > QUOTED_CHARS ? `${text.slice(0, QUOTED_CHARS - 1)}…` : text;
}

const STATUS_LETTER: Record<CheckpointFileChange['status'], { letter: string; kind: string }> = {
  added: { letter: 'A', kind: 'add' },
  deleted: { letter: 'D', kind: 'delete' },
  modified: { letter: 'M', kind: 'update' },
  renamed: { letter: 'R', kind: 'update' },
};

/** One file: a button that opens its diff, with what happened to it and its +/− (or that it is binary). */
function fileEntry(turnId: string, file: CheckpointFileChange): HTMLElement {
  const item = el('li');
  const open = el('button', 'checkpoint-file');
  open.type = 'button';
  open.dataset.action = 'open-checkpoint-diff';
  open.dataset.turnId = turnId;
  open.dataset.path = file.path;
  const { letter, kind } = STATUS_LETTER[file.status];
  const name = file.oldPath ? `${file.oldPath} → ${file.path}` : file.path;
  open.append(el('span', `change-kind ${kind}`, letter), el('span', 'checkpoint-path', name));
  if (file.binary) open.append(el('span', 'checkpoint-binary', l10n.t('binary')));
  else open.append(el('span', 'added', `+${file.additions}`), el('span', 'removed', `−${file.deletions}`));
  open.title = l10n.t('Open the diff of {0}', name);
  open.setAttribute('aria-label', file.binary ? l10n.t('{0}, {1}, binary: open its diff', name, statusWord(file.status)) : l10n.t('{0}, {1}, {2} lines added, {3} removed: open its diff', name, statusWord(file.status), file.additions, file.deletions));
  item.append(open);
  return item;
}

function statusWord(status: CheckpointFileChange['status']): string {
  switch (status) {
    case 'added':
      return l10n.t('added');
    case 'deleted':
      return l10n.t('deleted');
    case 'modified':
      return l10n.t('modified');
    case 'renamed':
      return l10n.t('renamed');
  }
}

function note(text: string): HTMLElement {
  const node = el('p', 'checkpoint-note', text);
  node.setAttribute('role', 'note');
  return node;
}
