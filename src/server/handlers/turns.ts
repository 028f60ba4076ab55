// turn/start, turn/steer, turn/interrupt and thread/compact/start (a turn of its own), serialized per thread so they apply in the order sent.
import { additionalContextItems } from '../../core/thread/additionalContext';
import { checkTurnStartExtras, environmentCwd, permissionsMode } from './paramChecks';
import { ThreadCompactStart, ThreadSettingsUpdated, TurnInterrupt, TurnStart, TurnSteer } from '../../protocol';
import { threadSettingsView } from '../../core/thread/threadView';
import type { ThreadManager } from '../../core/thread/threadManager';
import type { AppServer } from '../appServer';
import type { RequestContext } from '../methodRegistry';
import { byThread, identityOf } from './threads';
import { overridesFrom } from './turnOverrides';

export function registerTurnHandlers(server: AppServer, threads: ThreadManager): void {
  const { registry } = server;

  /** The thread, loaded again if it was unloaded while idle; the caller hears its events. */
  const loadFor = async (threadId: string, context: RequestContext) => {
    const wasLoaded = threads.isLoaded(threadId);
    const session = await threads.getOrLoad(threadId, identityOf(context.connection));
    if (!wasLoaded) server.connections.subscribe(context.connection, threadId);
    return session;
  };

  registry.register(TurnStart, {
    key: byThread,
    handle: async (params, context) => {
      const session = await loadFor(params.threadId, context);
      checkTurnStartExtras(params);
      const mode = permissionsMode(params.permissions, Boolean(params.sandboxPolicy));
      const cwd = params.runtimeWorkspaceRoots || params.environments ? environmentCwd(params, params.cwd ?? session.settings.cwd) : params.cwd;
      const overrides = {
        ...overridesFrom({ ...params, cwd, sandboxPolicy: mode ? threads.resolver.sandboxPolicyForMode(mode) : params.sandboxPolicy }),
        // The profile named, or none once a sandbox is given instead ('' clears it: null means "unchanged").
        permissionProfile: params.permissions ?? (params.sandboxPolicy ? '' : undefined),
      };
      threads.resolver.checkOverrides(session.settings, overrides);
      if (params.responsesapiClientMetadata) session.clientMetadata = { ...params.responsesapiClientMetadata };
      if (params.responsesapiClientMetadataPatch) session.clientMetadata = { ...session.clientMetadata, ...params.responsesapiClientMetadataPatch };
      const before = JSON.stringify(threadSettingsView(session.settings));
      const turn = session.startTurn(params.input, params.clientUserMessageId ?? null, overrides, identityOf(context.connection), {
        outputSchema: params.outputSchema ?? undefined,
        serviceTier: params.serviceTierForTurn,
        rootTurnId: params.rootTurnId ?? params.parentTurnId,
        context: additionalContextItems(params.additionalContext),
      });
      // As codex does, a turn/start that changes the thread's settings says so before the turn starts.
      const after = threadSettingsView(session.settings);
      if (JSON.stringify(after) !== before) server.outgoing.notifyThread(session.id, ThreadSettingsUpdated, { threadId: session.id, threadSettings: after });
      // Answered once the turn's start and the user's message are on disk.
      await session.started;
      return { turn };
    },
  });

  registry.register(TurnSteer, {
    key: byThread,
    handle: async (params) => ({
      turnId: threads.get(params.threadId).steer(params.input, params.clientUserMessageId ?? null, params.expectedTurnId),
    }),
  });

  registry.register(ThreadCompactStart, {
    key: byThread,
    handle: async (params, context) => {
      const session = await loadFor(params.threadId, context);
      session.startCompaction(identityOf(context.connection));
      await session.started;
      return {};
    },
  });

  registry.register(TurnInterrupt, {
    key: byThread,
    handle: async (params) => {
      await threads.get(params.threadId).interrupt(params.turnId);
      return {};
    },
  });
}
