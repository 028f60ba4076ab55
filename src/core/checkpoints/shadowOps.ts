// The git operations on one shadow repository, without locking: ShadowRepo runs them one at a time.
// Each operation stages into a private copy of the repository's index (the copy keeps git's stat cache,
// so a second snapshot only reads changed files) and puts the copy back when it is done.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parseFileChanges, parseRaw, GITLINK_MODE, type FileChange, type RawChange } from './diff';
import { CheckpointError } from './errors';
import { git, gitBytes, nulRecords, type ShadowGitContext } from './shadowGit';
import { measureFiles, measurePending, type SkippedFile, type SnapshotLimits } from './sizeBound';

export interface Snapshot {
  /** The commit recording the workspace. */
  sha: string;
  /** Files left out of it (too large or unreadable). */
  skipped: SkippedFile[];
}

/**
 * What a snapshot records: the whole workspace (minus gitignored files, plus `include`), or only the
 * `include` files — for a workspace too large to snapshot, where patches can still be undone.
 */
export type SnapshotScope = 'workspace' | 'files';

export interface StagedTree {
  tree: string;
  skipped: SkippedFile[];
}

const LATEST_REF = 'refs/tandem/latest';
const SNAPSHOT_REFS = 'refs/tandem/snapshots/';
const SUBJECT = 'tandem snapshot';

/** Those of `paths` (relative to `workTree`) that exist, as files, links or anything else. */
export async function existingPaths(workTree: string, paths: readonly string[]): Promise<string[]> {
  const present = await Promise.all(paths.map((p) => fs.lstat(path.join(workTree, p)).then(() => p, () => null)));
  return present.filter((p): p is string => p !== null);
}

/** A path list for --pathspec-from-file, each path taken literally (no globs, no magic). */
function literalPathspecs(paths: readonly string[], magic = 'literal'): string {
  return paths.map((p) => `:(${magic})${p}\0`).join('');
}

export class ShadowOps {
  private readonly skippedCache = new Map<string, SkippedFile[]>();
  private latestCache: { sha: string; tree: string; message: string } | undefined;
  /** Commits known to be in this repository (made or verified here; nothing is ever removed from it). */
  private readonly knownCommits = new Set<string>();
  /** The tree the repository's index was last staged to, when that was the plain workspace. */
  private lastTree: string | undefined;
  /** The index file as this process last left it (inode, size, time). */
  private lastIndexKey: string | undefined;

