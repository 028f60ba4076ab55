// A review turn (`review/start`): the model reviews code in a conversation of its own — the reviewer's
// guidelines, the thread's context and the request, none of the thread's history — with read-only tools.
// The thread shows `enteredReviewMode`, the request, the reviewer's commands, `exitedReviewMode` with the
// rendered findings and an agent message with the same text; the reviewer's raw answer (JSON) only starts,
// as in codex. The thread's own history keeps only the outcome, as a user/assistant
// exchange its next turn reads.
import { AgentMessageDelta, TurnStarted, type NotificationDescriptor, type ParamsOf, type ThreadItem, type TurnError } from '../../protocol';
import { userText, type ResponseItem } from '../model/responseItems';
import { ToolRegistry, type ToolHandler } from '../tools/registry';
import { uuidv7 } from '../ids';
import type { ThreadEventSink } from './events';
import { ConversationHistory } from './history';
import { buildInitialContext } from './initialContext';
import { withModelRetries } from './modelRetries';
import { parseReviewOutput, renderReview } from './reviewFormat';
import { REVIEW_GUIDELINES, reviewOutcomeMessage } from './reviewPrompt';
import { finishOpenItems, runSamplingAttempt, type OpenItem } from './sampling';
import type { ActiveTurn } from './activeTurn';
import type { ThreadSession } from './threadSession';
import { TurnSuspended } from './turnContinuation';
import { TurnEmitter } from './turnEmitter';
import { baseRequest, completeTurn, toolContext, toTurnError } from './turnRunner';

/**
 * The tools a reviewer gets: it runs commands to read the change. codex also offers apply_patch (for a catalog
 * model); a review that edits the code it reviews is not what the user asked for, so Tandem's does not.
 */
const REVIEW_TOOLS = ['exec_command', 'write_stdin'];

/**
 * Holds the reviewer's messages back: they are raw JSON, announced as they start (as codex does) but neither
 * streamed, completed nor kept in the turn (the rendered review stands for them).
 */
class ReviewEmitter extends TurnEmitter {
  answer = '';
  /** While the reviewer samples; the rendered review's own message is announced as any other. */
  reviewing = true;

  constructor(sink: ThreadEventSink, threadId: string, turnId: string, onCompleted: (item: ThreadItem) => void) {
    super(sink, threadId, turnId, onCompleted);
  }

  override complete(item: ThreadItem): void {
    if (!this.holdBack(item)) super.complete(item);
  }

  override notify<D extends NotificationDescriptor>(descriptor: D, params: Omit<ParamsOf<D>, 'threadId' | 'turnId'>): void {
    if (!this.reviewing || descriptor.method !== AgentMessageDelta.method) super.notify(descriptor, params);
  }

  override settle(item: ThreadItem): void {
    if (!this.holdBack(item)) super.settle(item);
  }

  private holdBack(item: ThreadItem): boolean {
    if (!this.reviewing || item.type !== 'agentMessage') return false;
    if (item.text.trim()) this.answer = item.text;
    const index = this.items.findIndex((existing) => existing.id === item.id);
    if (index !== -1) this.items.splice(index, 1);
    return true;
  }
}

export async function runReviewTurn(session: ThreadSession, turn: ActiveTurn): Promise<void> {
  const { events } = session.services;
  const review = turn.review!;
  const emitter = new ReviewEmitter(events, session.id, turn.id, (item) => session.persist('event_msg', { type: 'item_completed', turn_id: turn.id, item }));
  turn.emitter = emitter;
  const signal = turn.controller.signal;

  // As codex orders it: the review is entered before the thread turns active and the turn starts; the turn
  // that starts is announced under an id of its own, rooted at the review's turn.
  show(emitter, { type: 'enteredReviewMode', id: uuidv7(), review: review.description });
  session.publishStatus();
  events.notify(session.id, TurnStarted, { threadId: session.id, turn: { ...turn.snapshot(), id: uuidv7(), rootTurnId: turn.id, items: [], itemsView: 'notLoaded' } });

  let status: 'completed' | 'failed' | 'interrupted' = 'completed';
  let error: TurnError | null = null;
  const carried: OpenItem[] = [];
  try {
    const client = session.services.createModelClient(session.settings);
    const history = new ConversationHistory([...(await buildInitialContext(session)), userText(review.prompt)]);
    show(emitter, { type: 'userMessage', id: uuidv7(), clientId: null, content: [{ type: 'text', text: review.prompt, text_elements: [] }] });
    await session.flushRollout();
    if (session.turns.length === 0) await session.services.indexThread(session);

    const all = session.services.toolsFor(session);
    const tools = new ToolRegistry(REVIEW_TOOLS.map((name) => all.get(name)).filter((tool): tool is ToolHandler => tool !== undefined));
    const request = { ...baseRequest(session), instructions: REVIEW_GUIDELINES, promptCacheKey: turn.id };
    while (true) {
      const outcome = await withModelRetries(client, emitter, signal, () =>
        runSamplingAttempt(
          {
            client,
            request: { ...request, input: history.forPrompt(), tools: tools.specs() },
            identity: { threadId: session.id, ...session.identity },
            history,
            emitter,
            tools,
            toolContext: toolContext(session, turn, emitter),
            signal,
            // The reviewer's conversation is not the thread's: it stays out of the rollout's history.
            onRecorded: () => undefined,
            onEarlyOutput: () => undefined,
          },
          carried,
        ),
      );
      finishOpenItems(emitter, carried);
      if (!outcome.needsFollowUp) break;
    }

    emitter.reviewing = false;
    const rendered = renderReview(parseReviewOutput(emitter.answer));
    show(emitter, { type: 'exitedReviewMode', id: uuidv7(), review: rendered });
    session.appendHistory(userText(reviewOutcomeMessage(rendered)), assistantText(rendered));
    show(emitter, { type: 'agentMessage', id: uuidv7(), text: rendered, phase: null });
  } catch (caught) {
    if (signal.reason instanceof TurnSuspended) {
      await session.flushRollout();
      return;
    }
    if (signal.aborted) status = 'interrupted';
    else {
      status = 'failed';
      error = toTurnError(caught);
      session.services.logger.warn('review failed', { threadId: session.id, turnId: turn.id, error: error.message });
    }
  }
  finishOpenItems(emitter, carried, { announce: status !== 'interrupted' });
  await completeTurn(session, turn, emitter, status, error);
}


function show(emitter: TurnEmitter, item: ThreadItem): void {
  emitter.start(item);
  emitter.complete(item);
}

function assistantText(text: string): ResponseItem {
  return { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] };
}
