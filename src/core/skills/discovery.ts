// Where skills live for a folder, in codex's order, and what is found there. Repository skills come from
// `.codex/skills` in each folder from cwd up to the repository root (only cwd outside a repository) and
// from `.agents/skills` in the same folders; user skills from the home's `skills/` and `~/.agents/skills`;
// codex's bundled skills from the home's `skills/.system`; admin skills from `/etc/codex/skills`.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SkillErrorInfo, SkillMetadata, SkillScope } from '../../protocol';
import { findProjectRoot } from '../thread/agentsMd';
import { readSkill, SKILL_FILE, SkillFileError, type Skill } from './skillFile';
import { compareCodeUnits } from '../codeUnitOrder';

/** A skills folder is small; a link into a large tree must not stall a thread's first turn. */
const MAX_FOLDERS_PER_ROOT = 2_000;
const MAX_DEPTH = 8;

export interface SkillLocations {
  /** Tandem's home: its `skills/` folder holds the user's skills. */
  home: string;
  /** The user's home folder, for `~/.agents/skills` (default: the OS's). */
  userHome?: string;
  /** Machine-wide skills (default `/etc/codex/skills`). */
  adminDir?: string;
}

export interface SkillRoot {
  path: string;
  scope: SkillScope;
}

export interface SkillCatalog {
  roots: SkillRoot[];
  skills: Skill[];
  errors: SkillErrorInfo[];
}

const LIST_RANK: Record<SkillScope, number> = { repo: 0, user: 1, system: 2, admin: 3 };

export async function discoverSkills(cwd: string, locations: SkillLocations): Promise<SkillCatalog> {
  const roots = await skillRoots(cwd, locations);
  const skills: Skill[] = [];
  const errors: SkillErrorInfo[] = [];
  for (const root of roots) {
    for (const file of await skillFiles(root.path)) {
      try {
        skills.push(await readSkill(file, root.path, root.scope));
      } catch (error) {
        // A broken bundled skill is codex's to fix, not the user's: it is left out quietly.
        if (error instanceof SkillFileError && root.scope !== 'system') errors.push({ path: file, message: error.message });
      }
    }
  }
  skills.sort((a, b) => LIST_RANK[a.metadata.scope] - LIST_RANK[b.metadata.scope] || compareCodeUnits(a.metadata.name, b.metadata.name) || compareCodeUnits(a.metadata.path, b.metadata.path));
  errors.sort((a, b) => compareCodeUnits(a.path, b.path));
  return { roots, skills, errors };
}

/** What `skills/list` answers for one folder. */
export async function listSkills(cwd: string, locations: SkillLocations): Promise<{ skills: SkillMetadata[]; errors: SkillErrorInfo[] }> {
  const catalog = await discoverSkills(cwd, locations);
  return { skills: catalog.skills.map((skill) => skill.metadata), errors: catalog.errors };
}

export async function skillRoots(cwd: string, locations: SkillLocations): Promise<SkillRoot[]> {
  const base = await realpathOr(path.resolve(cwd));
  const projectRoot = (await isDirectory(base)) ? await findProjectRoot(base) : undefined;
  const folders: string[] = [];
  for (let dir = base; ; dir = path.dirname(dir)) {
    folders.push(dir);
    if (!projectRoot || dir === projectRoot || path.dirname(dir) === dir) break;
  }
  const home = await realpathOr(path.resolve(locations.home));
  const candidates: SkillRoot[] = [
    ...folders.map((dir) => ({ path: path.join(dir, '.codex', 'skills'), scope: 'repo' as const })),
    { path: path.join(home, 'skills'), scope: 'user' },
    { path: path.join(await realpathOr(locations.userHome ?? os.homedir()), '.agents', 'skills'), scope: 'user' },
    { path: path.join(home, 'skills', '.system'), scope: 'system' },
    { path: locations.adminDir ?? '/etc/codex/skills', scope: 'admin' },
    ...[...folders].reverse().map((dir) => ({ path: path.join(dir, '.agents', 'skills'), scope: 'repo' as const })),
  ];
  const roots: SkillRoot[] = [];
  for (const root of candidates) {
    if (roots.some((r) => r.path === root.path) || !(await isDirectory(root.path))) continue;
    roots.push(root);
  }
  return roots;
}

/** Every SKILL.md under `root`, breadth first; hidden entries are skipped (the bundled `.system` is a root of its own). */
async function skillFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  const queue: Array<{ dir: string; depth: number }> = [{ dir: root, depth: 0 }];
  while (queue.length > 0 && seen.size < MAX_FOLDERS_PER_ROOT) {
    const { dir, depth } = queue.shift()!;
    const real = await realpathOr(dir);
    if (seen.has(real)) continue;
    seen.add(real);
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => compareCodeUnits(a.name, b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      const stat = entry.isSymbolicLink() ? await fs.stat(full).catch(() => undefined) : entry;
      if (stat?.isDirectory()) {
        if (depth < MAX_DEPTH) queue.push({ dir: full, depth: depth + 1 });
      } else if (stat?.isFile() && entry.name === SKILL_FILE) {
        files.push(full);
      }
    }
  }
  return files;
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await fs.stat(dir).catch(() => undefined))?.isDirectory() ?? false;
}

async function realpathOr(file: string): Promise<string> {
  return fs.realpath(file).catch(() => file);
}
