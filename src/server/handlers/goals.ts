// thread/goal/get|set|clear. A goal belongs to a stored thread, loaded or not; ephemeral threads have
// none. The change is answered first, then announced (`thread/goal/updated` with no turn, or
// `thread/goal/cleared`) to the thread's subscribers, or to every client when nobody is subscribed.
import { invalidRequest, ThreadGoalClear, ThreadGoalCleared, ThreadGoalGet, ThreadGoalSet, ThreadGoalUpdated, type NotificationDescriptor, type ParamsOf } from '../../protocol';
import type { ThreadManager } from '../../core/thread/threadManager';
import type { AppServer } from '../appServer';
import { byThread } from './threads';

export function registerGoalHandlers(server: AppServer, threads: ThreadManager): void {
  const { registry, outgoing, connections } = server;
  const { goals } = threads;
  // Reported once: the goals file could not be read and was moved aside.
  const reportProblem = () => {
    if (!goals.problem) return;
    server.logger.warn(goals.problem);
    goals.problem = null;
  };

  /** Throws -32600 unless the thread exists and keeps a rollout. */
  const checkThread = async (threadId: string) => {
    if (threads.isLoaded(threadId)) {
      if (threads.get(threadId).ephemeral) throw invalidRequest(`ephemeral thread does not support goals: ${threadId}`);
      return;
    }
    await threads.read(threadId, false);
  };

  const announce = <D extends NotificationDescriptor>(threadId: string, descriptor: D, params: ParamsOf<D>) => {
    if (connections.subscribersOf(threadId).size > 0) outgoing.notifyThread(threadId, descriptor, params);
    else outgoing.broadcast(descriptor, params);
  };

  registry.register(ThreadGoalGet, {
    key: byThread,
    handle: async (params) => {
      await checkThread(params.threadId);
      const goal = goals.get(params.threadId);
      reportProblem();
      return { goal };
    },
  });

  registry.register(ThreadGoalSet, {
    key: byThread,
    handle: async (params, context) => {
      await checkThread(params.threadId);
      const goal = goals.set(params);
      reportProblem();
      // On disk before the client hears it: a goal it was told about outlives a restart.
      await goals.save();
      context.afterResponse(() => announce(params.threadId, ThreadGoalUpdated, { threadId: params.threadId, turnId: null, goal }));
      return { goal };
    },
  });

  registry.register(ThreadGoalClear, {
    key: byThread,
    handle: async (params, context) => {
      await checkThread(params.threadId);
      const cleared = goals.clear(params.threadId);
      reportProblem();
      if (cleared) await goals.save();
      if (cleared) context.afterResponse(() => announce(params.threadId, ThreadGoalCleared, { threadId: params.threadId }));
      return { cleared };
    },
  });
}
