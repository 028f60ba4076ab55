// thread/* methods over the ThreadManager. Thread methods are serialized per thread id; starting a thread
// and listing run concurrently.
import { ThreadArchive, ThreadFork, ThreadList, ThreadLoadedList, ThreadNameSet, ThreadRead, ThreadResume, ThreadStart, ThreadTurnsList, ThreadUnarchive, ThreadUnsubscribe, invalidRequest, type ThreadSessionResponse, ThreadArchived, ThreadStarted, ThreadStatusChanged, ThreadTokenUsageUpdated, ThreadUnarchived, TurnDiffUpdated, TurnPlanUpdated, ThreadNameUpdated, ThreadGoalCleared, ThreadGoalUpdated, type ThreadResumeParams, type Turn } from '../../protocol';
import { checkThreadId, type ThreadManager } from '../../core/thread/threadManager';
import type { ClientIdentity, ThreadSession } from '../../core/thread/threadSession';
import { historyItems } from '../../core/thread/resumeSources';
import { collaborationModeOf } from '../../core/thread/threadView';
import { instructionsOf } from '../../core/thread/initialContext';
import { buildUserAgent } from '../../core/version';
import type { AppServer } from '../appServer';
import type { Connection } from '../connection';
import type { OutgoingMessageSender } from '../outgoing';
import type { RequestContext } from '../methodRegistry';
import { checkThreadStartExtras, settingsFromParams } from './paramChecks';
import { exclusive } from '../serialization';

export function identityOf(connection: Connection) {
  const name = connection.clientInfo?.name ?? 'tandem';
  return { originator: name, userAgent: buildUserAgent(name, connection.clientInfo?.version ?? '0') };
}

function sessionResponse(session: ThreadSession, includeTurns: boolean): ThreadSessionResponse {
  const s = session.settings;
  return {
    thread: session.toThread(includeTurns),
    model: s.model,
    modelProvider: s.modelProvider,
    serviceTier: s.serviceTier,
    disabledPluginIds: [],
    cwd: s.cwd,
    runtimeWorkspaceRoots: [s.cwd],
    instructionSources: instructionsOf(session).sources,
    approvalPolicy: s.approvalPolicy,
    approvalsReviewer: s.approvalsReviewer,
    sandbox: s.sandbox,
    // Tandem's own field, sent only when on: otherwise the answer has exactly codex's shape.
    ...(s.reviewFileChanges ? { reviewFileChanges: true } : {}),
    activePermissionProfile: s.permissionProfile ? { id: s.permissionProfile, extends: null } : null,
    reasoningEffort: s.reasoningEffort,
    multiAgentMode: 'explicitRequestOnly',
  };
}

/** What thread/resume adds: the collaboration mode in effect, the page of turns asked for, and no paginated-history cursors (whole turns only). */
function resumeResponse(session: ThreadSession, includeTurns: boolean, pageParams: TurnsPageParams | null | undefined): ThreadSessionResponse {
  return {
    ...sessionResponse(session, includeTurns),
    collaborationMode: collaborationModeOf(session.settings),
    initialTurnsPage: pageParams ? turnsPage(session.toThread(true).turns, pageParams) : null,
    turnsBackwardsCursor: null,
    itemsBackwardsCursor: null,
  };
}

/** Subscribes the caller and tells it about the new thread once it has the response. */
function announce(server: AppServer, session: ThreadSession, context: RequestContext): void {
  server.connections.subscribe(context.connection, session.id);
  context.afterResponse(() => server.outgoing.notifyThread(session.id, ThreadStarted, { thread: session.toThread(false) }));
}

/** Thread methods run one at a time per thread, in the order sent. */
export const byThread = (params: { threadId: string }) => exclusive(`thread:${params.threadId}`);

/** What a thread needs once open: its MCP servers started; a failed `required` one fails thread/start. */
export interface ThreadOpenHooks {
  opened(session: ThreadSession): void;
  /** When a `required` server is configured: `subscribe`, open, and the failure of a required one (else null). */
  requiredFailure(session: ThreadSession, subscribe: () => void): Promise<string | null>;
}

