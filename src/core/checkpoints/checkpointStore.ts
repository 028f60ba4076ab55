// Checkpoints per thread and turn: the workspace before the turn first changed it, after the turn, and
// the files it changed (+/−). Kept as one JSON file per thread under `<home>/checkpoints/threads/`, so
// they survive a restart; the snapshots themselves live in the workspace's shadow repository.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../atomicWrite';
import type { FileChange } from './diff';
import { CheckpointError } from './errors';
import { planRestore, restore, type CheckpointRange, type RestoreOptions, type RestorePlan, type RestoreResult } from './restore';
import { existingPaths, type SnapshotScope } from './shadowOps';
import { SerialQueue } from './serialQueue';
import { ShadowRepo, type ShadowRepoOptions } from './shadowRepo';
import type { SkippedFile } from './sizeBound';

export interface TurnCheckpoint {
  /** The turn's id; for a restore, `restore:<turnId>:<n>`. */
  turnId: string;
  kind: 'turn' | 'restore';
  /** The workspace's real path. */
  workspace: string;
  /** The snapshot before the turn first changed the workspace. */
  before: string;
  /** The snapshot when the turn ended; null until then. */
  after: string | null;
  /** "files" when the workspace was too large: only files patches changed are recorded. */
  scope: SnapshotScope;
  /** Why commands of this turn cannot be undone (scope "files"). */
  limitation?: string;
  /** Gitignored (or, in scope "files", all) workspace-relative paths recorded because a patch changed them. */
  include: string[];
  /** What the turn changed; filled in when it ends. */
  files: FileChange[];
  /** Files left out of the snapshots (too large or unreadable). */
  skipped: SkippedFile[];
  /** For a restore: the turn whose changes it undid. */
  restoredTurnId?: string;
  startedAt: string;
  finishedAt?: string;
}

interface ThreadFile {
  version: 1;
  threadId: string;
  checkpoints: TurnCheckpoint[];
}

export interface RecordFilesResult {
  checkpoint: TurnCheckpoint;
  /** Paths outside the workspace (or inside a .git): not recorded, so a restore will not bring them back. */
  uncovered: string[];
}

export interface StoreRestoreOptions extends RestoreOptions {
  /** Also undo every later turn in the same workspace ("restore files to here"). */
  includeLater?: boolean;
}

/** How long a workspace found too large to snapshot is taken to still be (it rarely shrinks fast). */
const TOO_LARGE_RECHECK_MS = 5 * 60_000;

