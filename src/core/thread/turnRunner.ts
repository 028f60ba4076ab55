// The turn loop: inject context once, record the user's message, then sample until a
// response asks for no tools and no steered input is waiting. Retryable model errors are retried with
// backoff (and an `error` notification with willRetry); anything else ends the turn failed, and an
// interrupt ends it interrupted. The thread stays usable either way.
import { type ThreadItem, type TokenUsageBreakdown, type Turn, type TurnError, ErrorNotification, TurnCompleted, TurnStarted } from '../../protocol';
import { ModelError } from '../model/errors';
import { defaultVerbosity } from '../model/catalog';
import { modelSupportsReasoning } from '../model/modelInfo';
import type { ModelClient, ResponsesRequest, TokenUsage } from '../model/responsesClient';
import { userText, type ResponseItem } from '../model/responseItems';
import type { ToolCallContext, ToolRegistry } from '../tools/registry';
import { TurnDiffTracker } from '../tools/turnDiff';
import { uuidv7 } from '../ids';
import { ensureInitialContext } from './initialContext';
import { announceSettingsChanges } from './contextUpdates';
import { announceDeferredTools, deferredNamespacesFor } from './deferredTools';
import { finishOpenItems, runSamplingAttempt, type OpenItem, type SamplingContext, type SamplingOutcome } from './sampling';
import type { ThreadSession } from './threadSession';
import type { ActiveTurn } from './activeTurn';
import { TurnEmitter } from './turnEmitter';
import { withModelRetries } from './modelRetries';
import { ReplyCutter } from './steerCut';
import { compactThread } from './compaction';
import type { CompactionLimits } from './compactionLimits';
import { TURN_ABORTED_MARKER, userMessageItem } from './userInput';
import { TurnSuspended } from './turnContinuation';
import { runUserShellCommand } from './userShell';
import { autoReviewFor } from './approvalReview';
import { checkpointHooks, finishTurnCheckpoint } from './turnCheckpoints';

export async function runTurn(session: ThreadSession, turn: ActiveTurn): Promise<void> {
  const { events } = session.services;
  const emitter = new TurnEmitter(
    events,
    session.id,
    turn.id,
    (item) => {
      session.persist('event_msg', { type: 'item_completed', turn_id: turn.id, item });
      // A tool's result is on disk as soon as it is known, not only at the turn's end.
      if (isToolItem(item)) void session.flushRollout();
    },
    // A tool's item is recorded as it starts (even one that waits on an approval); `startItem` makes it
    // durable before it is announced.
    (item) => {
      if (isToolItem(item)) session.persist('event_msg', { type: 'item_started', turn_id: turn.id, item });
    },
  );
  // A continued turn keeps the items it had finished before the restart.
  emitter.items.push(...(turn.carried?.items ?? []));
  turn.emitter = emitter;
  const signal = turn.controller.signal;

  session.publishStatus();
  events.notify(session.id, TurnStarted, { threadId: session.id, turn: { ...turn.snapshot(), itemsView: 'notLoaded' } });

  let status: 'completed' | 'failed' | 'interrupted' = 'completed';
  let error: TurnError | null = null;
  const carried: OpenItem[] = [];
  try {
    const client = session.services.createModelClient(session.settings);
    const { limits, prompt } = session.services.compaction(session.settings.model);
    const compact = () => compactThread({ session, turnId: turn.id, emitter, client, request: baseRequest(session), signal, prompt });
    if (turn.kind === 'compact') {
      await compact();
    } else if (turn.kind === 'continue') {
      await sampleUntilDone(session, turn, emitter, client, carried, limits, compact);
    } else if (turn.kind === 'shell') {
      session.appendHistory(await runUserShellCommand(session, emitter, turn.shell!, signal));
      await session.flushRollout();
      if (session.turns.length === 0) await session.services.indexThread(session);
      // A message sent while the command ran makes this a turn with the model.
      if (turn.pendingInput.length > 0) {
        const tools = await tellContext(session, signal);
        await sampleUntilDone(session, turn, emitter, client, carried, limits, compact, true, tools);
      }
    } else {
      // A turn started with no input has no message: the model answers from the history as it stands.
      const opening = turn.opening;
      // Compact first when this message would take the next request past the limit.
      if (opening && session.contextInjected && session.history.estimatedTokens([opening.message]) >= limits.autoCompactLimit) await compact();
      const tools = await tellContext(session, signal);
      // What the client added for this turn comes just before its message, as codex places it.
      if (turn.context.length > 0) session.appendHistory(...turn.context);
      if (opening) {
        session.appendHistory(opening.message);
        emitter.start(opening.item);
        emitter.complete(opening.item);
      }
      await session.flushRollout();
      // The rollout exists from the first turn on: that is when the index learns of the thread.
      if (session.turns.length === 0) await session.services.indexThread(session);
      await sampleUntilDone(session, turn, emitter, client, carried, limits, compact, false, tools);
    }
  } catch (caught) {
    if (signal.reason instanceof TurnSuspended) {
      // The server is stopping to restart: leave the turn unfinished in the rollout so the next one continues it.
      await session.flushRollout();
      return;
    }
    if (signal.aborted) {
      status = 'interrupted';
    } else {
      status = 'failed';
      error = toTurnError(caught);
      session.services.logger.warn('turn failed', { threadId: session.id, turnId: turn.id, error: error.message });
    }
  }
  // Items an interrupt cut short keep what streamed, in the turn and the rollout, but are not announced as
  // completed: codex leaves them open on the wire and clients close them with the turn.
  finishOpenItems(emitter, carried, { announce: status !== 'interrupted' });
  if (status === 'interrupted') {
    session.appendHistory(userText(TURN_ABORTED_MARKER));
  }

  // The turn's final diff, once more at its end (codex does the same), and kept for clients that come back.
  if (turn.diff?.hasChanges) {
    session.ledger.recordTurnDiff(turn.id, turn.diff.aggregate());
  }

  await completeTurn(session, turn, emitter, status, error);
  // What the turn changed is recorded once the turn is complete, in the background; a client that asks
  // for it (however soon) waits for it.
  finishTurnCheckpoint(session, turn, session.services.checkpoints);
}

