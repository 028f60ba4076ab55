// Creates, loads and finds threads: start, resume (from memory or from the rollout), fork, read without
// loading, list, archive/unarchive and rename. Loaded threads are kept by id.
import * as path from 'node:path';
import { ThreadGoals } from './threadGoals';
import { ExecPolicy } from '../approvals/execPolicy';
import { invalidRequest, type DynamicToolSpec, type Thread, type ThreadListParams, Warning } from '../../protocol';
import { ExecSessions } from '../tools/execTools';
import { type ThreadDefaults } from '../config/threadDefaults';
import { readGitFacts } from '../git/facts';
import { isUuid, uuidv7 } from '../ids';
import { ModelClient } from '../model/responsesClient';
import { resolveProvider } from '../model/provider';
import { rolloutPath } from '../rollout/paths';
import { type ReconstructedThread } from '../rollout/reconstruct';
import { RolloutRecorder } from '../rollout/recorder';
import { ToolRegistry } from '../tools/registry';
import { builtinTools } from '../tools/builtinTools';
import { dynamicTool, validateDynamicTools } from '../tools/dynamicTools';
import { ProcessManager } from '../exec/processManager';
import { TANDEM_VERSION } from '../version';
import { threadFromRebuilt, threadFromSummary } from './storedThread';
import { ThreadSession, type ClientIdentity, type ThreadServices } from './threadSession';
import type { ThreadManagerOptions } from './threadManagerOptions';
import { runTurn } from './turnRunner';
import { runReviewTurn } from './review';
import { compactionLimits } from './compactionLimits';
import { isContextMessage } from './history';
import { SettingsResolver, type ThreadSettingsRequest } from './settingsResolver';
import { ThreadStore } from './threadStore';
import { cutAtTurn, recordForkedPast } from './forkPoint';
import { checkActivePath, neverWritten, nothingStored, noRolloutFound, resolveRolloutPath } from './resumeSources';
import { sessionMetaOf } from './threadView';
import { CheckpointStore } from '../checkpoints/checkpointStore';

export type { ThreadManagerOptions } from './threadManagerOptions';
export type { ThreadSettingsRequest } from './settingsResolver';

export class ThreadManager {
  private readonly loaded = new Map<string, ThreadSession>();
  private readonly services: ThreadServices;
  private readonly store: ThreadStore;
  /** What threads run with: config defaults, requirements, a request over recorded settings. */
  readonly resolver: SettingsResolver;
  /** Shared by every thread's exec tools (and the exec-server). */
  readonly processes: ProcessManager;

  /** The user's command rules (`rules/*.rules`), read at start; approvals may add to them. */
  readonly execPolicy: ExecPolicy;
  /** Each stored thread's goal, kept beside the rollouts. */
  readonly goals: ThreadGoals;

  constructor(private readonly options: ThreadManagerOptions) {
    this.processes = options.processes ?? new ProcessManager(options.logger);
    this.execPolicy = ExecPolicy.load(options.home);
    this.goals = new ThreadGoals(undefined, path.join(options.home, 'thread_goals.json'));
    for (const problem of this.execPolicy.problems) options.logger.warn('a command rule was not read', { problem });
    this.store = new ThreadStore(options.home, options.logger, (message, threadId) => options.events.broadcast(Warning, { message, threadId }));
    this.resolver = new SettingsResolver(options.home, options.configOverrides ?? [], options.defaultCwd, options.reviewFileChangesByDefault);
    this.services = {
      logger: options.logger,
      home: options.home,
      events: options.events,
      checkpoints: options.checkpoints === false ? undefined : new CheckpointStore(options.home),
      createModelClient: (settings) =>
        new ModelClient({
          provider: resolveProvider(settings.modelProvider, this.defaults().modelProviders),
          auth: options.auth,
          logger: options.logger,
          onResponseHeaders: options.onResponseHeaders,
        }),
      toolsFor: (session) =>
        new ToolRegistry([
          ...builtinTools(
            session.settings.model,
            { processes: this.processes, execPolicy: this.execPolicy, environmentPolicy: () => this.defaults().shellEnvironmentPolicy, warnOnce: (message) => session.warnOnce(message) },
            session.execSessions,
          ),
          ...(options.tools?.(session) ?? []),
          ...session.dynamicTools.map((spec) => dynamicTool(spec)),
        ]),
      prepareTools: (session, signal) => options.prepareTools?.(session, signal) ?? Promise.resolve(),
      projectDocMaxBytes: () => this.defaults().projectDocMaxBytes,
      compaction: (model) => {
        const defaults = this.defaults();
        return { limits: compactionLimits(model, defaults), prompt: defaults.compactPrompt };
      },
      // A review runs its own conversation (review.ts); every other turn goes through the turn loop.
      runTurn: (session, turn) => (turn.kind === 'review' ? runReviewTurn(session, turn) : runTurn(session, turn)),
      processes: this.processes,
      environmentPolicy: () => this.defaults().shellEnvironmentPolicy,
      indexThread: (session) => this.indexThread(session),
    };
  }

