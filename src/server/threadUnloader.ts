// Unloads threads that sat idle with nobody subscribed (config `thread_idle_unload_minutes`), and tells
// clients: `thread/status/changed` → notLoaded, then `thread/closed`. They come back on demand.
import { ThreadClosed, ThreadStatusChanged } from '../protocol';
import type { ThreadManager } from '../core/thread/threadManager';
import type { AppServer } from './appServer';

const MAX_SWEEP_INTERVAL_MS = 60_000;
const MIN_SWEEP_INTERVAL_MS = 100;

/** `afterSweep` runs after each pass (closing what unloaded threads held, such as their MCP servers). */
export function startIdleUnloader(server: AppServer, threads: ThreadManager, afterSweep: () => Promise<void> = async () => undefined): void {
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
      await afterSweep();
    } catch (error) {
      server.logger.warn('unloading idle threads failed', { error: String(error) });
    } finally {
      sweeping = false;
    }
  };
  // Threads load only for initialized clients, so the sweeps (and the config read that paces them) start
  // with the first one, after its `initialize` is answered: a cold start answers sooner.
  let timer: NodeJS.Timeout | undefined;
  server.onInitialized(() => {
    if (timer) return;
    let idleMs: number;
    try {
      idleMs = threads.idleUnloadMs();
    } catch (error) {
      server.logger.warn('reading thread_idle_unload_minutes failed; sweeping every minute', { error: String(error) });
      idleMs = MAX_SWEEP_INTERVAL_MS * 4;
    }
    timer = setInterval(() => void sweep(), Math.min(MAX_SWEEP_INTERVAL_MS, Math.max(MIN_SWEEP_INTERVAL_MS, idleMs / 4)));
    timer.unref();
  });
  server.onShutdown(() => clearInterval(timer));
}
