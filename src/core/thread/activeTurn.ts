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

/** `review`: a code review run as its own conversation (see review.ts). */
export type TurnKind = 'regular' | 'compact' | 'continue' | 'shell' | 'review';

/** What a turn/start asks of this turn only. */
export interface TurnOptions {
  outputSchema?: unknown;
  /** `default`, or null: no tier for this turn; undefined: the thread's. */
  serviceTier?: string | null;
  rootTurnId?: string | null;
  /** Items for the model to read just before the turn's message. */
  context?: ResponseItem[];
}

export class ActiveTurn {
  readonly controller = new AbortController();
  readonly pendingInput: Array<{ input: UserInput[]; clientId: string | null }> = [];
  /** Told when input is steered in: the turn loop cuts a streaming reply short for it. */
  onSteer: (() => void) | undefined;
  readonly startedAt: number;
  readonly startedAtMs = Date.now();
  interruptRequested = false;
  readonly interruptWaiters: Array<() => void> = [];
  emitter: TurnEmitter | undefined;
  /** The turn's aggregate file diff, created with the first tool context. */
  diff: TurnDiffTracker | undefined;
  /** The JSON schema this turn's final message must follow (`turn/start.outputSchema`), for this turn only. */
  outputSchema: unknown = undefined;
  /** The service tier for this turn only (`serviceTierForTurn`); undefined: the thread's. */
  serviceTier: string | null | undefined = undefined;
  /** The first turn of the chain of work this one belongs to; its own id when the user started it. */
  rootTurnId: string | null = null;
  /** What the client added for the model to read before this turn's message (`additionalContext`). */
  context: ResponseItem[] = [];
  /** A shell turn's command. */
  shell: UserShellRun | undefined;
  /** A review turn's description (what clients show) and the request the reviewer model gets. */
  review: { description: string; prompt: string } | undefined;
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

  /** Queues steered input for the next model request and tells the loop. */
  addInput(input: UserInput[], clientId: string | null): void {
    this.pendingInput.push({ input, clientId });
    this.onSteer?.();
  }

  snapshot(): Turn {
    return {
      id: this.id,
      rootTurnId: this.rootTurnId ?? this.id,
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
