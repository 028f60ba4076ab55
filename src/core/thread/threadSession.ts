// One loaded thread: its settings, model history, turns and status, and the operations on them (start a
// turn, steer it, interrupt it, rename). The turn loop itself lives in turnRunner.ts.
import { ErrorCode, RpcError, invalidRequest, type SessionSource, type Thread, type ThreadStatus, type ThreadTokenUsage, type Turn, type ThreadItem, type UserInput, type GitInfo, type DynamicToolSpec, ThreadNameUpdated, ThreadStatusChanged, Warning } from '../../protocol';
import type { Logger } from '../log';
import type { ProcessManager } from '../exec/processManager';
import type { CheckpointStore } from '../checkpoints/checkpointStore';
import type { ShellEnvironmentPolicy } from '../exec/environment';
import type { ModelClient } from '../model/responsesClient';
import type { ResponseItem } from '../model/responseItems';
import type { RolloutLineType } from '../rollout/recorder';
import { ThreadRollout } from './threadRollout';
import { ThreadStatusTracker } from './threadStatus';
import { TurnLedger } from './turnLedger';
import type { ThreadInit } from './threadInit';
import { previewOf, threadView } from './threadView';
import type { ToolRegistry } from '../tools/registry';
import { uuidv7 } from '../ids';
import { TurnSuspended } from './turnContinuation';
import type { ThreadEventSink } from './events';
import { ConversationHistory, historyBeforeUserMessage, userMessagesIn } from './history';
import { ActiveTurn, type TurnOptions, type UserShellRun } from './activeTurn';
import { SessionApprovals } from '../approvals/sessionApprovals';
import { ExecSessions } from '../tools/execTools';
import { userMessageItem, validateUserInput } from './userInput';
import type { CompactionLimits } from './compactionLimits';
import { definedOnly, turnContextRecord, type ClientIdentity, type ThreadSettings, type TurnOverrides } from './threadSettings';

export type { ClientIdentity, ThreadSettings, TurnOverrides } from './threadSettings';
export type { ThreadInit } from './threadInit';
export type { TurnOptions } from './activeTurn';

export interface ThreadServices {
  /** Tandem's home folder. */
  readonly home: string;
  readonly logger: Logger;
  readonly events: ThreadEventSink;
  createModelClient(settings: ThreadSettings): ModelClient;
  toolsFor(session: ThreadSession): ToolRegistry;
  /** Where turns record the files they change, so they can be undone; none: no checkpoints. */
  readonly checkpoints?: CheckpointStore;
  /** Before a turn builds its tools: what they come from is ready (MCP servers started or given up). */
  prepareTools(session: ThreadSession, signal: AbortSignal): Promise<void>;
  projectDocMaxBytes(): number;
  /** When to compact a thread on this model, and the summarisation prompt from config (if any). */
  compaction(model: string): { limits: CompactionLimits; prompt: string | undefined };
  /** Runs processes (the user's shell commands; the tools get it through `toolsFor`). */
  readonly processes: ProcessManager;
  /** The environment commands start from (`[shell_environment_policy]`). */
  environmentPolicy(): ShellEnvironmentPolicy;
  /** Records the thread in the rollout index (after its rollout was flushed). */
  indexThread(session: ThreadSession): Promise<void>;
  /** Runs a turn; injected so the session does not depend on the loop's details. */
  runTurn(session: ThreadSession, turn: ActiveTurn): Promise<void>;
}

