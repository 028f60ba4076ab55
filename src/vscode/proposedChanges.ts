// What a pending patch would leave in each file: the file as it is now with the item's unified diff
// applied. Free of the vscode module so it is tested on its own (its words go through @vscode/l10n);
// patchReview.ts shows the result.
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs/promises';
import { applyPatch, reversePatch, parsePatch } from 'diff';
import type { FileUpdateChange } from '../protocol';

export interface ProposedFile {
  /** The file on disk now (for a move, where it is now). */
  path: string;
  /** Where the content ends up (a move's target, else `path`). */
  targetPath: string;
  kind: 'add' | 'delete' | 'update';
  current: string;
  proposed: string;
}

export class ProposalError extends Error {}

async function readOrEmpty(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/** The proposed content of every file of a change that has not been written yet. */
export async function proposedFiles(changes: readonly FileUpdateChange[]): Promise<ProposedFile[]> {
  const files: ProposedFile[] = [];
  for (const change of changes) {
    const current = await readOrEmpty(change.path);
    // An added file's change carries its content, a deleted one's what it held; an update its hunks.
    const proposed = change.kind.type === 'add' ? change.diff : change.kind.type === 'delete' ? '' : applyPatch(current, change.diff);
    if (proposed === false) throw new ProposalError(l10n.t('{0} changed since the patch was proposed; its diff no longer applies.', change.path));
    const targetPath = change.kind.type === 'update' && change.kind.move_path ? change.kind.move_path : change.path;
    files.push({ path: change.path, targetPath, kind: change.kind.type, current, proposed });
  }
  return files;
}

/** A written change seen again: its content before (the diff undone on today's file) and now. */
export async function appliedFile(change: FileUpdateChange): Promise<{ before: string; after: string; path: string }> {
  const target = change.kind.type === 'update' && change.kind.move_path ? change.kind.move_path : change.path;
  const after = await readOrEmpty(target);
  if (change.kind.type === 'add') return { before: '', after, path: target };
  if (change.kind.type === 'delete') return { before: change.diff, after, path: target };
  const patches = parsePatch(change.diff);
  const before = patches.length === 1 ? applyPatch(after, reversePatch(patches[0]!)) : false;
  if (before === false) throw new ProposalError(l10n.t('{0} has changed since; its diff no longer applies in reverse.', target));
  return { before, after, path: target };
}
