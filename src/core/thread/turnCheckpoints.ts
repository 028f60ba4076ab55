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
    prepare() {
      if (!state.began) void store.prepare(session.id, turn.id, workspace);
    },
    async beforePatch(files) {
      // Tried is enough for the turn's end to be recorded: a checkpoint saved before a later failure needs it.
      state.began = true;
      try {
        const { checkpoint } = await store.recordFiles(session.id, turn.id, workspace, files);
        if (checkpoint.limitation) failed(new CheckpointError('tooLarge', checkpoint.limitation), 'changes made by commands');
      } catch (error) {
        failed(error, 'the changes of this patch');
      }
    },
    async beforeCommand() {
      state.began = true;
      try {
        await store.begin(session.id, turn.id, workspace);
      } catch (error) {
        failed(error, 'changes made by commands');
      }
    },
  };
}

/**
 * At the end of a turn that recorded a checkpoint: records what the turn changed, in the background so
 * the turn completes at once (a client reading the checkpoints, or the next snapshot, waits for it).
 */
export function finishTurnCheckpoint(session: ThreadSession, turn: ActiveTurn, store: CheckpointStore | undefined): void {
  store?.discardPrepared(session.id, turn.id);
  if (!store || !states.get(turn)?.began) return;
  store.finishLater(session.id, turn.id, session.settings.cwd, (error) =>
    session.services.logger.warn('checkpoint not finished', { threadId: session.id, turnId: turn.id, error: error instanceof Error ? error.message : String(error) }),
  );
}
