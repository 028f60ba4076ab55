// What stays read-only (or unreadable) inside a writable root. A `.git` that a sandboxed command can write
// runs code outside the sandbox later (a planted core.fsmonitor or hook runs on the next `git status`), and
// Tandem's home holds the approval policy and the credentials. The sandbox layers these over the writable
// binds; everything here works on real paths, because binds do and a symlinked root must not hide them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROTECTED_NAMES } from '../approvals/protectedNames';
import { isInside } from '../approvals/realPath';
import { compareCodeUnits } from '../codeUnitOrder';

/**
 * How many directories the nested `.git` scan reads per command, over all writable roots. A scan runs
 * before every sandboxed command, so it must stay in the tens of milliseconds even when a writable root is
 * a home folder (about 50 ms for 4000 folders, measured on Linux with a warm cache); breadth first, so the shallow repositories (where checkouts and submodules live) are seen
 * before the budget runs out. What is not scanned is reported in `warnings`, never dropped quietly.
 */
export const MAX_SCANNED_DIRS = 4000;

/** Files of a home that hold credentials: auth.json (sign-in) and .credentials.json (MCP OAuth, Codex). */
export const CREDENTIAL_FILES = ['auth.json', '.credentials.json'] as const;

export interface ProtectedMounts {
  /** Real paths of the writable roots that exist (nested ones folded into their parent for the scan). */
  roots: string[];
  /**
   * What to bind writable, shallow first: the roots, and every folder between a root and a protected path
   * or a nested root. Each becomes a mount point, and a mount point cannot be renamed: otherwise a command
   * could move a protected folder's parent aside and build a writable copy in its place.
   */
  writable: string[];
  /** Real paths of homes holding credentials, to replace by an empty read-only folder. */
  hidden: string[];
  /** Real paths to bind read-only over themselves after the writable binds. */
  readOnly: string[];
  /** Real paths of credential files to hide behind /dev/null. */
  masked: string[];
  /** What could not be protected, said once per command. */
  warnings: string[];
}

export interface ProtectedPathsInput {
  /** Writable roots as the policy names them. */
  roots: readonly string[];
  /** Tandem's home. */
  home?: string;
  /** Codex's home, for its auth.json: `CODEX_HOME`, else ~/.codex. */
  codexHome?: string;
  /** Where commands start; a home that contains it cannot be hidden. */
  cwd?: string;
  /** For tests: a smaller scan budget than MAX_SCANNED_DIRS. */
  maxScannedDirs?: number;
}

