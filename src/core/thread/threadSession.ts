// One loaded thread: its settings, model history, turns and status, and the operations on them (start a
// turn, steer it, interrupt it, rename). The turn loop itself lives in turnRunner.ts.
import {
  ErrorCode,
  RpcError,
  invalidRequest,
  type ApprovalsReviewer,
  type AskForApproval,
  type ReasoningSummary,
  type SandboxPolicy,
  type SessionSource,
  type Thread,
  type ThreadItem,
  type ThreadStatus,
  type ThreadTokenUsage,
  type Turn,
  type UserInput,
  type GitInfo,
  type DynamicToolSpec,
} from '../../protocol';
import type { Logger } from '../log';
import type { ModelClient } from '../model/responsesClient';
import type { ResponseItem } from '../model/responseItems';
import type { RolloutLineType, RolloutRecorder } from '../rollout/recorder';
import type { ToolRegistry } from '../tools/registry';
import { uuidv7 } from '../ids';
import { TurnSuspended } from './turnContinuation';
import type { ThreadEventSink } from './events';
import { ConversationHistory } from './history';
import type { TurnEmitter } from './turnEmitter';
import { SessionApprovals } from '../approvals/sessionApprovals';
import type { TurnDiffTracker } from '../tools/turnDiff';
import { ExecSessions } from '../tools/execTools';
import { validateUserInput } from './userInput';
import { userInputText } from '../rollout/reconstruct';
import type { CompactionLimits } from './compactionLimits';
import type { TurnPlan } from '../rollout/reconstruct';

export interface ThreadSettings {
  model: string;
  modelProvider: string;
  cwd: string;
  approvalPolicy: AskForApproval;
  approvalsReviewer: ApprovalsReviewer;
  sandbox: SandboxPolicy;
  reasoningEffort: string | null;
  reasoningSummary: ReasoningSummary;
  serviceTier: string | null;
  baseInstructions: string;
  developerInstructions: string | undefined;
}

/** Per-turn overrides from `turn/start`; they stick for later turns. */
export type TurnOverrides = Partial<Pick<ThreadSettings, 'model' | 'cwd' | 'approvalPolicy' | 'approvalsReviewer' | 'sandbox' | 'reasoningEffort' | 'reasoningSummary' | 'serviceTier'>>;

export interface ClientIdentity {
  originator: string;
  userAgent: string;
}

export interface ThreadServices {
  /** Tandem's home folder. */
  readonly home: string;
  readonly logger: Logger;
  readonly events: ThreadEventSink;
  createModelClient(settings: ThreadSettings): ModelClient;
  toolsFor(session: ThreadSession): ToolRegistry;
  projectDocMaxBytes(): number;
  /** When to compact a thread on this model, and the summarisation prompt from config (if any). */
  compaction(model: string): { limits: CompactionLimits; prompt: string | undefined };
  /** Records the thread in the rollout index (after its rollout was flushed). */
  indexThread(session: ThreadSession): Promise<void>;
  /** Runs a turn; injected so the session does not depend on the loop's details. */
  runTurn(session: ThreadSession, turn: ActiveTurn): Promise<void>;
}

export interface ThreadInit {
  id: string;
  createdAt: number;
  updatedAt: number;
  forkedFromId: string | null;
  source: SessionSource;
  ephemeral: boolean;
  gitInfo: GitInfo | null;
  cliVersion: string;
  originator: string;
  name: string | null;
  turns: Turn[];
  history: ResponseItem[];
  contextInjected: boolean;
  tokenUsage: ThreadTokenUsage | undefined;
  /** Each turn's latest plan and final diff, as recorded. */
  plans?: Map<string, TurnPlan>;
  diffs?: Map<string, string>;
  recorder: RolloutRecorder | undefined;
  settings: ThreadSettings;
  identity: ClientIdentity;
  dynamicTools?: DynamicToolSpec[];
}

/**
 * A regular turn samples the model with the user's input; a compact turn only compacts the thread; a
 * `continue` turn is one a host restart cut off, picked up again from its recorded history.
 */
export type TurnKind = 'regular' | 'compact' | 'continue';

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

