// Which ignore files apply to an entry, and which of them decides, as ripgrep decides with `--hidden
// --no-require-git`: .rgignore over .ignore over .gitignore over .git/info/exclude over the global excludes
// file; among files of one kind the deepest directory wins. Git's files (.gitignore, exclude) count only up
// to the nearest directory holding `.git`; the others count all the way up, above the root too.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IgnoreRules, type IgnoreVerdict } from './ignoreRules';

/** The ignore files of one directory and the link to its parent directory's. */
export interface IgnoreLevel {
  readonly parent: IgnoreLevel | undefined;
  /** How an entry's path relative to the walk root becomes relative to this directory. */
  readonly strip: number;
  readonly prefix: string;
  readonly custom: IgnoreRules | undefined;
  readonly dot: IgnoreRules | undefined;
  readonly git: IgnoreRules | undefined;
  readonly exclude: IgnoreRules | undefined;
  readonly hasGit: boolean;
  /** The texts the rules were made from: what a walk on another thread rebuilds the level from. */
  readonly files: LevelFiles;
  /** Whether this level or one above it has any rule at all: when not, nothing needs matching. */
  readonly active: boolean;
  /** The same for rules that can match a file. */
  readonly activeForFiles: boolean;
}

/** The names in a directory listing that change which rules apply. */
export const IGNORE_FILE_NAMES = new Set(['.rgignore', '.ignore', '.gitignore', '.git']);

export interface LevelFiles {
  custom?: string;
  dot?: string;
  git?: string;
  exclude?: string;
  hasGit: boolean;
}

export function makeLevel(parent: IgnoreLevel | undefined, place: { strip: number; prefix: string }, files: LevelFiles): IgnoreLevel {
  const rules = (text: string | undefined) => {
    const compiled = text === undefined ? undefined : new IgnoreRules(text);
    return compiled && !compiled.empty ? compiled : undefined;
  };
  const level = { parent, ...place, custom: rules(files.custom), dot: rules(files.dot), git: rules(files.git), exclude: rules(files.exclude), hasGit: files.hasGit };
  const own = [level.custom, level.dot, level.git, level.exclude];
  return {
    ...level,
    files,
    active: Boolean(parent?.active || own.some(Boolean)),
    activeForFiles: Boolean(parent?.activeForFiles || own.some((rules) => rules?.matchesFiles)),
  };
}

/** Whether the entry at `relPath` (relative to the walk root) is ignored. */
export function isIgnored(level: IgnoreLevel | undefined, global: IgnoreRules | undefined, relPath: string, name: string, isDir: boolean): boolean {
  let custom: IgnoreVerdict;
  let dot: IgnoreVerdict;
  let git: IgnoreVerdict;
  let exclude: IgnoreVerdict;
  let sawGit = false;
  for (let at = level; at?.active; at = at.parent) {
    if (at.custom || at.dot || (!sawGit && (at.git || at.exclude))) {
      const rel = at.prefix + relPath.slice(at.strip);
      custom ??= at.custom?.match(rel, name, isDir);
      dot ??= at.dot?.match(rel, name, isDir);
      if (!sawGit) {
        git ??= at.git?.match(rel, name, isDir);
        exclude ??= at.exclude?.match(rel, name, isDir);
      }
    }
    sawGit ||= at.hasGit;
  }
  return (custom ?? dot ?? git ?? exclude ?? global?.match(relPath, name, isDir)) === 'ignore';
}

/** The ignore files of `dir`, given the names its listing has (undefined: look for them). */
export function readLevelFiles(dir: string, names?: ReadonlySet<string>): LevelFiles {
  const read = (name: string) => (names && !names.has(name) ? undefined : readOptional(path.join(dir, name)));
  const gitDir = path.join(dir, '.git');
  const hasGit = names ? names.has('.git') : fs.existsSync(gitDir);
  return { custom: read('.rgignore'), dot: read('.ignore'), git: read('.gitignore'), exclude: hasGit ? readOptional(path.join(gitDir, 'info', 'exclude')) : undefined, hasGit };
}

/** The levels of the directories above `root`: the chain from its parent up to the file system's root. */
export function ancestorLevels(root: string): IgnoreLevel | undefined {
  const ancestors: string[] = [];
  for (let dir = root; path.dirname(dir) !== dir; ) {
    dir = path.dirname(dir);
    ancestors.unshift(dir);
  }
  let level: IgnoreLevel | undefined;
  for (const dir of ancestors) {
    const prefix = path.relative(dir, root).split(path.sep).join('/');
    level = makeLevel(level, { strip: 0, prefix: `${prefix}/` }, readLevelFiles(dir));
  }
  return level;
}

/** The global excludes file (git's core.excludesFile, else ~/.config/git/ignore), matched from the root. */
export function globalRules(env: NodeJS.ProcessEnv = process.env): IgnoreRules | undefined {
  const home = env.HOME ?? os.homedir();
  const xdg = env.XDG_CONFIG_HOME || path.join(home, '.config');
  const configured = (file: string) => {
    const value = /^\s*excludesfile\s*=\s*(.+)$/im.exec(readOptional(file) ?? '')?.[1]?.trim();
    return value ? value.replaceAll('~', home) : undefined;
  };
  const file = configured(path.join(home, '.gitconfig')) ?? configured(path.join(xdg, 'git', 'config')) ?? path.join(xdg, 'git', 'ignore');
  const text = readOptional(file);
  const rules = text === undefined ? undefined : new IgnoreRules(text);
  return rules && !rules.empty ? rules : undefined;
}

function readOptional(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
