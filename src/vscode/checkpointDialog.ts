// The words of a restore: what the modal asks before files are restored or the conversation rewound, and
// what is said afterwards when some files were left alone or could not be restored.
import * as vscode from 'vscode';
import type { CheckpointRestoreCall, RestoreConflict, RestorePlan, ResultOf, CheckpointRestore } from '../protocol';

/** What the user asked for, from the chat's action. */
export type RestoreIntent = 'undoTurn' | 'undoRestore' | 'restoreToHere' | 'restoreAndRewind' | 'rewind';

/** Files named in a dialog or a message; the rest are counted. */
const LISTED_FILES = 10;

export function intentOf(call: Pick<CheckpointRestoreCall, 'files' | 'rewindBeforeTurnId'>): RestoreIntent | null {
  const rewind = call.rewindBeforeTurnId !== undefined;
  if (!call.files) return rewind ? 'rewind' : null;
  if (rewind) return 'restoreAndRewind';
  // A restore's own checkpoint is named `restore:<turn>:<n>`: restoring it undoes that restore.
  if (call.files.turnId.startsWith('restore:')) return 'undoRestore';
  return call.files.includeLater ? 'restoreToHere' : 'undoTurn';
}

export interface RestoreDialog {
  message: string;
  detail: string;
  /** Restores what the plan restores; conflicts are left as they are. */
  primary: string;
  /** Also overwrites the files changed since: offered only when there are some. */
  overwrite: string | null;
}

export function restoreDialog(intent: Exclude<RestoreIntent, 'rewind'>, plan: RestorePlan): RestoreDialog {
  const lines: string[] = [];
  if (plan.write.length > 0) lines.push(vscode.l10n.t('Written back as they were: {0}', plan.write.length));
  if (plan.recreate.length > 0) lines.push(vscode.l10n.t('Created again: {0}', plan.recreate.length));
  if (plan.delete.length > 0) lines.push(vscode.l10n.t('Removed: {0}', plan.delete.length));
  if (lines.length === 0) lines.push(vscode.l10n.t('The files are already as they were: nothing to write.'));
  const sections = [lines.join('\n')];
  if (plan.conflicts.length > 0) {
    sections.push(`${vscode.l10n.t('Changed since, so they will be left as they are:')}\n${listed(plan.conflicts.map(conflictLine))}`);
  }
  if (plan.unrestorable.length > 0) sections.push(`${vscode.l10n.t('Cannot be restored (too large to keep):')}\n${listed(plan.unrestorable)}`);
  if (intent === 'restoreAndRewind') sections.push(vscode.l10n.t('This message and every later one also leave the conversation, and the model forgets them.'));
  if (hasChanges(plan)) sections.push(vscode.l10n.t('The diff editor shows what will change. The chat can undo the restore afterwards.'));
  return { ...restoreWords(intent), detail: sections.join('\n\n'), overwrite: plan.conflicts.length > 0 ? vscode.l10n.t('Overwrite Them Too') : null };
}

function restoreWords(intent: Exclude<RestoreIntent, 'rewind'>): { message: string; primary: string } {
  switch (intent) {
    case 'undoTurn':
      return { message: vscode.l10n.t('Undo the changes this turn made to files?'), primary: vscode.l10n.t('Undo Changes') };
    case 'undoRestore':
      return { message: vscode.l10n.t('Undo the restore, putting the files back as they were before it?'), primary: vscode.l10n.t('Undo Restore') };
    case 'restoreToHere':
      return { message: vscode.l10n.t('Restore the files to how they were before this message? The changes of its turn and every later one are undone.'), primary: vscode.l10n.t('Restore Files') };
    case 'restoreAndRewind':
      return { message: vscode.l10n.t('Restore the files and rewind the conversation to before this message?'), primary: vscode.l10n.t('Restore and Rewind') };
  }
}

export function rewindDialog(): { message: string; detail: string; primary: string } {
  return {
    message: vscode.l10n.t('Rewind the conversation to before this message?'),
    detail: vscode.l10n.t('This message and every later one leave the conversation, and the model forgets them. Files are not changed.'),
    primary: vscode.l10n.t('Rewind'),
  };
}

/** Whether restoring would change anything on disk (left-alone conflicts aside). */
export function hasChanges(plan: RestorePlan): boolean {
  return plan.write.length + plan.recreate.length + plan.delete.length > 0;
}

/** What to say after a restore that did not do everything; null when it did. */
export function restoreReport(result: ResultOf<typeof CheckpointRestore>): string | null {
  const parts: string[] = [];
  if (result.conflicts.length > 0) parts.push(vscode.l10n.t('Left as they are, changed since: {0}.', inline(result.conflicts.map(conflictLine))));
  if (result.failed.length > 0) parts.push(vscode.l10n.t('Could not restore: {0}.', inline(result.failed.map((f) => `${f.path} (${f.reason})`))));
  if (result.unrestorable.length > 0) parts.push(vscode.l10n.t('Cannot be restored (too large to keep): {0}.', inline(result.unrestorable)));
  if (parts.length === 0) return null;
  return vscode.l10n.t('Tandem restored {0} of the files. {1}', result.restored.length, parts.join(' '));
}

function conflictLine(conflict: RestoreConflict): string {
  return vscode.l10n.t({ message: '{0} ({1})', args: [conflict.path, conflictWord(conflict.now)], comment: ['A file, then how it changed since the turn: "src/a.ts (edited)"'] });
}

function conflictWord(now: RestoreConflict['now']): string {
  switch (now) {
    case 'modified':
      return vscode.l10n.t('edited');
    case 'deleted':
      return vscode.l10n.t('deleted');
    case 'added':
      return vscode.l10n.t('created');
    case 'unverifiable':
      return vscode.l10n.t('cannot be checked');
  }
}

function listed(items: readonly string[]): string {
  const shown = items.slice(0, LISTED_FILES);
  if (items.length > LISTED_FILES) shown.push(vscode.l10n.t('and {0} more', items.length - LISTED_FILES));
  return shown.join('\n');
}

function inline(items: readonly string[]): string {
  const shown = items.slice(0, LISTED_FILES);
  if (items.length > LISTED_FILES) shown.push(vscode.l10n.t('and {0} more', items.length - LISTED_FILES));
  return shown.join(', ');
}
