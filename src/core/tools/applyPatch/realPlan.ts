// A patch plan as it meets the disk: which paths it writes and which it removes, and the plan rewritten to
// the resolved targets, so a file symlink inside the workspace stays a link while its target changes, and
// an unlink (a delete, the source of a move) removes the entry itself.
import * as path from 'node:path';
import type { FileUpdateChange } from '../../../protocol';
import type { PatchTarget } from '../../approvals/patchRule';
import type { PlannedChange } from './applier';
import type { PatchIntentFile } from '../../rollout/records';
import { sha256 } from '../../rollout/interrupted';

export interface TouchedPath {
  file: string;
  unlink: boolean;
}

export function touchedPaths(plan: readonly PlannedChange[]): TouchedPath[] {
  return plan.flatMap((change): TouchedPath[] => {
    if (change.kind === 'delete') return [{ file: change.path, unlink: true }];
    if (change.movePath) return [{ file: change.path, unlink: true }, { file: change.movePath, unlink: false }];
    return [{ file: change.path, unlink: false }];
  });
}

function lookup(targets: readonly PatchTarget[]): (file: string, unlink: boolean) => string {
  const key = (file: string, unlink: boolean) => `${unlink ? 'unlink' : 'write'}\u0000${path.resolve(file)}`;
  const real = new Map(targets.map((t) => [key(t.lexical, t.unlink === true), t.real]));
  return (file, unlink) => real.get(key(file, unlink)) ?? file;
}

/** The plan with every path replaced by the checked real path it stands for. */
export function throughLinks(plan: readonly PlannedChange[], targets: readonly PatchTarget[]): PlannedChange[] {
  const real = lookup(targets);
  return plan.map((change) => {
    if (change.kind === 'delete') return { ...change, path: real(change.path, true) };
    if (change.movePath) return { ...change, path: real(change.path, true), movePath: real(change.movePath, false) };
    return { ...change, path: real(change.path, false) };
  });
}

/** The item's view of a change: where it really lands, so the user reviews the file that changes. */
export function toChange(change: PlannedChange, targets: readonly PatchTarget[]): FileUpdateChange {
  const real = lookup(targets);
  const kind = change.kind === 'update' ? { type: 'update' as const, move_path: change.movePath ? real(change.movePath, false) : null } : { type: change.kind };
  // As codex reports changes: an added or deleted file carries its content, an update its unified hunks.
  const diff = change.kind === 'add' ? (change.newContent ?? '') : change.kind === 'delete' ? (change.oldContent ?? '') : change.diff;
  return { path: real(change.path, change.kind === 'delete' || change.movePath !== undefined), kind, diff };
}

/** What each real path holds once the plan is written: the SHA-256 of its content, or null when removed. */
export function patchIntent(realPlan: readonly PlannedChange[]): PatchIntentFile[] {
  const after = new Map<string, string | null>();
  for (const change of realPlan) {
    if (change.kind === 'delete') {
      after.set(change.path, null);
      continue;
    }
    const target = change.movePath ?? change.path;
    if (target !== change.path) after.set(change.path, null);
    after.set(target, sha256(change.newContent ?? ''));
  }
  return [...after].map(([file, hash]) => ({ path: file, sha256: hash }));
}