  /** Config is re-read for each new thread, so edits apply without a restart. */
  private defaults(extra?: Record<string, unknown> | null, cwd?: string | null): ThreadDefaults {
    return this.resolver.defaults(extra, cwd);
  }

  loadedIds(): string[] {
    return [...this.loaded.keys()];
  }

  isLoaded(threadId: string): boolean {
    return this.loaded.has(threadId);
  }

  /** Where turns record the files they change (none when checkpoints are off). */
  get checkpoints(): CheckpointStore | undefined {
    return this.services.checkpoints;
  }

  /** A loaded thread, or -32600 naming the id. */
  get(threadId: string): ThreadSession {
    checkThreadId(threadId);
    const session = this.loaded.get(threadId);
    if (!session) throw invalidRequest(`thread not found: ${threadId}`);
    return session;
  }

  async start(request: ThreadSettingsRequest & { ephemeral?: boolean | null; dynamicTools?: DynamicToolSpec[] | null; projectId?: string | null }, identity: ClientIdentity): Promise<ThreadSession> {
    const defaults = this.defaults(request.config, request.cwd ?? this.options.defaultCwd);
    const settings = this.resolver.resolve(request, defaults, undefined);
    const dynamicTools = request.dynamicTools ?? [];
    validateDynamicTools(dynamicTools, this.reservedToolNames(settings.model));
    const id = uuidv7();
    const created = new Date();
    const ephemeral = request.ephemeral ?? false;
    const git = await readGitFacts(settings.cwd);
    const recorder = ephemeral ? undefined : new RolloutRecorder(rolloutPath(this.options.home, created, id));
    const session = new ThreadSession(
      {
        id,
        createdAt: Math.floor(created.getTime() / 1000),
        updatedAt: Math.floor(created.getTime() / 1000),
        forkedFromId: null,
        source: this.options.source,
        ephemeral,
        gitInfo: git ? { sha: git.commitHash, branch: git.branch, originUrl: git.repositoryUrl } : null,
        cliVersion: TANDEM_VERSION,
        originator: identity.originator,
        name: null,
        turns: [],
        history: [],
        contextInjected: false,
        tokenUsage: undefined,
        recorder,
        settings,
        identity,
        dynamicTools,
      },
      this.services,
    );
    session.projectId = request.projectId ?? null;
    session.persist('session_meta', { ...sessionMetaOf(session, created, null, git), dynamic_tools: dynamicTools, ...(session.projectId ? { project_id: session.projectId } : {}) });
    this.loaded.set(id, session);
    return session;
  }