/**
 * Ends a turn: recorded and flushed, indexed, the thread idle (or in error) again, then the error, the
 * answer to an interrupt, and `turn/completed` with the turn's final answer — in codex's order.
 */
export async function completeTurn(session: ThreadSession, turn: ActiveTurn, emitter: TurnEmitter, status: Turn['status'], error: TurnError | null): Promise<void> {
  const { events } = session.services;
  const completedAtMs = Date.now();
  const finished: Turn = {
    id: turn.id,
    rootTurnId: turn.rootTurnId ?? turn.id,
    items: [...emitter.items],
    itemsView: 'full',
    status,
    error,
    startedAt: turn.startedAt,
    completedAt: Math.floor(completedAtMs / 1000),
    durationMs: completedAtMs - turn.startedAtMs,
  };
  session.persist('event_msg', {
    type: 'task_complete',
    turn_id: turn.id,
    status,
    error,
    completed_at: finished.completedAt,
    duration_ms: finished.durationMs,
  });
  await session.flushRollout();
  session.markSystemError(status === 'failed');
  await session.services.indexThread(session);
  session.finishTurn(finished);

  // As codex does: the thread is idle (or in error) again before the error and the completion are reported.
  session.publishStatus();
  if (error) events.notify(session.id, ErrorNotification, { error, willRetry: false, threadId: session.id, turnId: turn.id });
  // An interrupt is answered first, then the turn completes.
  for (const resolve of turn.interruptWaiters) resolve();
  if (turn.interruptWaiters.length > 0) await new Promise((resolve) => setImmediate(resolve));
  events.notify(session.id, TurnCompleted, { threadId: session.id, turn: completionSummary(finished) });
}

/**
 * The context a turn's message follows: the initial context on the first turn, then what changed since.
 * Returns the turn's tools when telling the context needed them (a model that searches its tools).
 */
async function tellContext(session: ThreadSession, signal: AbortSignal): Promise<ToolRegistry | undefined> {
  const { namespaces, tools } = await deferredNamespacesFor(session, signal);
  await ensureInitialContext(session, namespaces);
  announceSettingsChanges(session);
  announceDeferredTools(session, namespaces);
  return tools;
}

/** The turn's tools, once what they come from is ready (MCP servers started or given up). */
async function preparedTools(session: ThreadSession, signal: AbortSignal): Promise<ToolRegistry> {
  await session.services.prepareTools(session, signal);
  return session.services.toolsFor(session);
}

/**
 * Samples until the model asks for nothing more. Between requests the thread is compacted when it has grown
 * past the limit; a context-length error compacts it and retries once instead of failing the turn.
 */