export class ThreadSession {
  private suspended = false;
  readonly id: string;
  readonly createdAt: number;
  updatedAt: number;
  recencyAt: number | null = null;
  readonly forkedFromId: string | null;
  readonly source: SessionSource;
  readonly ephemeral: boolean;
  readonly gitInfo: GitInfo | null;
  readonly cliVersion: string;
  readonly originator: string;
  name: string | null;
  readonly turns: Turn[];
  readonly history: ConversationHistory;
  contextInjected: boolean;
  tokenUsage: ThreadTokenUsage | undefined;
  /** Each turn's latest plan and final diff, so a client that comes back sees them again. */
  readonly plans: Map<string, TurnPlan>;
  readonly diffs: Map<string, string>;
  settings: ThreadSettings;
  identity: ClientIdentity;
  /** Client-provided tools registered at thread start. */
  readonly dynamicTools: DynamicToolSpec[];
  activeTurn: ActiveTurn | undefined;
  /** Server requests (approvals) this thread is waiting on. */
  pendingApprovals = 0;
  /** What the user allowed "for this session" in this thread. */
  readonly approvals = new SessionApprovals();
  /** Processes this thread started (exec_command sessions). */
  readonly execSessions = new ExecSessions();
  /** When something last happened here (ms); idle threads are unloaded after a while. */
  lastActivityMs = Date.now();
  private readonly warned = new Set<string>();
  private systemError = false;
  private recorder: RolloutRecorder | undefined;
  private lastStatus: ThreadStatus;
  private persistenceWarned = false;

  constructor(
    init: ThreadInit,
    readonly services: ThreadServices,
  ) {
    this.id = init.id;
    this.createdAt = init.createdAt;
    this.updatedAt = init.updatedAt;
    this.forkedFromId = init.forkedFromId;
    this.source = init.source;
    this.ephemeral = init.ephemeral;
    this.gitInfo = init.gitInfo;
    this.cliVersion = init.cliVersion;
    this.originator = init.originator;
    this.name = init.name;
    this.turns = init.turns;
    this.history = new ConversationHistory(init.history);
    this.contextInjected = init.contextInjected;
    this.tokenUsage = init.tokenUsage;
    this.plans = init.plans ?? new Map();
    this.diffs = init.diffs ?? new Map();
    this.recorder = init.recorder;
    this.settings = init.settings;
    this.identity = init.identity;
    this.dynamicTools = init.dynamicTools ?? [];
    this.lastStatus = this.status;
  }

  get rolloutPath(): string | null {
    return this.recorder?.path ?? null;
  }

  /** Nothing running and nobody waiting on an answer: the thread may be unloaded. */
  get isIdle(): boolean {
    return !this.activeTurn && this.pendingApprovals === 0;
  }

  get status(): ThreadStatus {
    if (this.activeTurn || this.pendingApprovals > 0) {
      return { type: 'active', activeFlags: this.pendingApprovals > 0 ? ['waitingOnApproval'] : [] };
    }
    return this.systemError ? { type: 'systemError' } : { type: 'idle' };
  }

  /** Sends `thread/status/changed` when the derived status differs from the last one sent. */
  publishStatus(): void {
    const status = this.status;
    if (JSON.stringify(status) === JSON.stringify(this.lastStatus)) return;
    this.lastStatus = status;
    this.services.events.notify(this.id, 'thread/status/changed', { threadId: this.id, status });
  }