  async resume(threadId: string, request: ThreadSettingsRequest, identity: ClientIdentity, rolloutFile?: string): Promise<ThreadSession> {
    checkThreadId(threadId);
    const existing = this.loaded.get(threadId);
    if (existing) {
      if (neverWritten(existing)) throw noRolloutFound(threadId);
      existing.touch();
      if (!existing.activeTurn) existing.resumeWith(this.resolver.resolve(request, this.defaults(request.config, request.cwd ?? existing.settings.cwd), existing.settings));
      return existing;
    }
    const file = rolloutFile ?? (await this.store.find(threadId).catch((): never => { throw noRolloutFound(threadId); }));
    const { rebuilt } = await this.store.readAt(file, threadId);
    if (!rolloutFile && nothingStored(rebuilt)) throw noRolloutFound(threadId);
    const recorder = new RolloutRecorder(file, (message) => this.options.logger.warn(message, { threadId }));
    const session = this.sessionFromRollout(rebuilt, request, identity, recorder);
    // What reading back put into the history, and how it settled what a crash cut off, join the rollout: the
    // thread reads the same next time, even after the files a patch wrote have changed again.
    for (const item of rebuilt.recoveredHistory ?? []) session.persist('response_item', item);
    for (const turn of rebuilt.turns) {
      for (const item of turn.items) if (rebuilt.interruptedItems?.has(item.id)) session.persist('event_msg', { type: 'item_completed', turn_id: turn.id, item });
    }
    this.loaded.set(threadId, session);
    if (this.options.continueUnfinishedTurns && rebuilt.unfinishedTurnId) session.continueTurn(rebuilt.unfinishedTurnId, identity);
    return session;
  }

  /** thread/resume by `path`: the file's thread, whatever `threadId` says, unless that thread runs elsewhere. */
  async resumeAt(threadId: string, requested: string, request: ThreadSettingsRequest, identity: ClientIdentity): Promise<ThreadSession> {
    const running = this.loaded.get(threadId);
    if (running) checkActivePath(running, requested, path.resolve(this.options.home, requested));
    const file = resolveRolloutPath(this.options.home, requested);
    const id = running?.id ?? [...this.loaded.values()].find((s) => s.rolloutPath && path.resolve(s.rolloutPath) === file)?.id;
    return this.resume(id ?? (await this.store.readAt(file, threadId)).rebuilt.meta.id, request, identity, file);
  }

  async fork(threadId: string, lastTurnId: string | null | undefined, request: ThreadSettingsRequest & { ephemeral?: boolean }, identity: ClientIdentity): Promise<ThreadSession> {
    checkThreadId(threadId);
    const source = this.loaded.get(threadId);
    if (source && neverWritten(source)) throw noRolloutFound(threadId);
    let rebuilt: ReconstructedThread;
    if (source) {
      if (lastTurnId && source.activeTurn?.id === lastTurnId) throw invalidRequest(`cannot fork at turn ${lastTurnId}: it is still running`);
      await source.flushRollout();
    }
    if (source && !source.rolloutPath) {
      rebuilt = { meta: sessionMetaOf(source, new Date(source.createdAt * 1000), null, null), history: source.history.snapshot(), turns: [...source.turns], name: source.name, tokenUsage: source.tokenUsage, lastContext: undefined, preview: source.preview() };
    } else {
      const file = await this.store.find(threadId).catch((): never => { throw noRolloutFound(threadId); });
      rebuilt = (await this.store.readAt(file, threadId)).rebuilt;
      if (nothingStored(rebuilt)) throw noRolloutFound(threadId);
    }
    const { turns, history } = cutAtTurn(rebuilt, lastTurnId);
    const id = uuidv7();
    const created = new Date();
    const ephemeral = request.ephemeral ?? false;
    const recorder = ephemeral ? undefined : new RolloutRecorder(rolloutPath(this.options.home, created, id));
    const session = this.sessionFromRollout({ ...rebuilt, turns, history, meta: { ...rebuilt.meta, id } }, request, identity, recorder, {
      id,
      created,
      forkedFromId: threadId,
      ephemeral,
    });
    session.persist('session_meta', { ...sessionMetaOf(session, created, threadId, null), git: rebuilt.meta.git });
    recordForkedPast(session, rebuilt, turns, history);
    // The fork keeps the name of its source, on disk too, so it still has it after a restart.
    const name = session.name ?? (await this.store.names()).get(threadId) ?? null;
    if (name) {
      session.adoptName(name);
      if (!ephemeral) await this.store.saveName(id, name);
    }
    await session.flushRollout();
    await this.indexThread(session);
    this.loaded.set(id, session);
    return session;
  }