export function protectedMounts(input: ProtectedPathsInput): ProtectedMounts {
  const roots = realRoots(input.roots);
  const readOnly = new Set<string>();
  const warnings: string[] = [];
  const inRoot = (file: string) => roots.some((root) => isInside(file, root));

  for (const root of roots) {
    for (const name of PROTECTED_NAMES) protectEntry(path.join(root, name), inRoot, readOnly, warnings);
  }
  // The thread's own folder first, so clutter elsewhere (a crowded /tmp) cannot use up the budget.
  const cwd = input.cwd ? realPath(input.cwd) : undefined;
  const scanRoots = outermost(roots).sort((a, b) => Number(cwd !== undefined && isInside(cwd, b)) - Number(cwd !== undefined && isInside(cwd, a)));
  scanNestedGit(scanRoots, input.maxScannedDirs ?? MAX_SCANNED_DIRS, inRoot, readOnly, warnings);
  // A repository found once stays protected while it exists, even when a later scan runs out of budget
  // (a command can pad a workspace with folders to starve the scan before it attacks a deep repository).
  for (const known of knownNestedGit) {
    if (inRoot(known) && fs.existsSync(known)) readOnly.add(known);
  }
  for (const found of readOnly) if (path.basename(found) === '.git') rememberNestedGit(found);

  if (input.home) {
    const home = realPath(input.home);
    if (home && inRoot(home)) readOnly.add(home);
    else if (!home && inRoot(path.resolve(input.home))) warnings.push(`Tandem's home ${input.home} does not exist yet; a sandboxed command could create it`);
  }

  // A home is hidden whole (an empty read-only folder) unless the sandbox needs something inside it; a
  // credential file masked alone would show again once rewritten by a rename (a token refresh).
  const masked = new Set<string>();
  const hidden = new Set<string>();
  const needed = [...roots, ...(input.cwd ? [realPath(input.cwd) ?? path.resolve(input.cwd)] : [])];
  const homes = [input.home, input.codexHome ?? defaultCodexHome()].filter((h): h is string => Boolean(h));
  for (const home of homes) {
    const real = realPath(home);
    // Hidden even when the thread works inside it or a root contains it: mounts go shallow first, so the
    // roots inside are bound again on top of the empty folder. Only a home that is itself a root or the
    // cwd, or holds a cwd that no root brings back, must stay as it is.
    const cwdStranded = cwd !== undefined && real !== undefined && isInside(cwd, real) && !roots.some((r) => isInside(cwd, r));
    if (real && fs.statSync(real, { throwIfNoEntry: false })?.isDirectory() && !needed.includes(real) && !cwdStranded) {
      hidden.add(real);
      continue;
    }
    for (const name of CREDENTIAL_FILES) {
      const file = realPath(path.join(home, name));
      if (file && fs.statSync(file, { throwIfNoEntry: false })?.isFile()) masked.add(file);
    }
  }
  const hiddenList = [...hidden].sort();
  const isHidden = (p: string) => hiddenList.some((h) => isInside(p, h));
  // Inside a hidden home only the roots themselves come back; a protected path there is read-only anyway.
  const kept = withoutNested([...readOnly]).filter((p) => !isHidden(p) || roots.some((r) => isInside(p, r) && isHidden(r)));
  const writable = mountPoints(roots, kept).filter((dir) => !isHidden(dir) || roots.includes(dir));
  return { roots, writable, readOnly: kept, hidden: hiddenList, masked: [...masked].sort(), warnings: [...new Set(warnings)] };
}

/** The roots plus every folder strictly between a root and a path below it (protected paths, nested roots), shallow first. */
function mountPoints(roots: readonly string[], protectedPaths: readonly string[]): string[] {
  const points = new Set<string>(roots);
  for (const target of [...protectedPaths, ...roots]) {
    for (const root of roots) {
      if (target === root || !isInside(target, root)) continue;
      for (let dir = path.dirname(target); dir !== root && isInside(dir, root); dir = path.dirname(dir)) points.add(dir);
    }
  }
  return [...points].sort((a, b) => pathDepth(a) - pathDepth(b) || compareCodeUnits(a, b));
}

/** How many folders deep a path is: mounts go shallow first. */
export function pathDepth(file: string): number {
  return file.split(path.sep).length;
}

/** Nested repositories seen by any scan of this process; bounded, oldest forgotten first. */
const knownNestedGit = new Set<string>();
const MAX_KNOWN_NESTED_GIT = 10_000;

function rememberNestedGit(gitDir: string): void {
  knownNestedGit.delete(gitDir);
  knownNestedGit.add(gitDir);
  if (knownNestedGit.size > MAX_KNOWN_NESTED_GIT) knownNestedGit.delete(knownNestedGit.values().next().value!);
}

/** `CODEX_HOME`, else ~/.codex. */
export function defaultCodexHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.CODEX_HOME?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(os.homedir(), '.codex');
}

/** Protected names under a root for a profile that can deny paths before they exist (seatbelt). */
export function protectedNamesUnder(root: string): string[] {
  return PROTECTED_NAMES.map((name) => path.join(root, name));
}

