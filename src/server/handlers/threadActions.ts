// thread/shellCommand, thread/backgroundTerminals/*, thread/revert, thread/inject_items and thread/delete:
// what a client does to a thread besides running turns.
import {
  ThreadBackgroundTerminalsClean,
  ThreadBackgroundTerminalsList,
  ThreadBackgroundTerminalsTerminate,
  ThreadDelete,
  ThreadDeleted,
  ThreadInjectItems,
  ThreadReverted,
  ThreadRevert,
  ReviewStart,
  ThreadSettingsUpdate,
  ThreadSettingsUpdated,
  ThreadStatusChanged,
  ThreadShellCommand,
  invalidRequest,
  type ThreadBackgroundTerminal,
} from '../../protocol';
import { toResponseItem, type ResponseItem } from '../../core/model/responseItems';
import type { ThreadManager } from '../../core/thread/threadManager';
import { ensureInitialContext } from '../../core/thread/initialContext';
import { reviewRequestFor } from '../../core/thread/reviewPrompt';
import type { ThreadSession } from '../../core/thread/threadSession';
import { threadSettingsView } from '../../core/thread/threadView';
import { USER_SHELL_DEFAULT_TIMEOUT_MS, startUserShellCommand } from '../../core/thread/userShell';
import type { AppServer } from '../appServer';
import type { RequestContext } from '../methodRegistry';
import { byThread, identityOf } from './threads';
import { overridesFrom } from './turnOverrides';

export function registerThreadActionHandlers(server: AppServer, threads: ThreadManager): void {
  const { registry, connections, outgoing } = server;

  /** The thread, loaded again if needed; the caller hears its events. */
  const loadFor = async (threadId: string, context: RequestContext): Promise<ThreadSession> => {
    const session = await threads.getOrLoad(threadId, identityOf(context.connection));
    connections.subscribe(context.connection, threadId);
    return session;
  };

  registry.register(ThreadShellCommand, {
    key: byThread,
    handle: async (params, context) => {
      if (params.command.trim() === '') throw invalidRequest('command must not be empty');
      const session = await loadFor(params.threadId, context);
      // Answered at once; the command runs as an item the client watches.
      context.afterResponse(() => startUserShellCommand(session, params.command, params.timeoutMs ?? USER_SHELL_DEFAULT_TIMEOUT_MS, identityOf(context.connection)));
      return {};
    },
  });

  registry.register(ThreadBackgroundTerminalsList, {
    key: byThread,
    handle: async (params) => {
      const terminals = backgroundTerminals(threads, threads.get(params.threadId));
      const start = params.cursor ? Number(params.cursor) : 0;
      if (!Number.isInteger(start) || start < 0) throw invalidRequest(`invalid cursor: ${params.cursor}`);
      const limit = params.limit || terminals.length || 1;
      return { data: terminals.slice(start, start + limit), nextCursor: start + limit < terminals.length ? String(start + limit) : null };
    },
  });

  registry.register(ThreadBackgroundTerminalsClean, {
    key: byThread,
    handle: async (params) => {
      for (const terminal of backgroundTerminals(threads, threads.get(params.threadId))) threads.processes.get(Number(terminal.processId))?.terminate();
      return {};
    },
  });

  registry.register(ThreadBackgroundTerminalsTerminate, {
    key: byThread,
    handle: async (params) => {
      const running = backgroundTerminals(threads, threads.get(params.threadId)).some((t) => t.processId === params.processId);
      if (running) threads.processes.get(Number(params.processId))?.terminate();
      return { terminated: running };
    },
  });

  registry.register(ThreadRevert, {
    key: byThread,
    handle: async (params, context) => {
      const session = await loadFor(params.threadId, context);
      session.revert(params.beforeTurnId);
      await session.flushRollout();
      context.afterResponse(() => {
        // codex rebuilds a reverted thread from its history: clients see it unload, load again, then revert.
        outgoing.notifyThread(session.id, ThreadStatusChanged, { threadId: session.id, status: { type: 'notLoaded' } });
        outgoing.notifyThread(session.id, ThreadStatusChanged, { threadId: session.id, status: session.status });
        outgoing.notifyThread(session.id, ThreadReverted, { threadId: session.id });
      });
      return { thread: session.toThread(true), itemsBackwardsCursor: null, turnsBackwardsCursor: null };
    },
  });

  registry.register(ThreadInjectItems, {
    key: byThread,
    handle: async (params, context) => {
      const items: ResponseItem[] = params.items.map((raw, index) => {
        const item = toResponseItem(raw);
        if (!item) throw invalidRequest(`items[${index}] is not a Responses API item Tandem can send to the model`);
        return item;
      });
      const session = await loadFor(params.threadId, context);
      // As codex orders them: after the context a new thread opens with, never ahead of it.
      if (!session.activeTurn) await ensureInitialContext(session);
      session.injectItems(items);
      await session.flushRollout();
      return {};
    },
  });

  registry.register(ThreadSettingsUpdate, {
    key: byThread,
    handle: async (params, context) => {
      const session = await loadFor(params.threadId, context);
      const overrides = overridesFrom(params);
      threads.resolver.checkOverrides(session.settings, overrides);
      session.updateSettings(overrides);
      context.afterResponse(() => outgoing.notifyThread(session.id, ThreadSettingsUpdated, { threadId: session.id, threadSettings: threadSettingsView(session.settings) }));
      return {};
    },
  });

  registry.register(ReviewStart, {
    key: byThread,
    handle: async (params, context) => {
      const session = await loadFor(params.threadId, context);
      if (session.activeTurn) throw invalidRequest(`thread ${session.id} has a turn running; review once it has finished`);
      const turn = session.startReview(await reviewRequestFor(params.target, session.settings.cwd), identityOf(context.connection));
      await session.started;
      return { turn, reviewThreadId: session.id };
    },
  });

  registry.register(ThreadDelete, {
    key: byThread,
    handle: async (params, context) => {
      const watchers = [...connections.subscribersOf(params.threadId)];
      const wasLoaded = threads.isLoaded(params.threadId);
      await threads.delete(params.threadId);
      context.afterResponse(() => {
        for (const connection of new Set([...watchers, context.connection])) {
          // As codex does: a loaded thread is first unloaded, then gone.
          if (wasLoaded) outgoing.notifyConnection(connection, ThreadStatusChanged, { threadId: params.threadId, status: { type: 'notLoaded' } });
          outgoing.notifyConnection(connection, ThreadDeleted, { threadId: params.threadId });
        }
        for (const connection of watchers) connections.unsubscribe(connection, params.threadId);
      });
      return {};
    },
  });
}

/** The thread's processes still running: the commands it left behind (a yielded command, one outliving an interrupt). */
function backgroundTerminals(threads: ThreadManager, session: ThreadSession): ThreadBackgroundTerminal[] {
  const terminals: ThreadBackgroundTerminal[] = [];
  for (const id of session.execSessions.all()) {
    const process = threads.processes.get(id);
    const info = session.execSessions.info(id);
    if (!process || process.exit || !info) continue;
    terminals.push({ processId: String(id), itemId: info.itemId, command: info.command, cwd: info.cwd, osPid: process.pid ?? null, cpuPercent: null, rssKb: null });
  }
  return terminals;
}
