// Unloads threads that sat idle with nobody subscribed (config `thread_idle_unload_minutes`), and tells
// clients: `thread/status/changed` → notLoaded, then `thread/closed`. They come back on demand.
import { ThreadClosed, ThreadStatusChanged } from '../protocol';
import type { ThreadManager } from '../core/thread/threadManager';
import type { AppServer } from './appServer';

const MAX_SWEEP_INTERVAL_MS = 60_000;
const MIN_SWEEP_INTERVAL_MS = 100;

export function startIdleUnloader(server: AppServer, threads: ThreadManager): void {
  let sweeping = false;
  const sweep = async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      const unloaded = await threads.unloadIdle(threads.idleUnloadMs(), (threadId) => server.connections.subscribersOf(threadId).size > 0);
      for (const threadId of unloaded) {
        server.outgoing.broadcast(ThreadStatusChanged, { threadId, status: { type: 'notLoaded' } });
        server.outgoing.broadcast(ThreadClosed, { threadId });
      }
    } catch (error) {
      server.logger.warn('unloading idle threads failed', { error: String(error) });
    } finally {
      sweeping = false;
    }
  };
  const interval = Math.min(MAX_SWEEP_INTERVAL_MS, Math.max(MIN_SWEEP_INTERVAL_MS, threads.idleUnloadMs() / 4));
  const timer = setInterval(() => void sweep(), interval);
  timer.unref();
  server.onShutdown(() => clearInterval(timer));
}