  private async indexKey(): Promise<string | undefined> {
    const stat = await fs.stat(this.indexPath).catch(() => null);
    return stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}` : undefined;
  }

  constructor(
    readonly ctx: ShadowGitContext,
    private readonly limits: SnapshotLimits,
    private readonly indexPath: string,
  ) {}

  /** Commits the workspace (plus `include`, gitignored paths recorded on purpose). Unchanged → the same sha. */
  async snapshot(include: readonly string[] = [], scope: SnapshotScope = 'workspace'): Promise<Snapshot> {
    const { tree, skipped } = await this.stage(include, scope, 'changes made by commands in this turn cannot be undone');
    return this.commit(tree, skipped);
  }

  /** The workspace as a tree, without a commit: what it looks like now. */
  worktreeTree(include: readonly string[] = [], scope: SnapshotScope = 'workspace'): Promise<StagedTree> {
    return this.stage(include, scope, 'it cannot be compared with a checkpoint');
  }

  /**
   * `commit` with `paths` added as they are now — for files a patch is about to change that the commit
   * does not cover yet: gitignored ones (scope "workspace"), or any (scope "files"). Returns the new sha.
   */
  async amend(commit: string, paths: readonly string[], scope: SnapshotScope): Promise<string> {
    const skipped = [...(await this.skippedOf(commit))];
    if (paths.length === 0) return commit;
    return this.withIndex(false, async (index) => {
      await git(this.ctx, ['read-tree', commit], { index });
      // Only files the commit lacks: what it has already is their content from before the turn.
      const ignoredOnly = scope === 'workspace' ? ['--ignored', '--exclude-standard'] : [];
      const listed = paths.map((p) => `:(literal)${p}`);
      const candidates = nulRecords(await git(this.ctx, ['ls-files', '-z', '--others', ...ignoredOnly, '--', ...listed], { index }));
      // Nothing the commit lacks (the usual case: the files are not gitignored): it stands as it is.
      if (candidates.length === 0) return commit;
      const measured = await measureFiles(this.ctx.workTree, candidates, this.limits);
      if (measured.files.length > 0) skipped.push(...(await this.add(index, ['-f'], literalPathspecs(measured.files))));
      skipped.push(...measured.skipped);
      const tree = (await git(this.ctx, ['write-tree'], { index })).trim();
      return (await this.commit(tree, skipped)).sha;
    });
  }

  /** Per-file changes between two commits or trees, renames detected. */
  async diff(from: string, to: string): Promise<FileChange[]> {
    const output = await git(this.ctx, ['diff-tree', '-r', '-z', '-M', '--raw', '--numstat', '--no-commit-id', from, to]);
    return parseFileChanges(nulRecords(output));
  }

  /** Per-path changes between two commits or trees, renames as a delete and an add. */
  async rawDiff(from: string, to: string): Promise<RawChange[]> {
    const output = await git(this.ctx, ['diff-tree', '-r', '-z', '--no-renames', '--raw', '--no-commit-id', from, to]);
    return parseRaw(nulRecords(output));
  }

  /** Fails with an `invalid` CheckpointError unless `sha` is a commit of this repository. */
  async verifyCommit(sha: string): Promise<string> {
    if (!/^[0-9a-f]{4,64}$/i.test(sha)) throw new CheckpointError('invalid', `"${sha}" is not a checkpoint`);
    if (this.knownCommits.has(sha)) return sha;
    try {
      const full = (await git(this.ctx, ['rev-parse', '--verify', '--quiet', `${sha}^{commit}`])).trim();
      this.knownCommits.add(full);
      return full;
    } catch (error) {
      if (error instanceof CheckpointError && error.kind === 'gitFailed') throw new CheckpointError('invalid', `checkpoint ${sha} does not exist for ${this.ctx.workTree}`);
      throw error;
    }
  }

  /** Which of `paths` (files on disk) the workspace's ignore rules ignore now. */
  async ignored(paths: readonly string[]): Promise<Set<string>> {
    if (paths.length === 0) return new Set();
    try {
      // --no-index: by the rules alone, whatever a snapshot's index holds.
      return new Set(nulRecords(await git(this.ctx, ['check-ignore', '-z', '--stdin', '--no-index'], { input: paths.map((p) => `${p}\0`).join('') })));
    } catch (error) {
      // check-ignore exits 1 when none is ignored.
      if (error instanceof CheckpointError && error.kind === 'gitFailed' && error.message.includes('(exit 1)') && error.stderr.trim() === '') return new Set();
      throw error;
    }
  }

  /** A file's bytes in a commit, or null when the commit has no such file (or it is not a regular file or link). */
  async readFile(commit: string, relPath: string): Promise<Buffer | null> {
    const listed = await git(this.ctx, ['ls-tree', '-z', commit, '--', relPath]);
    const entry = nulRecords(listed).find((record) => record.endsWith(`\t${relPath}`));
    if (!entry || !/^(100644|100755|120000) blob /.test(entry)) return null;
    return gitBytes(this.ctx, ['cat-file', 'blob', entry.split(' ')[2]!.split('\t')[0]!]);
  }

  /** The files a snapshot left out, from its commit message. */
  async skippedOf(sha: string): Promise<SkippedFile[]> {
    const cached = this.skippedCache.get(sha);
    if (cached) return cached;
    const body = await git(this.ctx, ['cat-file', 'commit', sha]);
    const json = body.slice(body.indexOf('\n\n') + 2).split('\n').find((line) => line.startsWith('{'));
    let skipped: SkippedFile[];
    try {
      skipped = json ? ((JSON.parse(json) as { skipped?: SkippedFile[] }).skipped ?? []) : [];
    } catch {
      skipped = [];
    }
    this.skippedCache.set(sha, skipped);
    return skipped;
  }

  /** Writes `paths` from `commit` into the workspace (content, mode, symlinks), replacing what is there. */
  async checkout(commit: string, paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return;
    await this.withIndex(false, async (index) => {
      await git(this.ctx, ['read-tree', commit], { index });
      await git(this.ctx, ['checkout-index', '-f', '-q', '-z', '--stdin'], { index, input: paths.map((p) => `${p}\0`).join('') });
    });
  }

  /** A commit of `tree`; the latest snapshot again when nothing changed. */
  private async commit(tree: string, skipped: SkippedFile[]): Promise<Snapshot> {
    const message = `${SUBJECT}\n\n${JSON.stringify({ skipped })}\n`;
    const latest = await this.latest();
    if (latest && latest.tree === tree && latest.message === message) {
      this.knownCommits.add(latest.sha);
      return { sha: latest.sha, skipped };
    }
    const sha = (await git(this.ctx, ['commit-tree', tree, '-F', '-'], { input: message })).trim();
    // A ref per snapshot keeps it from git gc; "latest" lets an unchanged workspace reuse its commit.
    await git(this.ctx, ['update-ref', '--stdin'], { input: `update ${SNAPSHOT_REFS}${sha} ${sha}\nupdate ${LATEST_REF} ${sha}\n` });
    this.skippedCache.set(sha, skipped);
    this.knownCommits.add(sha);
    this.latestCache = { sha, tree, message };
    return { sha, skipped };
  }

  /** Stages the workspace (or only `include`, for scope "files") into a private index and writes the tree. */
  private stage(include: readonly string[], scope: SnapshotScope, consequence: string): Promise<StagedTree> {
    if (scope === 'files') return this.stageFiles(include);
    return this.withIndex(true, async (index) => {
      // What is new or changed, then what the last snapshot holds that must go, both read before anything is
      // staged (staging adds neither ignored files nor the nested repositories left out).
      const [pending, presentInclude] = await Promise.all([measurePending(this.ctx, index, include, this.limits, consequence), existingPaths(this.ctx.workTree, include)]);
      // Nothing new, changed or deleted since the index was last staged (a .gitignore changed would be
      // listed too), and no file to add by force: the tree staged then still stands. An ignore rule changed
      // outside the workspace (a global excludes file) counts from the next snapshot that finds a change.
      if (pending.listed === 0 && pending.nested.length === 0 && presentInclude.length === 0 && this.lastTree !== undefined) return { tree: this.lastTree, skipped: [] };
      const unwantedBefore = await this.unwanted(index, include);
      const skipped = [...pending.skipped];
      await this.unstage(index, [...unwantedBefore, ...skipped.map((s) => s.path)]);
      const excluded = [...skipped.map((s) => s.path), ...pending.nested];
      const spec = `.\0${literalPathspecs(excluded, 'exclude,literal')}`;
      const unreadable = await this.add(index, ['-A'], spec);
      const left = new Set([...skipped, ...unreadable].map((s) => s.path));
      // `add -A` took the named files the rules let in; the ones they ignore are added by force.
      const present = presentInclude.filter((p) => !left.has(p));
      const forced = present.length > 0 ? [...(await this.ignored(present))] : [];
      if (forced.length > 0) unreadable.push(...(await this.add(index, ['-f'], literalPathspecs(forced))));
      // Files git could not read keep no stale entry either.
      await this.unstage(index, unreadable.map((s) => s.path));
      skipped.push(...unreadable);
      const tree = (await git(this.ctx, ['write-tree'], { index })).trim();
      // What the index now holds, for a next stage that finds nothing changed: only when it is what staging
      // the plain workspace gives (no file left out, none added by force that the rules ignore).
      this.lastTree = skipped.length === 0 && forced.length === 0 ? tree : undefined;
      return { tree, skipped };
    });
  }

  private stageFiles(paths: readonly string[]): Promise<StagedTree> {
    return this.withIndex(false, async (index) => {
      const measured = await measureFiles(this.ctx.workTree, await existingPaths(this.ctx.workTree, paths), this.limits);
      const skipped = [...measured.skipped];
      if (measured.files.length > 0) skipped.push(...(await this.add(index, ['-f'], literalPathspecs(measured.files))));
      const tree = (await git(this.ctx, ['write-tree'], { index })).trim();
      return { tree, skipped };
    });
  }

  /** `git add`; files it could not read come back as skipped instead of failing the snapshot. */
  private async add(index: string, flags: readonly string[], pathspecs: string): Promise<SkippedFile[]> {
    const args = ['add', ...flags, '--ignore-errors', '--pathspec-from-file=-', '--pathspec-file-nul'];
    try {
      await git(this.ctx, args, { index, input: pathspecs });
      return [];
    } catch (error) {
      const unreadable = error instanceof CheckpointError ? [...error.stderr.matchAll(/open\("([^"]+)"\): /g)].map((m) => m[1]!) : [];
      if (unreadable.length === 0) throw error;
      return unreadable.map((p) => ({ path: p, bytes: 0, reason: 'unreadable' as const }));
    }
  }

  /** What the index holds that a snapshot must not: nested repositories, and files ignored since they were staged. */
  private async unwanted(index: string, include: readonly string[]): Promise<string[]> {
    // Both only read the index: side by side.
    const [stagedOut, ignoredOut] = await Promise.all([
      git(this.ctx, ['ls-files', '-z', '--stage'], { index }),
      git(this.ctx, ['ls-files', '-z', '--cached', '--ignored', '--exclude-standard'], { index }),
    ]);
    const gitlinks = nulRecords(stagedOut).filter((line) => line.startsWith(`${GITLINK_MODE} `)).map((line) => line.slice(line.indexOf('\t') + 1));
    const included = new Set(include);
    return [...gitlinks, ...nulRecords(ignoredOut).filter((p) => !included.has(p))];
  }

  /** Takes paths out of the index. */
  private async unstage(index: string, paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return;
    await git(this.ctx, ['rm', '--cached', '-f', '-q', '-r', '--ignore-unmatch', '--pathspec-from-file=-', '--pathspec-file-nul'], { index, input: literalPathspecs(paths) });
  }

  private async latest(): Promise<{ sha: string; tree: string; message: string } | null> {
    // Operations on a repository run one at a time in this process: the last commit made here is the latest.
    if (this.latestCache) return this.latestCache;
    let sha: string;
    try {
      sha = (await git(this.ctx, ['rev-parse', '--verify', '--quiet', `${LATEST_REF}^{commit}`])).trim();
    } catch {
      return null;
    }
    const body = await git(this.ctx, ['cat-file', 'commit', sha]);
    const tree = /^tree ([0-9a-f]+)$/m.exec(body)?.[1] ?? '';
    this.latestCache = { sha, tree, message: body.slice(body.indexOf('\n\n') + 2) };
    return this.latestCache;
  }

  /**
   * Runs `fn` with a private index file: a copy of the repository's (when `seed`), put back afterwards so
   * the next operation starts from fresh stat information; a scratch one otherwise.
   */
  private async withIndex<T>(seed: boolean, fn: (index: string) => Promise<T>): Promise<T> {
    const index = `${this.indexPath}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      if (seed) {
        // Another process on the same home may have staged meanwhile: then what this one remembers is stale.
        if ((await this.indexKey()) !== this.lastIndexKey) this.lastTree = undefined;
        await fs.copyFile(this.indexPath, index).catch(() => undefined);
      }
      const result = await fn(index);
      if (seed) {
        await fs.rename(index, this.indexPath);
        this.lastIndexKey = await this.indexKey();
      }
      return result;
    } finally {
      await fs.rm(index, { force: true });
      await fs.rm(`${index}.lock`, { force: true });
    }
  }
}