async function sampleUntilDone(
  session: ThreadSession,
  turn: ActiveTurn,
  emitter: TurnEmitter,
  client: ModelClient,
  carried: OpenItem[],
  { autoCompactLimit, contextWindow }: CompactionLimits,
  compact: () => Promise<void>,
  /** Read steered input before the first request too (a shell turn that a message joined). */
  drainFirst = false,
  /** The turn's tools, when they were built already (to tell the context). */
  built?: ToolRegistry,
): Promise<void> {
  const tools = built ?? (await preparedTools(session, turn.controller.signal));
  let first = !drainFirst;
  let compactedForLength = false;
  while (true) {
    if (!first) drainSteeredInput(session, emitter, turn);
    first = false;
    let outcome: SamplingOutcome;
    try {
      outcome = await sampleWithRetries(session, turn, emitter, client, tools, carried);
    } catch (error) {
      if (compactedForLength || !(error instanceof ModelError) || error.info !== 'contextWindowExceeded') throw error;
      compactedForLength = true;
      finishOpenItems(emitter, carried);
      await compact();
      continue;
    }
    finishOpenItems(emitter, carried);
    if (outcome.usage) publishUsage(session, turn.id, outcome.usage, contextWindow);
    if (!outcome.needsFollowUp && turn.pendingInput.length === 0) break;
    if (session.history.estimatedTokens() >= autoCompactLimit) await compact();
  }
}

async function sampleWithRetries(
  session: ThreadSession,
  turn: ActiveTurn,
  emitter: TurnEmitter,
  client: ModelClient,
  tools: ToolRegistry,
  carried: OpenItem[],
): Promise<SamplingOutcome> {
  const signal = turn.controller.signal;
  return withModelRetries(client, emitter, signal, async () => {
    const cutter = new ReplyCutter(signal);
    turn.onSteer = () => cutter.cut();
    const context: SamplingContext = {
      client,
      request: { ...baseRequest(session, turn), input: session.history.forPrompt(), tools: tools.specs() },
      identity: { threadId: session.id, ...session.identity, ...turnMetadata(session, turn) },
      history: session.history,
      emitter,
      tools,
      toolContext: toolContext(session, turn, emitter),
      signal: cutter.signal,
      cutter,
      onRecorded: (item) => session.persist('response_item', item),
      onEarlyOutput: (item) => {
        session.persist('event_msg', { type: 'tool_output', turn_id: turn.id, item });
        void session.flushRollout();
      },
    };
    try {
      return await runSamplingAttempt(context, carried);
    } finally {
      turn.onSteer = undefined;
      cutter.dispose();
    }
  });
}

/**
 * Everything of a request but its input and tools. A turn with an output schema asks for its final message
 * as strict JSON, passed on as the client gave it (as codex does: the provider judges the schema).
 */
export function baseRequest(session: ThreadSession, turn?: ActiveTurn): Omit<ResponsesRequest, 'input' | 'tools'> {
  const verbosity = defaultVerbosity(session.settings.model);
  // A tier for this turn only wins over the thread's; "default" asks for none.
  const tier = turn?.serviceTier !== undefined ? turn.serviceTier : session.settings.serviceTier;
  const format = turn?.outputSchema === undefined ? undefined : { type: 'json_schema' as const, strict: true as const, schema: turn.outputSchema, name: 'codex_output_schema' };
  return {
    model: session.settings.model,
    instructions: session.settings.baseInstructions,
    parallelToolCalls: true,
    reasoning: reasoningParams(session),
    promptCacheKey: session.id,
    ...(tier && tier !== 'default' ? { serviceTier: tier } : {}),
    ...(verbosity || format ? { text: { ...(verbosity ? { verbosity } : {}), ...(format ? { format } : {}) } } : {}),
  };
}

/** Reasoning parameters for models that reason (or when the user set an effort explicitly), else none. */
function reasoningParams(session: ThreadSession): { effort?: string; summary?: string } | null {
  if (!modelSupportsReasoning(session.settings.model) && !session.settings.reasoningEffort) return null;
  const params: { effort?: string; summary?: string } = {};
  if (session.settings.reasoningEffort) params.effort = session.settings.reasoningEffort;
  if (session.settings.reasoningSummary !== 'none') params.summary = session.settings.reasoningSummary;
  return params;
}

function recordUserMessage(session: ThreadSession, emitter: TurnEmitter, message: ResponseItem, input: ActiveTurn['input'], clientId: string | null): void {
  session.appendHistory(message);
  const item: ThreadItem = { type: 'userMessage', id: uuidv7(), clientId, content: input };
  emitter.start(item);
  emitter.complete(item);
}

function drainSteeredInput(session: ThreadSession, emitter: TurnEmitter, turn: ActiveTurn): void {
  // What a user shell command printed comes first: the user ran it before typing what follows.
  session.appendHistory(...turn.pendingContext.splice(0));
  for (const steered of turn.pendingInput.splice(0)) recordUserMessage(session, emitter, userMessageItem(steered.input, session.settings.cwd), steered.input, steered.clientId);
}

