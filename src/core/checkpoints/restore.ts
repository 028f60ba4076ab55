// Restoring a workspace to a checkpoint's `before` state: only the files the turn changed, and of those
// only the ones still as the turn left them — a file the user changed since is a conflict, overwritten
// only when the caller names it. A restore snapshots the workspace first, so it can itself be undone.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { RawChange } from './diff';
import type { ShadowOps, SnapshotScope } from './shadowOps';
import type { ShadowRepo } from './shadowRepo';

/** What a restore starts from: the states before and after a turn (or a restore). */
export interface CheckpointRange {
  before: string;
  /** The state the turn left; null when it was not recorded (then the workspace as it is now counts as it). */
  after: string | null;
  /** Gitignored paths recorded on purpose (files a patch changed). */
  include?: readonly string[];
  /** What the snapshots hold; default "workspace". */
  scope?: SnapshotScope;
}

export type RestoreAction = 'write' | 'recreate' | 'delete';

export interface RestoreConflict {
  path: string;
  /** What the restore would do to it. */
  action: RestoreAction;
  /** How it differs now from the state the turn left; "unverifiable" when too large or unreadable to compare. */
  now: 'modified' | 'deleted' | 'added' | 'unverifiable';
}

export interface RestorePlan {
  workspace: string;
  before: string;
  after: string | null;
  include: string[];
  scope: SnapshotScope;
  /** Changed by the turn: written back. */
  write: string[];
  /** Deleted by the turn: recreated. */
  recreate: string[];
  /** Added by the turn: removed. */
  delete: string[];
  /** Changed since the turn: left alone unless listed in `overwrite`. */
  conflicts: RestoreConflict[];
  /** Added by the turn where a file too large to snapshot stood before: left alone. */
  unrestorable: string[];
}

export interface RestoreOptions {
  /** Conflicting paths to restore anyway. */
  overwrite?: readonly string[];
}

export interface RestoreResult {
  /** The workspace just before the restore: restoring from `undo` to `after` undoes this restore. */
  undo: string;
  /** The workspace just after the restore. */
  after: string;
  restored: string[];
  /** Conflicts left alone. */
  conflicts: RestoreConflict[];
  /** Paths that could not be put back, and why. */
  failed: Array<{ path: string; reason: string }>;
  unrestorable: string[];
}

function actionOf(change: RawChange): RestoreAction {
  return change.status === 'A' ? 'delete' : change.status === 'D' ? 'recreate' : 'write';
}

function driftOf(change: RawChange): RestoreConflict['now'] {
  return change.status === 'A' ? 'added' : change.status === 'D' ? 'deleted' : 'modified';
}

async function computePlan(ops: ShadowOps, range: CheckpointRange): Promise<RestorePlan> {
  const include = [...(range.include ?? [])];
  const scope = range.scope ?? 'workspace';
  const before = await ops.verifyCommit(range.before);
  const after = range.after === null ? null : await ops.verifyCommit(range.after);
  const current = await ops.worktreeTree(include, scope);
  const turn = await ops.rawDiff(before, after ?? current.tree);
  const drift = new Map((after ? await ops.rawDiff(after, current.tree) : []).map((c) => [c.path, c]));
  const differsFromBefore = new Set((await ops.rawDiff(before, current.tree)).map((c) => c.path));
  const skippedBefore = new Set((await ops.skippedOf(before)).map((s) => s.path));
  const skippedAfter = new Set((after ? await ops.skippedOf(after) : []).map((s) => s.path));
  const skippedNow = new Set(current.skipped.map((s) => s.path));

  const plan: RestorePlan = { workspace: ops.ctx.workTree, before, after, include, scope, write: [], recreate: [], delete: [], conflicts: [], unrestorable: [] };
  for (const change of turn) {
    const action = actionOf(change);
    // A file left out of the current snapshot cannot be compared: whatever it is now, ask.
    if (skippedNow.has(change.path)) {
      plan.conflicts.push({ path: change.path, action, now: 'unverifiable' });
      continue;
    }
    if (!differsFromBefore.has(change.path)) continue; // already as it was before the turn
    if (action === 'delete' && skippedBefore.has(change.path)) {
      plan.unrestorable.push(change.path);
      continue;
    }
    const drifted = drift.get(change.path);
    // Without the state the turn left (never recorded), what changed since cannot be told from the turn: ask.
    if (after === null || skippedAfter.has(change.path)) plan.conflicts.push({ path: change.path, action, now: 'unverifiable' });
    else if (drifted) plan.conflicts.push({ path: change.path, action, now: driftOf(drifted) });
    // Gone from the snapshots yet on disk (gitignored since): its content now is unknown to them, so ask.
    else if (action === 'recreate' && (await fs.lstat(path.join(ops.ctx.workTree, change.path)).catch(() => null))) plan.conflicts.push({ path: change.path, action, now: 'unverifiable' });
    else plan[action].push(change.path);
  }
  return plan;
}

