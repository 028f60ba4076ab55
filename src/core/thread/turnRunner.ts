// The turn loop (codex-core.md §1.2): inject context once, record the user's message, then sample until a
// response asks for no tools and no steered input is waiting. Retryable model errors are retried with
// backoff (and an `error` notification with willRetry); anything else ends the turn failed, and an
// interrupt ends it interrupted. The thread stays usable either way.
import type { ThreadItem, ThreadTokenUsage, TokenUsageBreakdown, Turn, TurnError } from '../../protocol';
import { backoffDelayMs, sleep } from '../model/backoff';
import { ModelError } from '../model/errors';
import { modelSupportsReasoning } from '../model/modelInfo';
import type { ModelClient, TokenUsage } from '../model/responsesClient';
import { userText, type ResponseItem } from '../model/responseItems';
import type { ToolCallContext, ToolRegistry } from '../tools/registry';
import { TurnDiffTracker } from '../tools/turnDiff';
import { uuidv7 } from '../ids';
import { discoverProjectDocs } from './agentsMd';
import { currentEnvironment, initialContextItems } from './environmentContext';
import { finishOpenItems, runSamplingAttempt, type OpenItem, type SamplingContext, type SamplingOutcome } from './sampling';
import type { ActiveTurn, ThreadSession } from './threadSession';
import { TurnEmitter } from './turnEmitter';
import { TURN_ABORTED_MARKER, userMessageItem } from './userInput';

