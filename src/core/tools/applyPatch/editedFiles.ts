// A patch the user reviewed hunk by hunk (Tandem's `tandemAcceptedFiles[].content`): what gets written is
// the content the user accepted — some hunks kept, some rejected, their own edits — and the model is told
// exactly how that differs from what it proposed, so it neither redoes a rejected hunk nor undoes an edit.
import * as path from 'node:path';
import type { FileUpdateChange } from '../../../protocol';
import { unifiedDiff, type PlannedChange } from './applier';

export interface EditedFile {
  index: number;
  proposed: string;
  written: string;
}

/**
 * The plan with the user's content in place of the proposal for the files named in `edits` (by the item's
 * path), or why it cannot be: content for a file the patch deletes, or for a path it does not change.
 */
export function withEdits(plan: readonly PlannedChange[], changes: readonly FileUpdateChange[], edits: ReadonlyMap<string, string> | undefined, cwd: string): { plan: PlannedChange[]; edited: EditedFile[] } | { error: string } {
  if (!edits || edits.size === 0) return { plan: [...plan], edited: [] };
  const next = [...plan];
  const edited: EditedFile[] = [];
  for (const [file, content] of edits) {
    const index = changes.findIndex((change) => change.path === file);
    const change = plan[index];
    if (!change) return { error: `the approval gave content for ${file}, which this patch does not change` };
    if (change.kind === 'delete') return { error: `the approval gave content for ${file}, which this patch deletes` };
    const proposed = change.newContent ?? '';
    if (content === proposed) continue;
    const rel = (p: string) => path.relative(cwd, p) || p;
    next[index] = { ...change, newContent: content, diff: unifiedDiff(rel(change.path), rel(change.movePath ?? change.path), change.oldContent ?? '', content) };
    edited.push({ index, proposed, written: content });
  }
  return { plan: next, edited };
}

/** What the model reads after the usual summary: per edited file, the diff from its proposal to what was written. */
export function editedOutput(edited: readonly EditedFile[], plan: readonly PlannedChange[], cwd: string): string {
  if (edited.length === 0) return '';
  const rel = (p: string) => path.relative(cwd, p) || p;
  const parts = edited.map(({ index, proposed, written }) => {
    const change = plan[index]!;
    const name = rel(change.movePath ?? change.path);
    return unifiedDiff(`${name} (your proposal)`, `${name} (written)`, proposed, written).trimEnd();
  });
  return [
    `The user reviewed this patch and changed ${edited.length === 1 ? 'one file' : `${edited.length} files`} before it was written (hunks rejected or edited). What was written differs from your proposal by:`,
    ...parts,
    'Build on the files as they are now: do not make again what the user removed or undo what they changed; if something is still needed, ask the user.',
    '',
  ].join('\n');
}
