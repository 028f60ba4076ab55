// A turn's checkpoint: before the turn first changes the workspace (a patch, or a command that may write)
// the files are recorded in the workspace's shadow repository, and when the turn ends what it changed is
// recorded too, so the turn can be undone. Recording never stops a tool: when it cannot be done (a
// workspace too large to snapshot, git missing) the user is told once per turn what cannot be undone.
import { Warning } from '../../protocol';
import type { CheckpointStore } from '../checkpoints/checkpointStore';
import { CheckpointError } from '../checkpoints/errors';
import type { ToolCallContext } from '../tools/registry';
import type { ActiveTurn } from './activeTurn';
import type { ThreadSession } from './threadSession';

interface TurnState {
  began: boolean;
  warned: boolean;
}

const states = new WeakMap<ActiveTurn, TurnState>();
/** Threads already told their workspace is too large to snapshot: once per thread is enough. */
const toldTooLarge = new WeakSet<ThreadSession>();

function stateOf(turn: ActiveTurn): TurnState {
  let state = states.get(turn);
  if (!state) states.set(turn, (state = { began: false, warned: false }));
  return state;
}

/** The hooks the turn's tools call before they change files; none when the thread keeps no checkpoints. */
export function checkpointHooks(session: ThreadSession, turn: ActiveTurn): ToolCallContext['checkpoint'] {
  const store = session.services.checkpoints;
  if (!store) return undefined;
  const state = stateOf(turn);
  const workspace = session.settings.cwd;
  const failed = (error: unknown, what: string) => {
    const reason = error instanceof Error ? error.message : String(error);
    session.services.logger.warn('checkpoint not recorded', { threadId: session.id, turnId: turn.id, what, error: reason });
    if (state.warned) return;
    state.warned = true;
    const tooLarge = error instanceof CheckpointError && error.kind === 'tooLarge';
    if (tooLarge && toldTooLarge.has(session)) return;
    if (tooLarge) toldTooLarge.add(session);
    session.services.events.notify(session.id, Warning, { threadId: session.id, message: `Tandem could not record a checkpoint, so ${what} in this turn cannot be undone: ${reason}` });
  };
  return {
    async beforePatch(files) {
      try {
        const { checkpoint } = await store.recordFiles(session.id, turn.id, workspace, files);
        state.began = true;
        if (checkpoint.limitation) failed(new CheckpointError('tooLarge', checkpoint.limitation), 'changes made by commands');
      } catch (error) {
        failed(error, 'the changes of this patch');
      }
    },
    async beforeCommand() {
      try {
        await store.begin(session.id, turn.id, workspace);
        state.began = true;
      } catch (error) {
        failed(error, 'changes made by commands');
      }
    },
  };
}

/** At the end of a turn that recorded a checkpoint: records what the turn changed. */
export async function finishTurnCheckpoint(session: ThreadSession, turn: ActiveTurn, store: CheckpointStore | undefined): Promise<void> {
  if (!store || !states.get(turn)?.began) return;
  try {
    await store.finish(session.id, turn.id);
  } catch (error) {
    session.services.logger.warn('checkpoint not finished', { threadId: session.id, turnId: turn.id, error: error instanceof Error ? error.message : String(error) });
  }
}