  /** A `warning` to the thread's clients, once per distinct message. */
  warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.services.logger.warn(message, { threadId: this.id });
    this.services.events.notify(this.id, 'warning', { message, threadId: this.id });
  }

  markSystemError(value: boolean): void {
    this.systemError = value;
  }

  // ---- turns ----

  /** Starts a turn and returns it in progress; the loop runs after the caller has answered. */
  startTurn(input: UserInput[], clientId: string | null, overrides: TurnOverrides, identity: ClientIdentity): Turn {
    validateUserInput(input);
    if (this.activeTurn) {
      this.steer(input, clientId, undefined);
      return this.activeTurn.snapshot();
    }
    this.settings = { ...this.settings, ...definedOnly(overrides) };
    return this.launch(new ActiveTurn(uuidv7(), input, clientId), identity);
  }

  /** Starts a turn that compacts the thread (`thread/compact/start`); refused while a turn runs. */
  startCompaction(identity: ClientIdentity): Turn {
    if (this.activeTurn) throw invalidRequest(`thread ${this.id} has a turn running; compact it once the turn has finished`);
    return this.launch(new ActiveTurn(uuidv7(), [], null, 'compact'), identity);
  }

  /**
   * Picks up the thread's last turn, which a host restart cut off, from its recorded history: the model is
   * asked again from where the rollout ends. The turn keeps its id and the items it had finished.
   */
  continueTurn(turnId: string, identity: ClientIdentity): void {
    const index = this.turns.findIndex((t) => t.id === turnId);
    if (index === -1 || this.activeTurn) return;
    const [cut] = this.turns.splice(index, 1);
    this.launch(new ActiveTurn(turnId, [], null, 'continue', { startedAt: cut!.startedAt, items: cut!.items }), identity);
  }

  private launch(turn: ActiveTurn, identity: ClientIdentity): Turn {
    this.lastActivityMs = Date.now();
    this.identity = identity;
    this.activeTurn = turn;
    this.systemError = false;
    this.recencyAt = turn.startedAt;
    const runTurn = this.services.runTurn;
    setImmediate(() => {
      runTurn(this, turn)
        .catch((error: unknown) => this.services.logger.error('turn loop crashed', { threadId: this.id, error: String(error) }))
        .finally(() => turn.markFinished());
    });
    return { ...turn.snapshot(), itemsView: 'notLoaded', startedAt: null };
  }

  /** Adds input to the running turn; it is read before the turn's next model request. */
  steer(input: UserInput[], clientId: string | null, expectedTurnId: string | undefined): string {
    validateUserInput(input);
    const active = this.activeTurn;
    if (!active || active.interruptRequested) throw invalidRequest('no active turn to steer');
    if (active.kind === 'compact') {
      throw new RpcError(ErrorCode.InvalidRequest, `cannot steer a ${active.kind} turn`, {
        message: `cannot steer a ${active.kind} turn`,
        codexErrorInfo: { activeTurnNotSteerable: { turnKind: active.kind } },
        additionalDetails: null,
      });
    }
    if (expectedTurnId !== undefined && expectedTurnId !== active.id) {
      throw invalidRequest(`expected active turn id ${expectedTurnId} but found ${active.id}`);
    }
    active.pendingInput.push({ input, clientId });
    return active.id;
  }

  /** Resolves once the turn has actually stopped (just before its `turn/completed`). */
  interrupt(turnId: string): Promise<void> {
    const active = this.activeTurn;
    if (!active) throw invalidRequest('no active turn to interrupt');
    if (active.id !== turnId) throw invalidRequest(`turn ${turnId} is not the active turn (the active turn is ${active.id})`);
    active.interruptRequested = true;
    const stopped = new Promise<void>((resolve) => active.interruptWaiters.push(resolve));
    active.controller.abort(new Error('interrupted'));
    return stopped;
  }

  finishTurn(turn: Turn): void {
    this.lastActivityMs = Date.now();
    this.turns.push(turn);
    this.activeTurn = undefined;
    this.updatedAt = Math.floor(Date.now() / 1000);
  }

  // ---- persistence ----

  persist(type: RolloutLineType, payload: unknown): void {
    // A suspended session is about to go away with its process; what its turn does now is not kept.
    if (this.suspended) return;
    this.recorder?.record(type, payload);
  }

  /** Stops the running turn for a restart: it stays unfinished in the rollout (see turnContinuation.ts). */
  suspend(): void {
    if (!this.activeTurn) return;
    this.suspended = true;
    this.activeTurn.controller.abort(new TurnSuspended());
  }

  /** Flushes the rollout; if the home is not writable, the thread carries on in memory and says why once. */
  async flushRollout(): Promise<void> {
    if (!this.recorder) return;
    try {
      await this.recorder.flush();
    } catch (error) {
      const path = this.recorder.path;
      this.recorder = undefined;
      if (!this.persistenceWarned) {
        this.persistenceWarned = true;
        const message = `Tandem cannot save this thread (${(error as Error).message}). It keeps running, but it will be lost when the server stops. Check that ${path} is writable.`;
        this.services.logger.warn(message, { threadId: this.id });
        this.services.events.notify(this.id, 'warning', { message, threadId: this.id });
      }
    }
  }

  async replaceRecorder(recorder: RolloutRecorder | undefined): Promise<void> {
    this.recorder = recorder;
  }

  async closeRollout(): Promise<void> {
    await this.recorder?.close();
  }

  async setName(name: string): Promise<void> {
    this.name = name.trim() === '' ? null : name;
    this.persist('event_msg', { type: 'thread_name_updated', thread_name: this.name });
    await this.flushRollout();
    this.services.events.notify(this.id, 'thread/name/updated', { threadId: this.id, threadName: this.name ?? undefined });
  }

  // ---- views ----

  preview(): string {
    for (const turn of [...this.turns, ...(this.activeTurn ? [this.activeTurn.snapshot()] : [])]) {
      for (const item of turn.items) {
        if (item.type === 'userMessage') return userInputText(item.content);
      }
    }
    return userInputText(this.activeTurn?.input ?? []);
  }

  toThread(includeTurns: boolean): Thread {
    const turns = includeTurns ? [...this.turns.map((t) => ({ ...t, items: [...t.items] })), ...(this.activeTurn ? [this.activeTurn.snapshot()] : [])] : [];
    return {
      id: this.id,
      sessionId: this.id,
      forkedFromId: this.forkedFromId,
      parentThreadId: null,
      preview: this.preview(),
      ephemeral: this.ephemeral,
      model: this.settings.model,
      modelProvider: this.settings.modelProvider,
      reasoningEffort: this.settings.reasoningEffort,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      recencyAt: this.recencyAt,
      status: this.status,
      path: this.rolloutPath,
      cwd: this.settings.cwd,
      cliVersion: this.cliVersion,
      originator: this.originator,
      source: this.source,
      threadSource: null,
      agentNickname: null,
      agentRole: null,
      gitInfo: this.gitInfo,
      name: this.name,
      projectId: null,
      turns,
    };
  }
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}
