// A project's own config: `.codex/config.toml` in each folder from the repository root down to the
// thread's folder, applied only where the user trusts the folder (`[projects."<abs path>"] trust_level =
// "trusted"`, on the folder itself or on its repository's root), as codex 0.169 layers them. The config
// files are the user's own; a project folder could otherwise pick the model or the sandbox for them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigTable } from './table';
import { isTable } from './table';

export type TrustLevel = 'trusted' | 'untrusted';

export interface ProjectConfigFolder {
  /** The `.codex` folder. */
  dotCodexFolder: string;
  file: string;
  trusted: boolean;
}

/** The `.codex/config.toml` files that apply to `cwd`, root first, each with whether its folder is trusted. */
export function projectConfigFolders(cwd: string, projects: unknown): ProjectConfigFolder[] {
  const resolved = path.resolve(cwd);
  // Only a real repository widens the search; without one, just the folder itself.
  const root = repositoryRoot(resolved) ?? resolved;
  const dirs: string[] = [];
  for (let dir = resolved; ; dir = path.dirname(dir)) {
    dirs.unshift(dir);
    if (dir === root || path.dirname(dir) === dir) break;
  }
  const folders: ProjectConfigFolder[] = [];
  for (const dir of dirs) {
    const dotCodexFolder = path.join(dir, '.codex');
    const file = path.join(dotCodexFolder, 'config.toml');
    if (!isFile(file)) continue;
    folders.push({ dotCodexFolder, file, trusted: trustOf(dir, projects) === 'trusted' });
  }
  return folders;
}

/** A folder's trust: its own `[projects]` entry, else its repository root's. */
export function trustOf(dir: string, projects: unknown): TrustLevel | undefined {
  if (!isTable(projects)) return undefined;
  const own = entryFor(path.resolve(dir), projects);
  if (own) return own;
  const root = repositoryRoot(path.resolve(dir));
  return root ? entryFor(root, projects) : undefined;
}

function entryFor(dir: string, projects: ConfigTable): TrustLevel | undefined {
  const real = realPath(dir);
  for (const [key, value] of Object.entries(projects)) {
    if (!isTable(value) || !path.isAbsolute(key)) continue;
    const at = path.resolve(key);
    if (at !== dir && at !== real && realPath(at) !== real) continue;
    const level = value.trust_level;
    if (level === 'trusted' || level === 'untrusted') return level;
  }
  return undefined;
}

/** The nearest ancestor holding a git repository: a `.git` folder with a HEAD, or a `.git` file naming one. */
export function repositoryRoot(start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const git = path.join(dir, '.git');
    if (isFile(path.join(git, 'HEAD')) || (isFile(git) && readHead(git).startsWith('gitdir:'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readHead(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(0, 16);
  } catch {
    return '';
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function realPath(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return dir;
  }
}