export function registerThreadHandlers(server: AppServer, threads: ThreadManager, hooks?: ThreadOpenHooks): void {
  const { registry, connections, outgoing } = server;

  registry.register(ThreadStart, {
    key: () => null,
    handle: async (params, context) => {
      if (params.dynamicTools?.length && !context.connection.experimentalApi) {
        throw invalidRequest('thread/start.dynamicTools requires experimentalApi capability');
      }
      checkThreadStartExtras(params);
      const settings = await settingsFromParams(params, async () => threads.resolver.commandDefaults().cwd);
      const session = await threads.start(settings, identityOf(context.connection));
      // With a required server the answer waits for it (subscribed first: the client hears it start);
      // otherwise the servers start right after `thread/started`, as codex orders them.
      const failure = await hooks?.requiredFailure(session, () => connections.subscribe(context.connection, session.id));
      if (failure) {
        connections.unsubscribe(context.connection, session.id);
        await threads.unload(session.id);
        throw invalidRequest(failure);
      }
      announce(server, session, context);
      context.afterResponse(() => hooks?.opened(session));
      return sessionResponse(session, false);
    },
  });

  registry.register(ThreadResume, {
    key: byThread,
    handle: async (params, context) => {
      for (const field of ['history', 'path', 'initialTurnsPage'] as const) {
        if (params[field] != null && !context.connection.experimentalApi) throw invalidRequest(`thread/resume.${field} requires experimentalApi capability`);
      }
      const wasLoaded = threads.isLoaded(params.threadId);
      const settings = await settingsFromParams(params, async () => (await threads.read(params.threadId, false)).cwd);
      const session = await resumeFrom(threads, settings, identityOf(context.connection));
      connections.subscribe(context.connection, session.id);
      hooks?.opened(session);
      context.afterResponse(() => {
        // Loading it changed its status from notLoaded; codex says so to the client that resumed.
        if (!wasLoaded) outgoing.notifyConnection(context.connection, ThreadStatusChanged, { threadId: session.id, status: session.status });
        // The goal as it stands, as codex sends it to a client that resumes: updated, or cleared when there is none.
        const goal = session.ephemeral ? null : threads.goals.get(session.id);
        if (goal) outgoing.notifyConnection(context.connection, ThreadGoalUpdated, { threadId: session.id, turnId: null, goal });
        else outgoing.notifyConnection(context.connection, ThreadGoalCleared, { threadId: session.id });
        if (session.tokenUsage && session.turns.length > 0) {
          outgoing.notifyConnection(context.connection, ThreadTokenUsageUpdated, {
            threadId: session.id,
            turnId: session.activeTurn?.id ?? session.turns[session.turns.length - 1]!.id,
            tokenUsage: session.tokenUsage,
          });
        }
        replayTurnState(outgoing, context.connection, session);
        outgoing.replayPending(context.connection, session.id);
      });
      return resumeResponse(session, !params.excludeTurns, params.initialTurnsPage);
    },
  });

  registry.register(ThreadFork, {
    key: byThread,
    handle: async (params, context) => {
      const settings = await settingsFromParams(params, async () => (await threads.read(params.threadId, false)).cwd);
      const session = await threads.fork(params.threadId, params.lastTurnId, { ...settings, ephemeral: params.ephemeral }, identityOf(context.connection));
      announce(server, session, context);
      context.afterResponse(() => hooks?.opened(session));
      return sessionResponse(session, true);
    },
  });

  registry.register(ThreadRead, {
    key: byThread,
    // Tandem keeps no unread marker: `readState: null` says so.
    handle: async (params) => ({ thread: await threads.read(params.threadId, params.includeTurns ?? false), readState: null }),
  });

  registry.register(ThreadTurnsList, {
    key: () => null,
    handle: async (params) => turnsPage((await threads.read(params.threadId, true)).turns, params),
  });

  // Codex serves 1 to 100 threads a page, whatever the limit asked.
  const pageLimit = (limit: number | null | undefined) => (limit == null ? limit : Math.min(MAX_THREAD_PAGE, Math.max(1, limit)));
  registry.register(ThreadList, { key: () => null, handle: async (params) => ({ ...(await threads.list({ ...params, limit: pageLimit(params.limit) })), backwardsCursor: null }) });

  registry.register(ThreadLoadedList, {
    key: () => null,
    handle: async (params) => {
      const ids = threads.loadedIds().sort();
      const start = params.cursor ? parseIndexCursor(params.cursor, ids.length) : 0;
      const limit = params.limit || ids.length || 1;
      return { data: ids.slice(start, start + limit), nextCursor: start + limit < ids.length ? String(start + limit) : null };
    },
  });

  registry.register(ThreadArchive, {
    key: byThread,
    handle: async (params) => {
      await threads.archive(params.threadId);
      outgoing.broadcast(ThreadArchived, { threadId: params.threadId });
      return {};
    },
  });

  registry.register(ThreadUnarchive, {
    key: byThread,
    handle: async (params) => {
      const thread = await threads.unarchive(params.threadId);
      outgoing.broadcast(ThreadUnarchived, { threadId: params.threadId });
      return { thread };
    },
  });

  registry.register(ThreadNameSet, {
    key: byThread,
    handle: async (params, context) => {
      const session = await threads.setName(params.threadId, params.name, identityOf(context.connection));
      // Subscribers heard it from the thread; a client renaming a thread it does not watch hears it too.
      if (!connections.subscribersOf(session.id).has(context.connection)) {
        context.afterResponse(() => outgoing.notifyConnection(context.connection, ThreadNameUpdated, { threadId: session.id, threadName: session.name ?? undefined }));
      }
      return {};
    },
  });

  registry.register(ThreadUnsubscribe, {
    key: byThread,
    handle: async (params, context) => {
      checkThreadId(params.threadId);
      if (!threads.isLoaded(params.threadId)) return { status: 'notLoaded' as const };
      return { status: connections.unsubscribe(context.connection, params.threadId) ? ('unsubscribed' as const) : ('notSubscribed' as const) };
    },
  });
}