export class ThreadSession {
  readonly id: string;
  readonly createdAt: number;
  updatedAt: number;
  recencyAt: number | null = null;
  /** The project a client assigned this thread to, if any. */
  projectId: string | null = null;
  /** The client's entries for the model requests' turn metadata header (`responsesapiClientMetadata`). */
  clientMetadata: Record<string, string> = {};
  readonly forkedFromId: string | null;
  readonly source: SessionSource;
  readonly ephemeral: boolean;
  readonly gitInfo: GitInfo | null;
  readonly cliVersion: string;
  readonly originator: string;
  private currentName: string | null;
  readonly turns: Turn[];
  readonly history: ConversationHistory;
  private injected: boolean;
  /** Plans, diffs and token usage, kept so a client that comes back sees them again. */
  readonly ledger: TurnLedger;
  private currentSettings: ThreadSettings;
  identity: ClientIdentity;
  /** Client-provided tools registered at thread start. */
  readonly dynamicTools: DynamicToolSpec[];
  activeTurn: ActiveTurn | undefined;
  /** Resolves when the last turn started is recorded on disk (turn/start answers after it). */
  started: Promise<void> = Promise.resolve();
  /** What the user allowed "for this session" in this thread. */
  readonly approvals = new SessionApprovals();
  /** Processes this thread started (exec_command sessions). */
  readonly execSessions = new ExecSessions();
  /** When something last happened here (ms); idle threads are unloaded after a while. */
  private lastActivity = Date.now();
  private readonly warned = new Set<string>();
  private readonly rollout: ThreadRollout;
  private readonly statusTracker: ThreadStatusTracker;

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
    this.currentName = init.name;
    this.turns = init.turns;
    this.history = new ConversationHistory(init.history);
    this.injected = init.contextInjected;
    this.ledger = new TurnLedger(init.id, services.events, (type, payload) => this.persist(type, payload), init);
    this.rollout = new ThreadRollout(init.recorder, (message) => {
      this.services.logger.warn(message, { threadId: this.id });
      this.services.events.notify(this.id, Warning, { message, threadId: this.id });
    });
    this.currentSettings = init.settings;
    this.identity = init.identity;
    this.dynamicTools = init.dynamicTools ?? [];
    this.statusTracker = new ThreadStatusTracker(
      () => this.activeTurn !== undefined,
      (status) => this.services.events.notify(this.id, ThreadStatusChanged, { threadId: this.id, status }),
    );
  }

  get rolloutPath(): string | null {
    return this.rollout.path;
  }

  get name(): string | null {
    return this.currentName;
  }

  get settings(): ThreadSettings {
    return this.currentSettings;
  }

  /** Whether the initial context (instructions, environment, AGENTS.md) is in the history. */
  get contextInjected(): boolean {
    return this.injected;
  }

  get tokenUsage(): ThreadTokenUsage | undefined {
    return this.ledger.tokenUsage;
  }

  get pendingApprovals(): number {
    return this.statusTracker.pendingApprovals;
  }

  get lastActivityMs(): number {
    return this.lastActivity;
  }

  /** Something happened here: the idle unloader waits again. */
  touch(): void {
    this.lastActivity = Date.now();
  }

  /** New settings from a client that resumed the thread; only between turns. */
  resumeWith(settings: ThreadSettings): void {
    if (!this.activeTurn) this.currentSettings = settings;
  }

  /** Nothing running and nobody waiting on an answer: the thread may be unloaded. */
  get isIdle(): boolean {
    return !this.activeTurn && this.statusTracker.pendingApprovals === 0;
  }

  get status(): ThreadStatus {
    return this.statusTracker.current;
  }

  /** Sends `thread/status/changed` when the derived status differs from the last one sent. */
  publishStatus(): void {
    this.statusTracker.publish();
  }

  /** A `warning` to the thread's clients, once per distinct message. */
  warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.services.logger.warn(message, { threadId: this.id });
    this.services.events.notify(this.id, Warning, { message, threadId: this.id });
  }

  markSystemError(value: boolean): void {
    this.statusTracker.markSystemError(value);
  }

  // ---- turns ----

  /** Starts a turn and returns it in progress; the loop runs after the caller has answered. */
  startTurn(input: UserInput[], clientId: string | null, overrides: TurnOverrides, identity: ClientIdentity, options: TurnOptions = {}): Turn {
    // Codex starts a turn with no input (the model answers from the history); steering needs some.
    validateUserInput(input, { allowEmpty: !this.activeTurn });
    if (this.activeTurn) {
      this.steer(input, clientId, undefined);
      return this.activeTurn.snapshot();
    }
    this.updateSettings(overrides);
    const turn = new ActiveTurn(uuidv7(), input, clientId);
    turn.outputSchema = options.outputSchema;
    turn.serviceTier = options.serviceTier;
    turn.rootTurnId = options.rootTurnId ?? null;
    turn.context = options.context ?? [];
    return this.launch(turn, identity);
  }

  /** Settings for the next turns (`thread/settings/update`); a running turn keeps what it started with. */
  updateSettings(overrides: TurnOverrides): void {
    this.currentSettings = { ...this.currentSettings, ...definedOnly(overrides) };
  }

  /** Rewinds the history only (`thread/revert`): the turns from `beforeTurnId` on leave the thread and the model's view. */
  revert(beforeTurnId: string): void {
    if (this.activeTurn) throw invalidRequest(`thread ${this.id} has a turn running; interrupt it before reverting`);
    const index = this.turns.findIndex((t) => t.id === beforeTurnId);
    if (index === -1) throw invalidRequest(`turn not found: ${beforeTurnId}`);
    for (const turn of this.turns.splice(index)) this.ledger.forget(turn.id);
    this.history.replace(historyBeforeUserMessage(this.history.snapshot(), userMessagesIn(this.turns)));
    this.persist('event_msg', { type: 'thread_reverted', before_turn_id: beforeTurnId });
  }

  /** Raw items for the model's history (`thread/inject_items`); during a turn, before its next request. */
  injectItems(items: ResponseItem[]): void {
    if (this.activeTurn) this.activeTurn.pendingContext.push(...items);
    else this.appendHistory(...items);
  }

  /** Starts a turn that runs the user's own command (`thread/shellCommand` while no turn runs). */
  startShellTurn(run: UserShellRun, identity: ClientIdentity): void {
    const turn = new ActiveTurn(uuidv7(), [], null, 'shell');
    turn.shell = run;
    this.launch(turn, identity);
  }

  /** Starts a review turn (`review/start`), answered as codex answers: not started yet, its description as a user message under the turn's id. */
  startReview(review: { description: string; prompt: string }, identity: ClientIdentity): Turn {
    if (this.activeTurn) throw invalidRequest(`thread ${this.id} has a turn running; review once it has finished`);
    const turn = new ActiveTurn(uuidv7(), [], null, 'review');
    turn.review = review;
    const started = this.launch(turn, identity);
    const description: ThreadItem = { type: 'userMessage', id: turn.id, clientId: null, content: [{ type: 'text', text: review.description, text_elements: [] }] };
    return { ...started, rootTurnId: null, items: [description] };
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
    // A review cut off stays interrupted: its conversation was never recorded, so there is nothing to pick up.
    if (index === -1 || this.activeTurn || this.turns[index]!.items.some((item) => item.type === 'enteredReviewMode')) return;
    const [cut] = this.turns.splice(index, 1);
    this.launch(new ActiveTurn(turnId, [], null, 'continue', { startedAt: cut!.startedAt, items: cut!.items }), identity);
  }

  private launch(turn: ActiveTurn, identity: ClientIdentity): Turn {
    this.lastActivity = Date.now();
    this.identity = identity;
    this.activeTurn = turn;
    this.statusTracker.markSystemError(false);
    this.recencyAt = turn.startedAt;
    this.recordTurnStart(turn);
    const runTurn = this.services.runTurn;
    // The loop starts once the turn's start is on disk, after the client has its answer (see `started`).
    this.started = this.flushRollout().then(() => {
      setImmediate(() => {
        runTurn(this, turn)
          .catch((error: unknown) => this.services.logger.error('turn loop crashed', { threadId: this.id, error: String(error) }))
          .finally(() => turn.markFinished());
      });
    });
    return { ...turn.snapshot(), itemsView: 'notLoaded', startedAt: null };
  }

  /**
   * What the turn runs with, that it started (or was continued), and the user's message are recorded before
   * the client is answered: a crash right after `turn/start` leaves the thread listed, with the message.
   */
  private recordTurnStart(turn: ActiveTurn): void {
    this.persist('turn_context', turnContextRecord(this.settings, turn.id));
    if (turn.kind === 'continue') this.persist('event_msg', { type: 'turn_continued', turn_id: turn.id });
    else this.persist('event_msg', { type: 'task_started', turn_id: turn.id, started_at: turn.startedAt, ...(turn.rootTurnId ? { root_turn_id: turn.rootTurnId } : {}) });
    if (turn.kind !== 'regular' || turn.input.length === 0) return;
    turn.opening = {
      item: { type: 'userMessage', id: uuidv7(), clientId: turn.clientId, content: turn.input },
      message: userMessageItem(turn.input, this.settings.cwd),
    };
    this.persist('event_msg', { type: 'turn_input', turn_id: turn.id, ...turn.opening });
  }

  /** Adds input to the running turn: a reply still streaming is cut short for it, else it waits for the tools. */
  steer(input: UserInput[], clientId: string | null, expectedTurnId: string | undefined): string {
    validateUserInput(input);
    const active = this.activeTurn;
    if (!active || active.interruptRequested) throw invalidRequest('no active turn to steer');
    if (active.kind === 'compact' || active.kind === 'review') {
      throw new RpcError(ErrorCode.InvalidRequest, `cannot steer a ${active.kind} turn`, {
        message: `cannot steer a ${active.kind} turn`,
        codexErrorInfo: { activeTurnNotSteerable: { turnKind: active.kind } },
        additionalDetails: null,
      });
    }
    if (expectedTurnId !== undefined && expectedTurnId !== active.id) {
      throw invalidRequest(`expected active turn id ${expectedTurnId} but found ${active.id}`);
    }
    active.addInput(input, clientId);
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
    this.lastActivity = Date.now();
    this.turns.push(turn);
    this.activeTurn = undefined;
    this.updatedAt = Math.floor(Date.now() / 1000);
  }

  // ---- what turns record ----

  /** Adds items to the model history and to the rollout. */
  appendHistory(...items: ResponseItem[]): void {
    this.history.record(...items);
    for (const item of items) this.persist('response_item', item);
  }

  /** The initial context goes in once, before the first user message. */
  injectContext(items: ResponseItem[]): void {
    this.appendHistory(...items);
    this.injected = true;
  }

  /** Compaction: the history starts over from `replacement`, which carries the context again. */
  replaceHistory(replacement: ResponseItem[], summary: string): void {
    this.history.replace(replacement);
    this.injected = true;
    this.persist('compacted', { message: summary, replacement_history: replacement });
  }

  /** Counts an approval the thread waits on until the returned release is called (see ThreadStatusTracker.hold). */
  holdApproval(): () => void {
    return this.statusTracker.hold();
  }

  // ---- persistence ----

  persist(type: RolloutLineType, payload: unknown): void {
    this.rollout.record(type, payload);
  }

  /** Stops the running turn for a restart: it stays unfinished in the rollout (see turnContinuation.ts). */
  suspend(): void {
    if (!this.activeTurn) return;
    this.rollout.stopWriting();
    this.activeTurn.controller.abort(new TurnSuspended());
  }

  flushRollout(): Promise<void> {
    return this.rollout.flush();
  }

  closeRollout(): Promise<void> {
    return this.rollout.close();
  }

  /** A fork takes its source's name, on disk too. */
  adoptName(name: string): void {
    this.currentName = name;
    this.persist('event_msg', { type: 'thread_name_updated', thread_name: name });
  }

  async setName(name: string): Promise<void> {
    this.currentName = name.trim() === '' ? null : name;
    this.persist('event_msg', { type: 'thread_name_updated', thread_name: this.currentName });
    await this.flushRollout();
    this.services.events.notify(this.id, ThreadNameUpdated, { threadId: this.id, threadName: this.name ?? undefined });
  }

  // ---- views ----

  preview(): string {
    return previewOf(this);
  }

  toThread(includeTurns: boolean): Thread {
    return threadView(this, includeTurns);
  }
}