export async function runTurn(session: ThreadSession, turn: ActiveTurn): Promise<void> {
  const { events } = session.services;
  const emitter = new TurnEmitter(events, session.id, turn.id, (item) => session.persist('event_msg', { type: 'item_completed', turn_id: turn.id, item }));
  turn.emitter = emitter;
  const signal = turn.controller.signal;

  session.publishStatus();
  events.notify(session.id, 'turn/started', { threadId: session.id, turn: { ...turn.snapshot(), itemsView: 'notLoaded' } });
  session.persist('turn_context', turnContextRecord(session, turn.id));
  session.persist('event_msg', { type: 'task_started', turn_id: turn.id, started_at: turn.startedAt });

  let status: 'completed' | 'failed' | 'interrupted' = 'completed';
  let error: TurnError | null = null;
  const carried: OpenItem[] = [];
  try {
    if (!session.contextInjected) await injectInitialContext(session);
    recordUserMessage(session, emitter, turn.input, turn.clientId);
    await session.flushRollout();

    const client = session.services.createModelClient(session.settings);
    const tools = session.services.toolsFor(session);
    let first = true;
    while (true) {
      if (!first) drainSteeredInput(session, emitter, turn);
      first = false;
      const outcome = await sampleWithRetries(session, turn, emitter, client, tools, carried);
      finishOpenItems(emitter, carried);
      if (outcome.usage) publishUsage(session, turn.id, outcome.usage);
      if (!outcome.needsFollowUp && turn.pendingInput.length === 0) break;
    }
  } catch (caught) {
    if (signal.aborted) {
      status = 'interrupted';
    } else {
      status = 'failed';
      error = toTurnError(caught);
      session.services.logger.warn('turn failed', { threadId: session.id, turnId: turn.id, error: error.message });
    }
  }
  finishOpenItems(emitter, carried);
  if (status === 'interrupted') {
    const marker = userText(TURN_ABORTED_MARKER);
    session.history.record(marker);
    session.persist('response_item', marker);
  }

  const completedAtMs = Date.now();
  const finished: Turn = {
    id: turn.id,
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
  session.finishTurn(finished);

  if (error) events.notify(session.id, 'error', { error, willRetry: false, threadId: session.id, turnId: turn.id });
  // An interrupt is answered first, then the turn completes.
  for (const resolve of turn.interruptWaiters) resolve();
  if (turn.interruptWaiters.length > 0) await new Promise((resolve) => setImmediate(resolve));
  events.notify(session.id, 'turn/completed', { threadId: session.id, turn: { ...finished, items: [] } });
  session.publishStatus();
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
  const retries = { request: 0, stream: 0 };
  while (true) {
    const context: SamplingContext = {
      client,
      request: {
        model: session.settings.model,
        instructions: session.settings.baseInstructions,
        input: session.history.forPrompt(),
        tools: tools.specs(),
        parallelToolCalls: true,
        reasoning: reasoningParams(session),
        promptCacheKey: session.id,
      },
      identity: { threadId: session.id, ...session.identity },
      history: session.history,
      emitter,
      tools,
      toolContext: toolContext(session, turn, emitter),
      signal,
      onRecorded: (item) => session.persist('response_item', item),
    };
    try {
      return await runSamplingAttempt(context, carried);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (!(error instanceof ModelError) || !error.retryable) throw error;
      const budget = error.phase === 'request' ? client.provider.requestMaxRetries : client.provider.streamMaxRetries;
      const attempt = ++retries[error.phase];
      if (attempt > budget) throw error;
      emitter.notify('error', {
        error: { message: `${error.message} Retrying (${attempt}/${budget})…`, codexErrorInfo: error.info, additionalDetails: null },
        willRetry: true,
      });
      await sleep(backoffDelayMs(attempt, error.options.retryAfterMs), signal);
    }
  }
}

/** Reasoning parameters for models that reason (or when the user set an effort explicitly), else none. */
function reasoningParams(session: ThreadSession): { effort?: string; summary?: string } | null {
  if (!modelSupportsReasoning(session.settings.model) && !session.settings.reasoningEffort) return null;
  const params: { effort?: string; summary?: string } = {};
  if (session.settings.reasoningEffort) params.effort = session.settings.reasoningEffort;
  if (session.settings.reasoningSummary !== 'none') params.summary = session.settings.reasoningSummary;
  return params;
}

async function injectInitialContext(session: ThreadSession): Promise<void> {
  const settings = session.settings;
  const docs = await discoverProjectDocs(settings.cwd, session.services.projectDocMaxBytes());
  const items = initialContextItems({
    approvalPolicy: settings.approvalPolicy,
    sandbox: settings.sandbox,
    developerInstructions: settings.developerInstructions,
    projectDocs: docs.text,
    environment: currentEnvironment(settings.cwd, [settings.cwd]),
  });
  session.history.record(...items);
  for (const item of items) session.persist('response_item', item);
  session.contextInjected = true;
}

function recordUserMessage(session: ThreadSession, emitter: TurnEmitter, input: ActiveTurn['input'], clientId: string | null): void {
  const message: ResponseItem = userMessageItem(input, session.settings.cwd);
  session.history.record(message);
  session.persist('response_item', message);
  const item: ThreadItem = { type: 'userMessage', id: uuidv7(), clientId, content: input };
  emitter.start(item);
  emitter.complete(item);
}

function drainSteeredInput(session: ThreadSession, emitter: TurnEmitter, turn: ActiveTurn): void {
  for (const steered of turn.pendingInput.splice(0)) recordUserMessage(session, emitter, steered.input, steered.clientId);
}

function toolContext(session: ThreadSession, turn: ActiveTurn, emitter: TurnEmitter): ToolCallContext {
  turn.diff ??= new TurnDiffTracker(session.settings.cwd);
  return {
    threadId: session.id,
    turnId: turn.id,
    cwd: session.settings.cwd,
    signal: turn.controller.signal,
    approvalPolicy: session.settings.approvalPolicy,
    sandbox: session.settings.sandbox,
    sessionApprovals: session.approvals,
    turnDiff: turn.diff,
    interruptTurn: () => turn.controller.abort(new Error('cancelled at an approval prompt')),
    startItem: (item) => emitter.start(item),
    completeItem: (item) => emitter.complete(item),
    notify: (method, params) => session.services.events.notify(session.id, method, params),
    requestFromClient: async (method, params, options) => {
      session.pendingApprovals += 1;
      session.publishStatus();
      try {
        return await session.services.events.request(session.id, method, params, { timeoutMs: options?.timeoutMs, signal: turn.controller.signal });
      } finally {
        session.pendingApprovals -= 1;
        session.publishStatus();
      }
    },
  };
}

function publishUsage(session: ThreadSession, turnId: string, usage: TokenUsage): void {
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
  const tokenUsage: ThreadTokenUsage = { total, last, modelContextWindow: session.tokenUsage?.modelContextWindow ?? null };
  session.tokenUsage = tokenUsage;
  session.persist('event_msg', { type: 'token_count', turn_id: turnId, info: tokenUsage });
  session.services.events.notify(session.id, 'thread/tokenUsage/updated', { threadId: session.id, turnId, tokenUsage });
}

function turnContextRecord(session: ThreadSession, turnId: string) {
  const s = session.settings;
  return {
    turn_id: turnId,
    cwd: s.cwd,
    approval_policy: s.approvalPolicy,
    sandbox_policy: s.sandbox,
    model: s.model,
    model_provider: s.modelProvider,
    effort: s.reasoningEffort,
    summary: s.reasoningSummary,
  };
}

export function toTurnError(error: unknown): TurnError {
  if (error instanceof ModelError) return { message: error.message, codexErrorInfo: error.info, additionalDetails: error.options.details ?? null };
  return { message: error instanceof Error ? error.message : String(error), codexErrorInfo: 'other', additionalDetails: null };
}