/** The real path, or undefined when it does not exist (or cannot be resolved). */
export function realPath(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

function realRoots(roots: readonly string[]): string[] {
  const out: string[] = [];
  for (const root of roots) {
    const real = realPath(root);
    if (real && !out.includes(real)) out.push(real);
  }
  return out;
}

/** Roots not inside another root: scanning those covers all. */
function outermost(roots: string[]): string[] {
  return roots.filter((root) => !roots.some((other) => other !== root && isInside(root, other)));
}

/** Drops paths inside another path of the list (the outer read-only bind covers them), sorted. */
function withoutNested(paths: string[]): string[] {
  const sorted = [...new Set(paths)].sort();
  return sorted.filter((p) => !sorted.some((other) => other !== p && isInside(p, other)));
}

/**
 * One protected entry (`.git`, `.tandem`, `.codex`): a folder is bound read-only; a `.git` file (worktree,
 * submodule) is bound read-only and so is the git dir it names — and that one's common dir — when they lie
 * inside a writable root. A symlink resolves to its target, but the link itself can still be replaced.
 */
function protectEntry(entry: string, inRoot: (file: string) => boolean, readOnly: Set<string>, warnings: string[]): void {
  const stat = fs.lstatSync(entry, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isSymbolicLink()) {
    warnings.push(`${entry} is a symbolic link: its target is read-only, but the link itself can be replaced`);
    const target = realPath(entry);
    if (target && inRoot(target)) readOnly.add(target);
    if (target && path.basename(entry) === '.git' && fs.statSync(target).isFile()) protectGitFile(target, inRoot, readOnly, warnings);
    return;
  }
  readOnly.add(entry);
  if (stat.isFile() && path.basename(entry) === '.git') protectGitFile(entry, inRoot, readOnly, warnings);
}

/** A `.git` file says `gitdir: PATH`; that folder (and the `commondir` it points to) hold config and hooks. */
function protectGitFile(file: string, inRoot: (file: string) => boolean, readOnly: Set<string>, warnings: string[]): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    warnings.push(`cannot read ${file}: ${(error as Error).message}`);
    return;
  }
  const match = /^gitdir:\s*(.+?)\s*$/m.exec(text);
  if (!match?.[1]) return;
  const gitDir = realPath(path.resolve(path.dirname(file), match[1]));
  if (!gitDir) return;
  if (inRoot(gitDir)) readOnly.add(gitDir);
  let common: string | undefined;
  try {
    common = fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim();
  } catch {
    return; // a submodule's git dir has no commondir
  }
  const commonDir = common ? realPath(path.resolve(gitDir, common)) : undefined;
  if (commonDir && inRoot(commonDir)) readOnly.add(commonDir);
}

/**
 * Breadth-first over the roots for `.git` entries below the top level, within MAX_SCANNED_DIRS. It does
 * not descend into a `.git` (already protected whole) nor follow symlinks (their targets are either inside a
 * root, where the scan meets them by their real path, or outside, where they are read-only anyway).
 */
function scanNestedGit(roots: string[], budget: number, inRoot: (file: string) => boolean, readOnly: Set<string>, warnings: string[]): void {
  const queue: string[] = [...roots];
  let visited = 0;
  let unreadable = 0;
  for (let head = 0; head < queue.length; head++) {
    if (visited >= budget) {
      const pending = queue.slice(head, head + 3).join(', ');
      warnings.push(`stopped looking for nested .git folders after ${budget} folders; ${queue.length - head} folders not scanned (${pending}, …): a repository below them stays writable`);
      return;
    }
    const dir = queue[head]!;
    visited++;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      // Another user's folder we cannot list, the sandbox (running as us) cannot write either; our own
      // unreadable folder it could chmod and write, so that one is reported.
      if (fs.statSync(dir, { throwIfNoEntry: false })?.uid === process.getuid?.()) unreadable++;
      continue;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.name === '.git') {
        if (!roots.includes(dir)) protectEntry(full, inRoot, readOnly, warnings);
      } else if (entry.isDirectory()) queue.push(full);
    }
  }
  if (unreadable > 0) warnings.push(`${unreadable} folders inside the writable roots could not be read while looking for nested .git folders`);
}