const THREAD_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export class CheckpointStore {
  private readonly repos = new Map<string, Promise<ShadowRepo>>();
  private readonly threads = new Map<string, Promise<ThreadFile>>();
  private readonly writes = new SerialQueue();
  /** Updates of one turn's checkpoint, one at a time. */
  private readonly turns = new SerialQueue();
  /** Turn begins under way, so concurrent first changes of one turn take one snapshot. */
  private readonly beginning = new Map<string, Promise<TurnCheckpoint>>();
  /** Workspaces found over the snapshot bounds, and when. */
  private readonly tooLarge = new Map<string, { error: CheckpointError; at: number }>();
  /** Turn ends being recorded in the background, by workspace (as the caller names it). */
  private readonly finishing = new Map<string, Promise<void>>();
  /** Snapshots `prepare` started that are not taken yet. */
  private readonly taking = new Set<Promise<unknown>>();
  /** Snapshots taken ahead of a turn's first change (see `prepare`), by turn. */
  private readonly prepared = new Map<string, Promise<{ sha: string; skipped: SkippedFile[]; workspace: string } | undefined>>();

  constructor(
    private readonly home: string,
    private readonly options: ShadowRepoOptions = {},
  ) {}

  /** The shadow repository of `workspace` (opened once per store). */
  repo(workspace: string): Promise<ShadowRepo> {
    let repo = this.repos.get(workspace);
    if (!repo) {
      repo = ShadowRepo.open(this.home, workspace, this.options);
      this.repos.set(workspace, repo);
      repo.catch(() => this.repos.delete(workspace));
    }
    return repo;
  }

  async list(threadId: string): Promise<TurnCheckpoint[]> {
    await this.finished();
    return [...(await this.load(threadId)).checkpoints];
  }

  /**
   * Records the end of a turn in the background (see `finish`): the turn need not wait for it. Whatever
   * reads checkpoints, and the next snapshot of the same workspace, waits for it first.
   */
  finishLater(threadId: string, turnId: string, workspace: string, onError: (error: unknown) => void): void {
    const before = this.finishing.get(workspace) ?? Promise.resolve();
    const done: Promise<void> = before.then(() => this.finish(threadId, turnId)).then(() => undefined, onError);
    this.finishing.set(workspace, done);
    void done.then(() => {
      if (this.finishing.get(workspace) === done) this.finishing.delete(workspace);
    });
  }

  /** A deleted thread's checkpoints go with it (the snapshots stay in the shadow repository). */
  async forget(threadId: string): Promise<void> {
    await this.finished();
    this.threads.delete(threadId);
    await fs.rm(this.threadFile(threadId), { force: true });
  }

  /** Resolves once every turn end recorded in the background, and every snapshot taken ahead, is written (a stopping server waits for it). */
  async finished(): Promise<void> {
    await Promise.all([...this.finishing.values(), ...this.taking]);
  }

  async get(threadId: string, turnId: string): Promise<TurnCheckpoint | undefined> {
    return (await this.load(threadId)).checkpoints.find((c) => c.turnId === turnId);
  }

  /**
   * Starts the snapshot a turn's first change will need, while the call that makes it is still on its way
   * (a patch the model is writing): `begin` then finds it taken. Nothing is recorded for the turn unless
   * `begin` follows; `discardPrepared` drops it. Failures are left for `begin` to meet again. Resolves once
   * the snapshot is taken (or failed).
   */
  prepare(threadId: string, turnId: string, workspace: string): Promise<void> {
    const key = this.turnKey(threadId, turnId);
    if (this.prepared.has(key) || this.beginning.has(key)) return Promise.resolve();
    if (this.stillTooLarge(workspace)) return Promise.resolve();
    const snapshot = (async () => {
      await this.finishing.get(workspace);
      if (await this.get(threadId, turnId)) return undefined;
      const repo = await this.repo(workspace);
      const taken = await repo.snapshot({});
      return { ...taken, workspace: repo.workspace };
    })().catch(() => undefined);
    this.prepared.set(key, snapshot);
    // Until it is taken, a stopping server waits for it as for a turn's end.
    this.taking.add(snapshot);
    void snapshot.then(() => this.taking.delete(snapshot));
    return snapshot.then(() => undefined);
  }

  /** Forgets a snapshot `prepare` took that no change of the turn used. */
  discardPrepared(threadId: string, turnId: string): void {
    this.prepared.delete(this.turnKey(threadId, turnId));
  }

  /**
   * Records the workspace before a turn first changes it; later calls for the same turn return that
   * checkpoint. Throws a `tooLarge` CheckpointError for a workspace over the bounds.
   */
  begin(threadId: string, turnId: string, workspace: string, include: readonly string[] = []): Promise<TurnCheckpoint> {
    return this.once(threadId, turnId, async () => {
      // A previous turn still being recorded takes its "after" first, or it would see this turn's changes.
      await this.finishing.get(workspace);
      const existing = await this.get(threadId, turnId);
      if (existing) return existing;
      // Taken while the change was on its way: nothing of the turn can have changed the workspace since,
      // since every change waits for this. Files to record by force are added to it (one save for both).
      const key = this.turnKey(threadId, turnId);
      const prepared = await this.prepared.get(key);
      this.prepared.delete(key);
      if (prepared) {
        const before = await this.withForced(workspace, prepared.sha, include, 'workspace');
        return this.save(threadId, { ...this.fresh(turnId, prepared.workspace, before, 'workspace', prepared.skipped), include: [...include] });
      }
      const tooLarge = this.stillTooLarge(workspace);
      if (tooLarge) throw tooLarge;
      const repo = await this.repo(workspace);
      try {
        const snapshot = await repo.snapshot({ include });
        this.tooLarge.delete(workspace);
        return await this.save(threadId, { ...this.fresh(turnId, repo.workspace, snapshot.sha, 'workspace', snapshot.skipped), include: [...include] });
      } catch (error) {
        if (error instanceof CheckpointError && error.kind === 'tooLarge') this.tooLarge.set(workspace, { error, at: Date.now() });
        throw error;
      }
    });
  }

  /**
   * Before a patch changes `files` (absolute or workspace-relative): makes sure the turn's checkpoint
   * holds their content as it is now. A workspace too large to snapshot gets a checkpoint of these files
   * alone (scope "files", with the reason in `limitation`).
   */
  async recordFiles(threadId: string, turnId: string, workspace: string, files: readonly string[]): Promise<RecordFilesResult> {
    const repo = await this.repo(workspace);
    const uncovered: string[] = [];
    const paths: string[] = [];
    for (const file of files) {
      const rel = await repo.relativePath(file);
      if (rel === null) uncovered.push(file);
      else if (!paths.includes(rel)) paths.push(rel);
    }
    // A turn's first change: one snapshot records the workspace and these files (even gitignored ones).
    const checkpoint = await this.begin(threadId, turnId, workspace, paths).catch(async (error: unknown) => {
      if (!(error instanceof CheckpointError) || error.kind !== 'tooLarge') throw error;
      return this.once(threadId, turnId, async () => {
        const existing = await this.get(threadId, turnId);
        if (existing) return existing;
        const snapshot = await repo.snapshot({ include: paths, scope: 'files' });
        return this.save(threadId, { ...this.fresh(turnId, repo.workspace, snapshot.sha, 'files', snapshot.skipped), include: paths, limitation: error.message });
      });
    });
    return this.turns.run(this.turnKey(threadId, turnId), async () => {
      const current = (await this.get(threadId, turnId)) ?? checkpoint;
      const added = paths.filter((p) => !current.include.includes(p));
      if (added.length === 0) return { checkpoint: current, uncovered };
      const before = await this.withForced(workspace, current.before, added, current.scope);
      return { checkpoint: await this.save(threadId, { ...current, before, include: [...current.include, ...added] }), uncovered };
    });
  }

  /** Records the workspace when a turn ends and what the turn changed; undefined when it never began. */
  async finish(threadId: string, turnId: string): Promise<TurnCheckpoint | undefined> {
    const key = this.turnKey(threadId, turnId);
    await this.beginning.get(key)?.catch(() => undefined);
    return this.turns.run(key, async () => {
      const checkpoint = await this.get(threadId, turnId);
      if (!checkpoint) return undefined;
      const repo = await this.repo(checkpoint.workspace);
      const after = await repo.snapshot({ include: checkpoint.include, scope: checkpoint.scope });
      const files = await repo.diff(checkpoint.before, after.sha);
      const skipped = mergeSkipped(checkpoint.skipped, after.skipped);
      return this.save(threadId, { ...checkpoint, after: after.sha, files, skipped, finishedAt: new Date().toISOString() });
    });
  }

  /**
   * A workspace-relative file before the turn (and, with `includeLater`, the later ones) or as they left
   * it; null where it did not exist. A turn not finished yet has no "after": the workspace is read then.
   */
  async readFile(threadId: string, turnId: string, relPath: string, side: 'before' | 'after', options: Pick<StoreRestoreOptions, 'includeLater'> = {}): Promise<Buffer | null> {
    const { repo, range } = await this.rangeFor(threadId, turnId, options.includeLater ?? false);
    const sha = side === 'before' ? range.before : range.after;
    if (sha !== null) return repo.readFile(sha, relPath);
    const absolute = path.join(repo.workspace, relPath);
    if ((await repo.relativePath(absolute)) === null) return null;
    // A link is read as git keeps it (its target's path), never followed out of the workspace.
    const stat = await fs.lstat(absolute).catch(() => null);
    if (!stat) return null;
    if (stat.isSymbolicLink()) return Buffer.from(await fs.readlink(absolute));
    return stat.isFile() ? fs.readFile(absolute).catch(() => null) : null;
  }

  /** What restoring the files to before `turnId` would change (conflicts included); touches nothing. */
  async planRestore(threadId: string, turnId: string, options: Pick<StoreRestoreOptions, 'includeLater'> = {}): Promise<RestorePlan> {
    const { repo, range } = await this.rangeFor(threadId, turnId, options.includeLater ?? false);
    return planRestore(repo, range);
  }

  /**
   * Restores the files to before `turnId` and records the restore as a checkpoint of its own (kind
   * "restore"), so restoring that one undoes it.
   */
  async restore(threadId: string, turnId: string, options: StoreRestoreOptions = {}): Promise<{ result: RestoreResult; checkpoint: TurnCheckpoint }> {
    const { repo, range } = await this.rangeFor(threadId, turnId, options.includeLater ?? false);
    const count = (await this.list(threadId)).filter((c) => c.restoredTurnId === turnId).length;
    // The way back is on disk before any file is touched: a crash mid-restore leaves a checkpoint to
    // restore (its end unknown, so every file it would put back is offered as a conflict).
    const pre = await repo.snapshot({ include: range.include ?? [], scope: range.scope ?? 'workspace' });
    const started: TurnCheckpoint = {
      ...this.fresh(`restore:${turnId}:${count + 1}`, repo.workspace, pre.sha, range.scope ?? 'workspace', pre.skipped),
      kind: 'restore',
      include: [...(range.include ?? [])],
      restoredTurnId: turnId,
    };
    await this.save(threadId, started);
    const result = await restore(repo, range, options);
    const files = await repo.diff(result.undo, result.after);
    const checkpoint: TurnCheckpoint = { ...started, before: result.undo, after: result.after, files, finishedAt: new Date().toISOString() };
    return { result, checkpoint: await this.save(threadId, checkpoint) };
  }

  private async rangeFor(threadId: string, turnId: string, includeLater: boolean): Promise<{ repo: ShadowRepo; range: CheckpointRange }> {
    const all = await this.list(threadId);
    const index = all.findIndex((c) => c.turnId === turnId);
    const first = all[index];
    if (!first) throw new CheckpointError('invalid', `no checkpoint for turn ${turnId} of thread ${threadId}`);
    const span = includeLater ? all.slice(index).filter((c) => c.workspace === first.workspace) : [first];
    if (span.some((c) => c.scope !== first.scope)) {
      throw new CheckpointError('invalid', 'these turns were recorded differently (the workspace grew too large in between); restore them one at a time');
    }
    const last = span[span.length - 1]!;
    const include = [...new Set(span.flatMap((c) => c.include))];
    return { repo: await this.repo(first.workspace), range: { before: first.before, after: last.after, include, scope: first.scope } };
  }

  /**
   * `commit` with the files of `forced` that exist added as they are now; a file that does not exist yet
   * has nothing to keep (it is only named, so the turn's end records it).
   */
  private async withForced(workspace: string, commit: string, forced: readonly string[], scope: SnapshotScope): Promise<string> {
    if (forced.length === 0) return commit;
    const repo = await this.repo(workspace);
    const present = await existingPaths(repo.workspace, forced);
    if (present.length === 0) return commit;
    return repo.exclusive((ops) => ops.amend(commit, present, scope));
  }

  private fresh(turnId: string, workspace: string, before: string, scope: SnapshotScope, skipped: SkippedFile[]): TurnCheckpoint {
    return { turnId, kind: 'turn', workspace, before, after: null, scope, include: [], files: [], skipped, startedAt: new Date().toISOString() };
  }

  /** The error a workspace found over the bounds gave, while that verdict stands (measuring costs a walk of it). */
  private stillTooLarge(workspace: string): CheckpointError | undefined {
    const found = this.tooLarge.get(workspace);
    return found && Date.now() - found.at < TOO_LARGE_RECHECK_MS ? found.error : undefined;
  }

  private turnKey(threadId: string, turnId: string): string {
    return `${threadId}\0${turnId}`;
  }

  private once(threadId: string, turnId: string, fn: () => Promise<TurnCheckpoint>): Promise<TurnCheckpoint> {
    const key = this.turnKey(threadId, turnId);
    const running = this.beginning.get(key);
    if (running) return running;
    const promise = fn().finally(() => this.beginning.delete(key));
    this.beginning.set(key, promise);
    return promise;
  }

  private threadFile(threadId: string): string {
    if (!THREAD_ID.test(threadId)) throw new CheckpointError('invalid', `"${threadId}" is not a thread id`);
    return path.join(this.home, 'checkpoints', 'threads', `${threadId}.json`);
  }

  private load(threadId: string): Promise<ThreadFile> {
    let loaded = this.threads.get(threadId);
    if (!loaded) {
      const file = this.threadFile(threadId);
      loaded = fs.readFile(file, 'utf8').then(
        async (text) => {
          let parsed: ThreadFile | undefined;
          try {
            parsed = JSON.parse(text) as ThreadFile;
          } catch {
            parsed = undefined;
          }
          if (parsed?.version === 1 && Array.isArray(parsed.checkpoints)) return parsed;
          // Unreadable (torn by a crash, or not ours): kept aside for a look, and the thread starts a fresh list
          // rather than failing every turn from now on.
          await fs.rename(file, `${file}.unreadable-${Date.now()}`).catch(() => undefined);
          return { version: 1 as const, threadId, checkpoints: [] };
        },
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return { version: 1 as const, threadId, checkpoints: [] };
          throw error;
        },
      );
      this.threads.set(threadId, loaded);
      loaded.catch(() => this.threads.delete(threadId));
    }
    return loaded;
  }

  /** Replaces (or appends) the checkpoint of its turn and writes the thread's file atomically. */
  private async save(threadId: string, checkpoint: TurnCheckpoint): Promise<TurnCheckpoint> {
    const thread = await this.load(threadId);
    const at = thread.checkpoints.findIndex((c) => c.turnId === checkpoint.turnId);
    if (at === -1) thread.checkpoints.push(checkpoint);
    else thread.checkpoints[at] = checkpoint;
    const content = `${JSON.stringify(thread, null, 2)}\n`;
    const file = this.threadFile(threadId);
    await this.writes.run(threadId, () => writeFileAtomic(file, content, 0o600));
    return checkpoint;
  }
}

function mergeSkipped(a: readonly SkippedFile[], b: readonly SkippedFile[]): SkippedFile[] {
  const seen = new Set(a.map((s) => s.path));
  return [...a, ...b.filter((s) => !seen.has(s.path))];
}