  /** Reads a thread without loading it (status `notLoaded` when it is not loaded). */
  async read(threadId: string, includeTurns: boolean): Promise<Thread> {
    checkThreadId(threadId);
    const session = this.loaded.get(threadId);
    if (session) return session.toThread(includeTurns);
    // An archived thread is still readable: it is listed under archived, so reading it must work too.
    const { file, rebuilt } = await this.store.read(threadId, true);
    const name = rebuilt.name ?? (await this.store.names()).get(threadId) ?? null;
    return threadFromRebuilt({ ...rebuilt, name }, file, includeTurns);
  }

  async list(params: ThreadListParams): Promise<{ data: Thread[]; nextCursor: string | null }> {
    const { page, names } = await this.store.list(params);
    return {
      data: page.data.map((summary) => this.loaded.get(summary.threadId)?.toThread(false) ?? threadFromSummary(summary, names.get(summary.threadId) ?? null)),
      nextCursor: page.nextCursor,
    };
  }

  async archive(threadId: string): Promise<void> {
    checkThreadId(threadId);
    const session = this.loaded.get(threadId);
    if (session?.activeTurn) throw invalidRequest(`thread ${threadId} has a turn running; interrupt it before archiving`);
    await session?.closeRollout();
    await this.store.archive(threadId, session?.rolloutPath ?? (await this.store.find(threadId)));
    this.loaded.delete(threadId);
  }

  /** Deletes a thread for good (`thread/delete`); refused while it runs a turn. */
  async delete(threadId: string): Promise<void> {
    checkThreadId(threadId);
    const session = this.loaded.get(threadId);
    if (session?.activeTurn) throw invalidRequest(`thread ${threadId} has a turn running; interrupt it before deleting`);
    await session?.closeRollout();
    await this.store.delete(threadId);
    this.loaded.delete(threadId);
    if (this.goals.clear(threadId)) await this.goals.save();
    await this.services.checkpoints?.forget(threadId);
  }

  unarchive(threadId: string): Promise<Thread> {
    checkThreadId(threadId);
    return this.store.unarchive(threadId);
  }

  async setName(threadId: string, name: string, identity: ClientIdentity): Promise<ThreadSession> {
    const session = await this.getOrLoad(threadId, identity);
    await session.setName(name);
    if (!session.ephemeral) await this.store.saveName(threadId, session.name);
    return session;
  }

  /** Drops a loaded thread that has no running turn (its rollout stays on disk). */
  async unload(threadId: string): Promise<boolean> {
    const session = this.loaded.get(threadId);
    if (!session || !session.isIdle) return false;
    await session.closeRollout();
    this.loaded.delete(threadId);
    return true;
  }

  /**
   * Unloads threads idle for at least `idleMs` that nobody watches and that have no process still running,
   * so memory does not grow with every thread opened. Returns the ids unloaded.
   */
  async unloadIdle(idleMs: number, isWatched: (threadId: string) => boolean, now = Date.now()): Promise<string[]> {
    const unloaded: string[] = [];
    for (const [id, session] of this.loaded) {
      if (now - session.lastActivityMs < idleMs || isWatched(id) || !session.isIdle || session.ephemeral) continue;
      if (session.execSessions.all().some((pid) => this.processes.isRunning(pid))) continue;
      if (await this.unload(id)) unloaded.push(id);
    }
    return unloaded;
  }

  /** How long a thread may sit idle before it is unloaded (`thread_idle_unload_minutes`, default 30). */
  idleUnloadMs(): number {
    return this.defaults().idleUnloadMinutes * 60_000;
  }

  /** A loaded thread, or the stored one loaded again (a thread unloaded while idle comes back on demand). */
  async getOrLoad(threadId: string, identity: ClientIdentity): Promise<ThreadSession> {
    checkThreadId(threadId);
    return this.loaded.get(threadId) ?? (await this.resume(threadId, {}, identity, await this.store.find(threadId)));
  }

  /** Leaves every running turn unfinished, recording nothing more, so the next server continues it. */
  suspendTurns(): void {
    for (const session of this.loaded.values()) session.suspend();
  }

  /**
   * Ends every running turn as interrupted (the server is stopping for good). Runs before pending approvals
   * fail, so a turn waiting on one records that it was interrupted, not that the user declined.
   */
  interruptTurns(): void {
    for (const session of this.loaded.values()) session.activeTurn?.controller.abort(new Error('the server is shutting down'));
  }

