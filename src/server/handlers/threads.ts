// thread/* methods over the ThreadManager. Thread methods are serialized per thread id; starting a thread
// and listing run concurrently.
import { ThreadArchive, ThreadFork, ThreadList, ThreadLoadedList, ThreadNameSet, ThreadRead, ThreadResume, ThreadStart, ThreadTurnsList, ThreadUnarchive, ThreadUnsubscribe, invalidRequest, type ThreadSessionResponse, ThreadArchived, ThreadStarted, ThreadStatusChanged, ThreadTokenUsageUpdated, ThreadUnarchived, TurnDiffUpdated, TurnPlanUpdated, ThreadNameUpdated, ThreadGoalCleared, ThreadGoalUpdated } from '../../protocol';
import { checkThreadId, type ThreadManager } from '../../core/thread/threadManager';
import type { ThreadSession } from '../../core/thread/threadSession';
import { collaborationModeOf } from '../../core/thread/threadView';
import { buildUserAgent } from '../../core/version';
import type { AppServer } from '../appServer';
import type { Connection } from '../connection';
import type { OutgoingMessageSender } from '../outgoing';
import type { RequestContext } from '../methodRegistry';
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
    instructionSources: [],
    approvalPolicy: s.approvalPolicy,
    approvalsReviewer: s.approvalsReviewer,
    sandbox: s.sandbox,
    activePermissionProfile: null,
    reasoningEffort: s.reasoningEffort,
    multiAgentMode: 'explicitRequestOnly',
  };
}

/** What thread/resume adds: the collaboration mode in effect, and no paginated-history cursors (whole turns only). */
function resumeResponse(session: ThreadSession, includeTurns: boolean): ThreadSessionResponse {
  return {
    ...sessionResponse(session, includeTurns),
    collaborationMode: collaborationModeOf(session.settings),
    initialTurnsPage: null,
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

export function registerThreadHandlers(server: AppServer, threads: ThreadManager): void {
  const { registry, connections, outgoing } = server;

  registry.register(ThreadStart, {
    key: () => null,
    handle: async (params, context) => {
      if (params.dynamicTools?.length && !context.connection.experimentalApi) {
        throw invalidRequest('thread/start.dynamicTools requires experimentalApi capability');
      }
      const session = await threads.start(params, identityOf(context.connection));
      announce(server, session, context);
      return sessionResponse(session, false);
    },
  });

  registry.register(ThreadResume, {
    key: byThread,
    handle: async (params, context) => {
      const wasLoaded = threads.isLoaded(params.threadId);
      const session = await threads.resume(params.threadId, params, identityOf(context.connection));
      connections.subscribe(context.connection, session.id);
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
      return resumeResponse(session, !params.excludeTurns);
    },
  });

  registry.register(ThreadFork, {
    key: byThread,
    handle: async (params, context) => {
      const session = await threads.fork(params.threadId, params.lastTurnId, { ...params, ephemeral: params.ephemeral }, identityOf(context.connection));
      announce(server, session, context);
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
    handle: async (params) => {
      const thread = await threads.read(params.threadId, true);
      const ordered = (params.sortDirection ?? 'desc') === 'desc' ? [...thread.turns].reverse() : thread.turns;
      const start = params.cursor ? parseIndexCursor(params.cursor, ordered.length) : 0;
      const limit = params.limit ?? 25;
      const page = ordered.slice(start, start + limit).map((turn) => (params.itemsView === 'notLoaded' ? { ...turn, items: [], itemsView: 'notLoaded' as const } : turn));
      const next = start + limit < ordered.length ? String(start + limit) : null;
      return { data: page, nextCursor: next, backwardsCursor: start > 0 ? String(Math.max(0, start - limit)) : null };
    },
  });

  registry.register(ThreadList, { key: () => null, handle: async (params) => ({ ...(await threads.list(params)), backwardsCursor: null }) });

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
