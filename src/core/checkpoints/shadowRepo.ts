// One shadow repository per workspace, under `<home>/checkpoints/<short hash of the workspace's real
// path>/`: a git directory whose work tree is the workspace. The user's own `.git` is never read or
// written (it is excluded like a gitignored path); operations on one repository run one at a time.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { runGit } from '../git/run';
import type { FileChange } from './diff';
import { CheckpointError } from './errors';
import { SerialQueue } from './serialQueue';
import { git, type ShadowGitContext } from './shadowGit';
import { ShadowOps, type Snapshot, type SnapshotScope } from './shadowOps';
import { DEFAULT_SNAPSHOT_LIMITS, type SnapshotLimits } from './sizeBound';

export interface ShadowRepoOptions {
  limits?: Partial<SnapshotLimits>;
  /** Bound for one git command; staging a large workspace reads every file once. Default 120 s. */
  timeoutMs?: number;
}

export interface SnapshotOptions {
  /** Workspace-relative paths recorded even when gitignored. */
  include?: readonly string[];
  scope?: SnapshotScope;
}

const DEFAULT_TIMEOUT_MS = 120_000;
/** Line endings, filters and encodings of the workspace's .gitattributes never apply: files are kept byte for byte. */
const ATTRIBUTES = '* -text !eol -ident -filter !working-tree-encoding\n';

/** Operations per git directory, one at a time (shared by every ShadowRepo in the process). */
const queue = new SerialQueue();

let globalExcludes: Promise<string | undefined> | undefined;

/** The user's own global excludes file, if they set one: honoured like a .gitignore. */
function userExcludesFile(): Promise<string | undefined> {
  globalExcludes ??= runGit(os.homedir(), ['config', '--global', '--path', '--get', 'core.excludesFile'], 5_000).then((result) =>
    result.ok && result.stdout.trim() ? result.stdout.trim() : undefined,
  );
  return globalExcludes;
}

/** Where the shadow repository of a workspace (by its real path) lives. */
export function shadowDirFor(home: string, realWorkspace: string): string {
  const key = createHash('sha256').update(realWorkspace).digest('hex').slice(0, 16);
  return path.join(home, 'checkpoints', key);
}

async function writeIfChanged(file: string, content: string): Promise<void> {
  const current = await fs.readFile(file, 'utf8').catch(() => null);
  if (current !== content) await fs.writeFile(file, content);
}

export class ShadowRepo {
  private constructor(
    /** The workspace's real path: the work tree. */
    readonly workspace: string,
    readonly gitDir: string,
    private readonly ops: ShadowOps,
  ) {}

  /** Opens (creating on first use) the shadow repository of `workspace`. */
  static async open(home: string, workspace: string, options: ShadowRepoOptions = {}): Promise<ShadowRepo> {
    const stat = await fs.stat(workspace).catch(() => null);
    if (!stat?.isDirectory()) throw new CheckpointError('notADirectory', `${workspace} is not a directory; it cannot be snapshotted`);
    const real = await fs.realpath(workspace);
    const gitDir = shadowDirFor(home, real);
    const excludesFile = await userExcludesFile();
    const ctx: ShadowGitContext = { gitDir, workTree: real, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, ...(excludesFile ? { excludesFile } : {}) };
    const limits = { ...DEFAULT_SNAPSHOT_LIMITS, ...options.limits };
    await queue.run(gitDir, () => ShadowRepo.prepare(ctx));
    return new ShadowRepo(real, gitDir, new ShadowOps(ctx, limits, path.join(gitDir, 'index')));
  }

  /** Creates the repository if needed and refreshes what it excludes. */
  private static async prepare(ctx: ShadowGitContext): Promise<void> {
    const exists = await fs.stat(path.join(ctx.gitDir, 'HEAD')).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await fs.mkdir(ctx.gitDir, { recursive: true });
      await git(ctx, ['init', '-q', '--template=']);
    }
    const info = path.join(ctx.gitDir, 'info');
    await fs.mkdir(info, { recursive: true });
    // The user's .git (and any nested one) is never snapshotted; their repository's own excludes are honoured.
    const userExcludes = await fs.readFile(path.join(ctx.workTree, '.git', 'info', 'exclude'), 'utf8').catch(() => '');
    await writeIfChanged(path.join(info, 'exclude'), `.git\n${userExcludes}`);
    await writeIfChanged(path.join(info, 'attributes'), ATTRIBUTES);
    await writeIfChanged(path.join(ctx.gitDir, 'tandem-workspace'), `${ctx.workTree}\n`);
  }

  /**
   * A commit of the workspace as it is now: every file that is not gitignored (binary content, the
   * executable bit, symlinks), plus `include` (workspace-relative paths recorded even if gitignored).
   * With scope "files", only the `include` files. Throws a `tooLarge` CheckpointError over the size
   * bounds. An unchanged workspace gives the same sha.
   */
  snapshot(options: SnapshotOptions = {}): Promise<Snapshot> {
    return this.exclusive((ops) => ops.snapshot(options.include, options.scope));
  }

  /** Per-file changes (+/−, renames) from one snapshot to another, or to the workspace as it is now. */
  diff(from: string, to: string | 'worktree', options: SnapshotOptions = {}): Promise<FileChange[]> {
    return this.exclusive(async (ops) => {
      const target = to === 'worktree' ? (await ops.worktreeTree(options.include, options.scope)).tree : await ops.verifyCommit(to);
      return ops.diff(await ops.verifyCommit(from), target);
    });
  }

  /** A workspace-relative file as a snapshot holds it; null when it did not exist there. */
  readFile(sha: string, relPath: string): Promise<Buffer | null> {
    return this.exclusive(async (ops) => ops.readFile(await ops.verifyCommit(sha), relPath));
  }

  /** Runs `fn` with this repository to itself. */
  exclusive<T>(fn: (ops: ShadowOps) => Promise<T>): Promise<T> {
    return queue.run(this.gitDir, () => fn(this.ops));
  }

  /**
   * `file` relative to the workspace with forward slashes, or null when it lies outside (or is the
   * workspace itself, or inside a .git directory).
   */
  async relativePath(file: string): Promise<string | null> {
    const absolute = path.resolve(this.workspace, file);
    // Resolve symlinks in the part of the path that exists (the workspace may be reached through one).
    let existing = path.dirname(absolute);
    const rest = [path.basename(absolute)];
    let real: string | null = null;
    while (real === null) {
      real = await fs.realpath(existing).catch(() => null);
      if (real !== null) break;
      const up = path.dirname(existing);
      if (up === existing) return null;
      rest.unshift(path.basename(existing));
      existing = up;
    }
    const relative = path.relative(this.workspace, path.join(real, ...rest));
    if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return null;
    const posix = relative.split(path.sep).join('/');
    return posix.split('/').includes('.git') ? null : posix;
  }
}
