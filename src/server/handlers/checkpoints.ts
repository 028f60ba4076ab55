// Tandem's checkpoint methods (`tandem/checkpoint/*`): a thread's per-turn checkpoints, what restoring
// one would change, a file as a checkpoint holds it, and the restore itself. A restore never runs while
// the thread has a turn running: the turn could be changing the very files being put back.
import { CheckpointList, CheckpointReadFile, CheckpointRestore, CheckpointRestorePlan, ErrorCode, RpcError, invalidRequest, type Checkpoint } from '../../protocol';
import type { CheckpointStore, TurnCheckpoint } from '../../core/checkpoints/checkpointStore';
import { CheckpointError } from '../../core/checkpoints/errors';
import type { ThreadManager } from '../../core/thread/threadManager';
import type { AppServer } from '../appServer';
import type { RequestContext } from '../methodRegistry';
import { byThread, identityOf } from './threads';

export function registerCheckpointHandlers(server: AppServer, threads: ThreadManager): void {
  const { registry } = server;
  const storeOf = (): CheckpointStore => {
    const store = threads.checkpoints;
    if (!store) throw invalidRequest('checkpoints are turned off for this server');
    return store;
  };
  /** The thread must exist (loaded here if it was not): its checkpoints are its own. */
  const checkThread = async (threadId: string, context: RequestContext) => {
    await threads.getOrLoad(threadId, identityOf(context.connection));
  };

  registry.register(CheckpointList, {
    key: byThread,
    handle: async (params, context) => {
      const store = storeOf();
      await checkThread(params.threadId, context);
      return { data: (await guard(store.list(params.threadId))).map(checkpointView) };
    },
  });

  registry.register(CheckpointRestorePlan, {
    key: byThread,
    handle: async (params, context) => {
      const store = storeOf();
      await checkThread(params.threadId, context);
      const plan = await guard(store.planRestore(params.threadId, params.turnId, { includeLater: params.includeLater ?? false }));
      return { plan: { workspace: plan.workspace, write: plan.write, recreate: plan.recreate, delete: plan.delete, conflicts: plan.conflicts, unrestorable: plan.unrestorable } };
    },
  });

  registry.register(CheckpointReadFile, {
    key: byThread,
    handle: async (params, context) => {
      const store = storeOf();
      await checkThread(params.threadId, context);
      const bytes = await guard(store.readFile(params.threadId, params.turnId, params.path, params.side, { includeLater: params.includeLater ?? false }));
      return { contentBase64: bytes === null ? null : bytes.toString('base64') };
    },
  });

  registry.register(CheckpointRestore, {
    key: byThread,
    handle: async (params, context) => {
      const store = storeOf();
      const session = await threads.getOrLoad(params.threadId, identityOf(context.connection));
      if (session.activeTurn) throw invalidRequest(`thread ${params.threadId} has a turn running; interrupt it before restoring files`);
      // Another thread working in the same folder could be changing the very files being put back.
      const busy = threads.loadedIds().map((id) => threads.get(id)).find((other) => other !== session && other.activeTurn && other.settings.cwd === session.settings.cwd);
      if (busy) throw invalidRequest(`thread ${busy.id} has a turn running in ${session.settings.cwd}; wait for it or interrupt it before restoring files`);
      const { result, checkpoint } = await guard(store.restore(params.threadId, params.turnId, { includeLater: params.includeLater ?? false, overwrite: params.overwrite ?? [] }));
      return { restored: result.restored, conflicts: result.conflicts, failed: result.failed, unrestorable: result.unrestorable, undo: checkpointView(checkpoint) };
    },
  });
}

/** A checkpoint's failure as the client reads it: a bad request for what it asked wrongly, else an internal error. */
async function guard<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof CheckpointError) throw error.kind === 'invalid' ? invalidRequest(error.message) : new RpcError(ErrorCode.Internal, error.message);
    throw error;
  }
}

export function checkpointView(checkpoint: TurnCheckpoint): Checkpoint {
  return {
    turnId: checkpoint.turnId,
    kind: checkpoint.kind,
    workspace: checkpoint.workspace,
    scope: checkpoint.scope,
    limitation: checkpoint.limitation ?? null,
    files: checkpoint.files.map((f) => ({ path: f.path, oldPath: f.oldPath ?? null, status: f.status, additions: f.additions, deletions: f.deletions, binary: f.binary })),
    skipped: checkpoint.skipped.map((s) => ({ path: s.path, reason: s.reason })),
    restoredTurnId: checkpoint.restoredTurnId ?? null,
    finished: checkpoint.after !== null,
    createdAt: Math.floor(Date.parse(checkpoint.startedAt) / 1000),
  };
}
