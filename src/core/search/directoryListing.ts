// One directory of a walk: its files, and its subdirectories queued to be listed later. The walk on the
// main thread and the one on a worker thread list directories with this same code, so both apply the same
// rules and keep the same order.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IgnoreRules } from './ignoreRules';
import { IGNORE_FILE_NAMES, isIgnored, makeLevel, readLevelFiles, type IgnoreLevel } from './ignoreScopes';

/** A directory still to be listed: its path relative to the root, '/'-separated ('' for the root). */
export interface PendingDir {
  dir: string;
  level: IgnoreLevel | undefined;
}

/** What every directory of one walk shares: the root and the global excludes file's rules. */
export interface WalkScope {
  root: string;
  global: IgnoreRules | undefined;
}

/** Paths come out with the platform's separator, as ripgrep prints them; ignore rules match on `/`. */
const BACKSLASHES = path.sep === '\\';

/** What precedes the names of the files of `dir` in the list: its path and a separator, the platform's. */
export function listPrefix(dir: string): string {
  if (!dir) return '';
  return BACKSLASHES ? `${dir.replaceAll('/', '\\')}\\` : `${dir}/`;
}

const NO_FILES: string[] = [];

/**
 * Lists `pending`: its subdirectories go on `stack` in listing order (the last is listed next), and the
 * names of its files are returned in listing order (a shared empty array when there are none). With `paths`,
 * the files' paths in the list (relative to the root) are pushed onto it too.
 */
export function listDirectory(scope: WalkScope, pending: PendingDir, stack: PendingDir[], paths?: string[]): string[] {
  const { root, global } = scope;
  const { dir } = pending;
  let { level } = pending;
  // `dir` is already normalised and '/'-separated, which Windows takes too: no path.join per directory.
  const absolute = dir ? `${root}/${dir}` : root;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(absolute, { withFileTypes: true });
  } catch {
    return NO_FILES;
  }
  // Indexed loops: a for-of allocates an iterator result per entry until the code is optimised.
  let special: Set<string> | undefined;
  for (let i = 0; i < entries.length; i++) {
    const name = entries[i]!.name;
    if (name.charCodeAt(0) === 46 /* . */ && IGNORE_FILE_NAMES.has(name)) (special ??= new Set()).add(name);
  }
  if (special) level = makeLevel(level, { strip: dir ? dir.length + 1 : 0, prefix: '' }, readLevelFiles(absolute, special));
  const checkDirs = level?.active || global !== undefined;
  const checkFiles = level?.activeForFiles || global?.matchesFiles;
  let names: string[] | undefined;
  const prefix = dir ? `${dir}/` : '';
  const pathPrefix = paths && (BACKSLASHES ? listPrefix(dir) : prefix);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const name = entry.name;
    if (name === '.git') continue;
    const isDir = entry.isDirectory();
    if (!isDir && !entry.isFile()) continue;
    if (isDir) {
      const rel = prefix + name;
      if (checkDirs && isIgnored(level, global, rel, name, true)) continue;
      stack.push({ dir: rel, level });
    } else {
      // A file's relative path is only needed when a rule could match it.
      if (checkFiles && isIgnored(level, global, prefix + name, name, false)) continue;
      (names ??= []).push(name);
      if (paths) paths.push(pathPrefix + name);
    }
  }
  return names ?? NO_FILES;
}
