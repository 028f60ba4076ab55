// Before a snapshot: how much it would add (files not yet in the shadow index, and files changed since),
// so a huge workspace is refused up front instead of being copied into Tandem's home. Single files over
// the per-file bound are left out of the snapshot and listed.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { CheckpointError } from './errors';
import { gitRecords, type ShadowGitContext } from './shadowGit';

export interface SnapshotLimits {
  /** Most files one snapshot may add. */
  maxFiles: number;
  /** Most bytes one snapshot may add. */
  maxBytes: number;
  /** Files larger than this are left out of snapshots (and so never restored). */
  maxFileBytes: number;
}

export const DEFAULT_SNAPSHOT_LIMITS: SnapshotLimits = {
  maxFiles: 50_000,
  maxBytes: 500 * 1024 * 1024,
  maxFileBytes: 50 * 1024 * 1024,
};

export interface SkippedFile {
  /** Workspace-relative, with forward slashes. */
  path: string;
  bytes: number;
  reason: 'tooLarge' | 'unreadable';
}

export interface PendingSize {
  files: number;
  bytes: number;
  /** Files over the per-file bound: not snapshotted. */
  skipped: SkippedFile[];
  /** Nested repositories (without the trailing slash): never snapshotted. */
  nested: string[];
  /** Paths git listed as new, changed or deleted since the index was written (nested repositories aside). */
  listed: number;
}

const STAT_BATCH = 64;

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 10 ? String(Math.round(mb)) : mb.toFixed(1);
}

export function tooLargeMessage(workspace: string, files: number, bytes: number, limits: SnapshotLimits, stoppedEarly: boolean, consequence: string): string {
  const count = stoppedEarly ? `more than ${limits.maxFiles.toLocaleString('en-US')} files` : `${files.toLocaleString('en-US')} files, ${megabytes(bytes)} MB`;
  return (
    `${workspace} is too large to snapshot (${count}; the limit is ${limits.maxFiles.toLocaleString('en-US')} files and ${megabytes(limits.maxBytes)} MB); ` +
    consequence
  );
}

/**
 * Measures what staging the workspace into `index` would add; throws a `tooLarge` CheckpointError when
 * over the bounds, saying `consequence`. `include` names paths staged even though they are gitignored.
 */
export async function measurePending(ctx: ShadowGitContext, index: string, include: readonly string[], limits: SnapshotLimits, consequence: string): Promise<PendingSize> {
  const candidates = new Set<string>(include);
  const nested: string[] = [];
  let stoppedEarly = false;
  let listed = 0;
  await gitRecords(ctx, ['ls-files', '-z', '--others', '--modified', '--exclude-standard'], { index }, (record) => {
    // A nested repository shows as "dir/": it is never snapshotted.
    if (record.endsWith('/')) {
      nested.push(record.slice(0, -1));
      return true;
    }
    listed += 1;
    candidates.add(record);
    if (candidates.size > limits.maxFiles) {
      stoppedEarly = true;
      return false;
    }
    return true;
  });
  if (stoppedEarly) throw new CheckpointError('tooLarge', tooLargeMessage(ctx.workTree, candidates.size, 0, limits, true, consequence));

  const list = [...candidates];
  let files = 0;
  let bytes = 0;
  const skipped: SkippedFile[] = [];
  for (let i = 0; i < list.length; i += STAT_BATCH) {
    const batch = list.slice(i, i + STAT_BATCH);
    const sizes = await Promise.all(batch.map((rel) => fs.lstat(path.join(ctx.workTree, rel)).then((s) => (s.isFile() || s.isSymbolicLink() ? s.size : null), () => null)));
    sizes.forEach((size, j) => {
      if (size === null) return; // deleted since: adds nothing
      if (size > limits.maxFileBytes) skipped.push({ path: batch[j]!, bytes: size, reason: 'tooLarge' });
      else {
        files += 1;
        bytes += size;
      }
    });
  }
  if (files > limits.maxFiles || bytes > limits.maxBytes) throw new CheckpointError('tooLarge', tooLargeMessage(ctx.workTree, files, bytes, limits, false, consequence));
  return { files, bytes, skipped, nested, listed };
}

/** Splits named files into those within the per-file bound and those left out as too large. */
export async function measureFiles(workTree: string, paths: readonly string[], limits: SnapshotLimits): Promise<{ files: string[]; skipped: SkippedFile[] }> {
  const sizes = await Promise.all(paths.map((rel) => fs.lstat(path.join(workTree, rel)).then((s) => s.size, () => 0)));
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  paths.forEach((rel, i) => {
    const bytes = sizes[i] ?? 0;
    if (bytes > limits.maxFileBytes) skipped.push({ path: rel, bytes, reason: 'tooLarge' });
    else files.push(rel);
  });
  return { files, skipped };
}