/** What restoring the workspace to `range.before` would change. Touches nothing. */
export function planRestore(repo: ShadowRepo, range: CheckpointRange): Promise<RestorePlan> {
  return repo.exclusive((ops) => computePlan(ops, range));
}

/** Why `rel` must not be touched: a symlink or a file where a directory of its path should be, or null. */
async function blockedPath(workspace: string, rel: string): Promise<string | null> {
  const parts = rel.split('/');
  let current = workspace;
  for (const part of parts.slice(0, -1)) {
    current = path.join(current, part);
    const stat = await fs.lstat(current).catch(() => null);
    if (!stat) return null;
    if (!stat.isDirectory()) return `${path.relative(workspace, current)} is ${stat.isSymbolicLink() ? 'a symlink' : 'a file'} now`;
  }
  const target = await fs.lstat(path.join(workspace, rel)).catch(() => null);
  return target?.isDirectory() ? 'a directory is in the way' : null;
}

async function removeFile(workspace: string, rel: string): Promise<void> {
  await fs.rm(path.join(workspace, rel), { force: true });
  // Directories the removal left empty go too (rmdir fails on a non-empty one, which ends the walk).
  for (let dir = path.dirname(rel); dir !== '.' && dir !== ''; dir = path.dirname(dir)) {
    const removed = await fs.rmdir(path.join(workspace, dir)).then(
      () => true,
      () => false,
    );
    if (!removed) break;
  }
}

/**
 * Puts the files of `plan` back as they were before the turn: added files removed (and directories left
 * empty), deleted files recreated, changed files written back with their mode. The plan is recomputed
 * against the workspace as it is at that moment; conflicts are left alone unless in `options.overwrite`.
 * Gitignored and untouched files, and any .git, are never touched.
 */
export function restore(repo: ShadowRepo, plan: CheckpointRange, options: RestoreOptions = {}): Promise<RestoreResult> {
  return repo.exclusive(async (ops) => {
    const undo = await ops.snapshot(plan.include, plan.scope);
    const fresh = await computePlan(ops, plan);
    const overwrite = new Set(options.overwrite ?? []);
    const forced = fresh.conflicts.filter((c) => overwrite.has(c.path));
    const deletions = [...fresh.delete, ...forced.filter((c) => c.action === 'delete').map((c) => c.path)];
    const writes = [...fresh.write, ...fresh.recreate, ...forced.filter((c) => c.action !== 'delete').map((c) => c.path)];
    const workspace = ops.ctx.workTree;
    const failed: RestoreResult['failed'] = [];

    const writable: string[] = [];
    for (const rel of writes) {
      const blocked = await blockedPath(workspace, rel);
      if (blocked) failed.push({ path: rel, reason: blocked });
      else writable.push(rel);
    }
    let checkoutError = '';
    await ops.checkout(fresh.before, writable).catch((error: Error) => {
      checkoutError = error.message;
    });
    // Written back first, so the ignore rules are the ones from before the turn: a file they ignore was
    // out of the snapshots then, and may have been there all along (a .env the turn un-ignored), so it
    // stays unless the user named it.
    const ignoredNow = await ops.ignored(fresh.delete.filter((p) => !overwrite.has(p)));
    const left: RestoreConflict[] = [...ignoredNow].map((p) => ({ path: p, action: 'delete', now: 'unverifiable' }));
    for (const rel of deletions) {
      if (ignoredNow.has(rel)) continue;
      const blocked = await blockedPath(workspace, rel);
      if (blocked) failed.push({ path: rel, reason: blocked });
      else await removeFile(workspace, rel).catch((error: Error) => failed.push({ path: rel, reason: error.message }));
    }

    const post = await ops.snapshot(plan.include, plan.scope);
    // What is still not as it was before the turn, among the paths this restore handled, failed.
    const stillDifferent = new Set((await ops.rawDiff(fresh.before, post.sha)).map((c) => c.path));
    const failedPaths = new Set(failed.map((f) => f.path));
    const restored: string[] = [];
    for (const rel of [...deletions.filter((p) => !failedPaths.has(p) && !ignoredNow.has(p)), ...writable]) {
      if (stillDifferent.has(rel)) failed.push({ path: rel, reason: checkoutError || 'not restored' });
      else restored.push(rel);
    }
    return {
      undo: undo.sha,
      after: post.sha,
      restored,
      conflicts: [...fresh.conflicts.filter((c) => !overwrite.has(c.path)), ...left],
      failed,
      unrestorable: fresh.unrestorable,
    };
  });
}