  /** Stops processes, lets interrupted turns record their end (a few seconds at most), and closes rollouts. */
  async shutdown(): Promise<void> {
    const running = [...this.loaded.values()].flatMap((session) => (session.activeTurn ? [session.activeTurn] : []));
    for (const turn of running) turn.controller.abort(new Error('the server is shutting down'));
    this.processes.terminateAll();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_TURN_GRACE_MS)));
    // The ends of turns being recorded in the background finish too: git is not left writing in the home.
    await Promise.race([Promise.all(running.map((turn) => turn.finished)).then(() => this.services.checkpoints?.finished()), deadline]);
    clearTimeout(timer);
    // A thread that never had a turn leaves no rollout behind, as in codex: it is neither listed nor resumable.
    for (const session of this.loaded.values()) if (!neverWritten(session)) await session.closeRollout();
  }

  /** Records a thread's current summary once its rollout is on disk. */
  private async indexThread(session: ThreadSession): Promise<void> {
    const file = session.rolloutPath;
    if (!file || session.ephemeral) return;
    const git = session.gitInfo && { commitHash: session.gitInfo.sha, branch: session.gitInfo.branch, repositoryUrl: session.gitInfo.originUrl };
    const meta = { ...sessionMetaOf(session, new Date(session.createdAt * 1000), session.forkedFromId, git), ...(session.projectId ? { project_id: session.projectId } : {}) };
    await this.store.put({ threadId: session.id, path: file, meta, preview: session.preview(), createdAt: session.createdAt, updatedAt: Math.floor(Date.now() / 1000), archived: false });
  }

  // ---- helpers ----

  /** Names dynamic tools may not take: the built-ins and the extra tools. */
  private reservedToolNames(model: string): Set<string> {
    const names = builtinTools(model, { processes: this.processes, execPolicy: this.execPolicy, environmentPolicy: () => this.defaults().shellEnvironmentPolicy, warnOnce: () => undefined }, new ExecSessions()).map((t) => t.name);
    return new Set(names);
  }

  private sessionFromRollout(
    rebuilt: ReconstructedThread,
    request: ThreadSettingsRequest,
    identity: ClientIdentity,
    recorder: RolloutRecorder | undefined,
    fork?: { id: string; created: Date; forkedFromId: string; ephemeral: boolean },
  ): ThreadSession {
    const meta = rebuilt.meta;
    const defaults = this.defaults(request.config, request.cwd ?? rebuilt.lastContext?.cwd ?? meta.cwd);
    const previous = this.resolver.recorded(rebuilt, defaults);
    const createdAt = fork ? Math.floor(fork.created.getTime() / 1000) : Math.floor(Date.parse(meta.timestamp) / 1000);
    const session = new ThreadSession(
      {
        id: fork?.id ?? meta.id,
        createdAt,
        updatedAt: createdAt,
        forkedFromId: fork?.forkedFromId ?? meta.forked_from_id,
        source: meta.source,
        ephemeral: fork?.ephemeral ?? false,
        gitInfo: meta.git ? { sha: meta.git.commit_hash, branch: meta.git.branch, originUrl: meta.git.repository_url } : null,
        cliVersion: meta.cli_version,
        originator: meta.originator,
        name: rebuilt.name,
        turns: rebuilt.turns,
        history: rebuilt.history,
        // A crash before the first request can leave the user's message without the context before it.
        contextInjected: rebuilt.history.some(isContextMessage),
        tokenUsage: rebuilt.tokenUsage,
        plans: rebuilt.plans,
        diffs: rebuilt.diffs,
        recorder,
        settings: this.resolver.resolve(request, defaults, previous),
        identity,
        dynamicTools: meta.dynamic_tools ?? [],
      },
      this.services,
    );
    // A fork starts outside the source's project, as a new thread does unless told.
    if (!fork) session.projectId = meta.project_id ?? null;
    return session;
  }

}

/** How long shutdown waits for interrupted turns to write their end before closing the rollouts. */
const SHUTDOWN_TURN_GRACE_MS = 5_000;

export function checkThreadId(threadId: string): void {
  if (!isUuid(threadId)) throw invalidRequest(`invalid thread id: ${JSON.stringify(threadId)} is not a UUID`);
}
