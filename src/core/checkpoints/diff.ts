// Reads `git diff-tree -z --raw --numstat` output into per-file changes. The raw part gives status and
// modes, the numstat part (same order) the line counts.

export type FileChangeStatus = 'added' | 'deleted' | 'modified' | 'renamed';

export interface FileChange {
  /** Workspace-relative path, forward slashes; for a rename, the new path. */
  path: string;
  /** For a rename, the old path. */
  oldPath?: string;
  status: FileChangeStatus;
  additions: number;
  deletions: number;
  /** Binary content: no line counts. */
  binary: boolean;
}

/** One entry of `--raw` output. */
export interface RawChange {
  /** A (added), D (deleted), M (modified), T (type change, e.g. file to symlink), R (renamed). */
  status: string;
  oldMode: string;
  newMode: string;
  path: string;
  oldPath?: string;
}

/** Gitlinks (nested repositories) are never part of a checkpoint. */
export const GITLINK_MODE = '160000';

interface Parsed {
  raw: RawChange[];
  counts: Array<{ additions: number; deletions: number; binary: boolean }>;
}

function parse(records: readonly string[]): Parsed {
  const raw: RawChange[] = [];
  const counts: Parsed['counts'] = [];
  let i = 0;
  while (i < records.length && records[i]!.startsWith(':')) {
    const [oldMode = '', newMode = '', , , status = ''] = records[i]!.slice(1).split(' ');
    const letter = status.charAt(0);
    if (letter === 'R' || letter === 'C') {
      raw.push({ status: letter, oldMode, newMode, oldPath: records[i + 1] ?? '', path: records[i + 2] ?? '' });
      i += 3;
    } else {
      raw.push({ status: letter, oldMode, newMode, path: records[i + 1] ?? '' });
      i += 2;
    }
  }
  while (i < records.length) {
    const [added = '', deleted = '', inlinePath = ''] = records[i]!.split('\t');
    const binary = added === '-';
    counts.push({ additions: binary ? 0 : Number(added), deletions: binary ? 0 : Number(deleted), binary });
    i += inlinePath === '' ? 3 : 1;
  }
  return { raw, counts };
}

/** Raw changes only (for `--raw` without `--numstat`). */
export function parseRaw(records: readonly string[]): RawChange[] {
  return parse(records).raw.filter((change) => change.oldMode !== GITLINK_MODE && change.newMode !== GITLINK_MODE);
}

/** Per-file changes from `--raw --numstat` output. */
export function parseFileChanges(records: readonly string[]): FileChange[] {
  const { raw, counts } = parse(records);
  const changes: FileChange[] = [];
  raw.forEach((entry, index) => {
    if (entry.oldMode === GITLINK_MODE || entry.newMode === GITLINK_MODE) return;
    const count = counts[index] ?? { additions: 0, deletions: 0, binary: false };
    const status: FileChangeStatus = entry.status === 'A' ? 'added' : entry.status === 'D' ? 'deleted' : entry.status === 'R' ? 'renamed' : 'modified';
    changes.push({ path: entry.path, ...(entry.oldPath !== undefined ? { oldPath: entry.oldPath } : {}), status, ...count });
  });
  return changes;
}
