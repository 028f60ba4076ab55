// The turn a thread is running: its abort controller, the input steered into it, its items as they stream,
// and a promise that settles when its loop returns.
import type { ThreadItem, Turn, UserInput } from '../../protocol';
import type { ResponseItem } from '../model/responseItems';
import type { TurnDiffTracker } from '../tools/turnDiff';
import type { TurnEmitter } from './turnEmitter';

/**
 * A regular turn samples the model with the user's input; a compact turn only compacts the thread; a
 * `continue` turn is one a host restart cut off, picked up again from its recorded history; a `shell` turn
 * runs the user's own command (and samples only if the user sends a message meanwhile).
 */
/** The user's own command, run by a shell turn or joined to a running one (see userShell.ts). */
export interface UserShellRun {
  command: string;
  timeoutMs: number;
  itemId: string;
}

export type TurnKind = 'regular' | 'compact' | 'continue' | 'shell';

export class ActiveTurn {
  readonly controller = new AbortController();
  readonly pendingInput: Array<{ input: UserInput[]; clientId: string | null }> = [];
  readonly startedAt: number;
  readonly startedAtMs = Date.now();
  interruptRequested = false;
  readonly interruptWaiters: Array<() => void> = [];
  emitter: TurnEmitter | undefined;
  /** The turn's aggregate file diff, created with the first tool context. */
  diff: TurnDiffTracker | undefined;
  /** The JSON schema this turn's final message must follow (`turn/start.outputSchema`), for this turn only. */
  outputSchema: unknown = undefined;
  /** A shell turn's command. */
  shell: UserShellRun | undefined;
  /** Context to add to the history before the next model request (a user shell command that joined the turn). */
  readonly pendingContext: ResponseItem[] = [];
  /** A regular turn's user message, as the thread shows it and as the model reads it (recorded at launch). */
  opening: { item: ThreadItem; message: ResponseItem } | undefined;
  /** Resolves once the turn loop has returned, whatever ended it. */
  readonly finished: Promise<void>;
  markFinished: () => void = () => undefined;

  constructor(
    readonly id: string,
    readonly input: UserInput[],
    readonly clientId: string | null,
    readonly kind: TurnKind = 'regular',
    /** For a continued turn: when it first started and the items it had finished then. */
    readonly carried?: { startedAt: number | null; items: ThreadItem[] },
  ) {
    this.startedAt = carried?.startedAt ?? Math.floor(this.startedAtMs / 1000);
    this.finished = new Promise((resolve) => (this.markFinished = resolve));
  }

  snapshot(): Turn {
    return {
      id: this.id,
      rootTurnId: this.id,
      items: [...(this.emitter?.items ?? this.carried?.items ?? [])],
      itemsView: 'full',
      status: 'inProgress',
      error: null,
      startedAt: this.startedAt,
      completedAt: null,
      durationMs: null,
    };
  }
}