/** The most threads one thread/list page holds. */
const MAX_THREAD_PAGE = 100;

type TurnsPageParams = { cursor?: string | null; limit?: number | null; sortDirection?: 'asc' | 'desc' | null; itemsView?: 'notLoaded' | 'summary' | 'full' | null };

/** A thread/turns/list page (thread/resume's `initialTurnsPage` too): newest first unless asked, by index cursors. */
function turnsPage(turns: Turn[], params: TurnsPageParams) {
  const ordered = (params.sortDirection ?? 'desc') === 'desc' ? [...turns].reverse() : turns;
  const start = params.cursor ? parseIndexCursor(params.cursor, ordered.length) : 0;
  const limit = Math.max(1, params.limit ?? 25);
  const page = ordered.slice(start, start + limit).map((turn) => (params.itemsView === 'notLoaded' ? { ...turn, items: [], itemsView: 'notLoaded' as const } : turn));
  const next = start + limit < ordered.length ? String(start + limit) : null;
  return { data: page, nextCursor: next, backwardsCursor: start > 0 ? String(Math.max(0, start - limit)) : null };
}

/** thread/resume from given history (a new thread), from a rollout path, or by id. */
async function resumeFrom(threads: ThreadManager, params: ThreadResumeParams, identity: ClientIdentity): Promise<ThreadSession> {
  if (params.history != null) {
    if (threads.isLoaded(params.threadId)) throw invalidRequest(`cannot resume thread ${params.threadId} with history while it is already running`);
    const items = historyItems(params.history);
    const session = await threads.start(params, identity);
    session.appendHistory(...items);
    await session.flushRollout();
    await session.services.indexThread(session);
    return session;
  }
  if (params.path != null) return threads.resumeAt(params.threadId, params.path, params, identity);
  return threads.resume(params.threadId, params, identity);
}

function parseIndexCursor(cursor: string, total: number): number {
  const index = Number(cursor);
  if (!Number.isInteger(index) || index < 0) throw invalidRequest(`invalid cursor: ${cursor}`);
  if (index > total) throw invalidRequest(`cursor ${index} exceeds total ${total}`);
  return index;
}

/** The latest plan and the last turn's diff, as the thread recorded them, for a client that (re)joins. */
function replayTurnState(outgoing: OutgoingMessageSender, connection: Connection, session: ThreadSession): void {
  const plan = [...session.ledger.plans].at(-1);
  if (plan) outgoing.notifyConnection(connection, TurnPlanUpdated, { threadId: session.id, turnId: plan[0], ...plan[1] });
  const lastTurnId = session.activeTurn?.id ?? session.turns.at(-1)?.id;
  const running = session.activeTurn?.diff;
  const diff = running ? (running.hasChanges ? running.aggregate() : undefined) : lastTurnId ? session.ledger.diffs.get(lastTurnId) : undefined;
  if (lastTurnId && diff) outgoing.notifyConnection(connection, TurnDiffUpdated, { threadId: session.id, turnId: lastTurnId, diff });
}