export function toolContext(session: ThreadSession, turn: ActiveTurn, emitter: TurnEmitter): ToolCallContext {
  turn.diff ??= new TurnDiffTracker(session.settings.cwd);
  return {
    threadId: session.id,
    turnId: turn.id,
    cwd: session.settings.cwd,
    home: session.services.home,
    signal: turn.controller.signal,
    approvalPolicy: session.settings.approvalPolicy,
    sandbox: session.settings.sandbox,
    reviewFileChanges: session.settings.reviewFileChanges,
    autoReview: autoReviewFor(session, turn),
    sessionApprovals: session.approvals,
    turnDiff: turn.diff,
    checkpoint: checkpointHooks(session, turn),
    interruptTurn: () => turn.controller.abort(new Error('cancelled at an approval prompt')),
    // A tool's item is on disk before a client hears it started: what a client saw start, a crash keeps.
    startItem: (item) => emitter.startDurably(item, () => session.flushRollout()),
    completeItem: (item) => emitter.complete(item),
    notify: (descriptor, params) => session.services.events.notify(session.id, descriptor, params),
    clientsBehind: () => session.services.events.clientsBehind?.(session.id),
    writeAhead: () => session.flushRollout(),
    recordPatchIntent: (itemId, files) => session.persist('event_msg', { type: 'patch_writing', turn_id: turn.id, item_id: itemId, files }),
    addContext: (item) => turn.pendingContext.push(item),
    publishPlan: (explanation, plan) => session.ledger.recordPlan(turn.id, { explanation, plan }),
    holdApproval: () => session.holdApproval(),
    requestFromClient: async (descriptor, params, options) => {
      const release = options?.hold ?? session.holdApproval();
      const { logger } = session.services;
      const fields = { method: descriptor.method, threadId: session.id, turnId: turn.id, itemId: (params as { itemId?: unknown }).itemId };
      const started = Date.now();
      logger.info('waiting on the client', fields);
      try {
        const result = await session.services.events.request(session.id, descriptor, params, { timeoutMs: options?.timeoutMs, signal: turn.controller.signal });
        logger.info('the client answered', { ...fields, decision: decisionName(result), ms: Date.now() - started });
        return result;
      } catch (error) {
        logger.warn('the client gave no answer', { ...fields, ms: Date.now() - started, error: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        release();
      }
    },
  };
}

/** An approval's decision for the log: its name only (`accept`, `acceptWithExecpolicyAmendment`…), never content. */
function decisionName(result: unknown): string | undefined {
  const decision = (result as { decision?: unknown } | null)?.decision;
  if (typeof decision === 'string') return decision;
  return typeof decision === 'object' && decision !== null ? Object.keys(decision)[0] : undefined;
}

function publishUsage(session: ThreadSession, turnId: string, usage: TokenUsage, contextWindow: number): void {
  const last: TokenUsageBreakdown = { ...usage };
  const previous = session.tokenUsage?.total;
  const total: TokenUsageBreakdown = previous
    ? {
        totalTokens: previous.totalTokens + last.totalTokens,
        inputTokens: previous.inputTokens + last.inputTokens,
        cachedInputTokens: previous.cachedInputTokens + last.cachedInputTokens,
        outputTokens: previous.outputTokens + last.outputTokens,
        reasoningOutputTokens: previous.reasoningOutputTokens + last.reasoningOutputTokens,
      }
    : last;
  session.ledger.recordTokenUsage(turnId, { total, last, modelContextWindow: contextWindow });
}

/** Items a tool call makes (commands, patches, client tools); messages and reasoning are not tools. */
function isToolItem(item: ThreadItem): boolean {
  return item.type !== 'userMessage' && item.type !== 'agentMessage' && item.type !== 'reasoning' && item.type !== 'contextCompaction';
}

export function toTurnError(error: unknown): TurnError {
  if (error instanceof ModelError) return { message: error.message, codexErrorInfo: error.info, additionalDetails: error.options.details ?? null };
  return { message: error instanceof Error ? error.message : String(error), codexErrorInfo: 'other', additionalDetails: null };
}

/**
 * What `turn/completed` carries, as codex sends it: a display summary holding the turn's final answer (its
 * last agent message), not every item; clients read the full turn with thread/read or thread/turns/list.
 */
export function completionSummary(turn: Turn): Turn {
  const answer = [...turn.items].reverse().find((item) => item.type === 'agentMessage');
  return { ...turn, items: answer ? [answer] : [], itemsView: 'summary' };
}

/** The client's metadata for this turn, with the ids it may not override, when it gave any. */
function turnMetadata(session: ThreadSession, turn: ActiveTurn): { turnMetadata?: Record<string, string> } {
  if (Object.keys(session.clientMetadata).length === 0) return {};
  return { turnMetadata: { ...session.clientMetadata, session_id: session.id, thread_id: session.id, turn_id: turn.id } };
}
