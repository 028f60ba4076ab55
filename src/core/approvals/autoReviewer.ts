// The automatic approval reviewer (`approvalsReviewer: "auto_review"`): a question the policy would have
// put to the user goes to a model instead, in one request with a strict JSON answer. It fails closed: an
// error, a timeout, an interrupt or an answer it cannot read all deny. It only answers questions: whether
// one is asked at all is still the policy's call, so it can never let through what the policy refuses.
import { randomUUID } from 'node:crypto';
import { AutoApprovalReviewCompleted, AutoApprovalReviewStarted, GuardianWarning, type AutoReview, type AutoReviewAction, type NotificationDescriptor, type ParamsOf } from '../../protocol';
import { messageText, userText, type ResponseItem } from '../model/responseItems';
import type { ModelClient, RequestIdentity, ResponsesRequest } from '../model/responsesClient';
import { approves, readVerdict, REVIEWER_INSTRUCTIONS, reviewRequestText, VERDICT_SCHEMA, type Verdict } from './autoReviewPrompt';

/** How long a review may take before it counts as a denial. */
export const AUTO_REVIEW_TIMEOUT_MS = 120_000;

export interface AutoReviewDeps {
  client: ModelClient;
  model: string;
  /** Reasoning parameters for the reviewer's request (null for a model that does not reason). */
  reasoning: ResponsesRequest['reasoning'];
  identity: RequestIdentity;
  threadId: string;
  turnId: string;
  /** The turn's signal: an interrupt ends the review, and the action is not run. */
  signal: AbortSignal;
  /** The conversation as the reviewer reads it, rendered when a review starts. */
  transcript(): string;
  notify<D extends NotificationDescriptor>(descriptor: D, params: ParamsOf<D>): void;
  timeoutMs?: number;
}

/** One question: the item it is about, the action as the client is shown it, and as the reviewer reads it. */
export interface AutoReviewSubject {
  itemId: string | null;
  action: AutoReviewAction;
  planned: Record<string, unknown>;
}

/** The reviewer's answer; a denial carries what the agent's model is told. */
export type AutoReviewVerdict = { approved: true } | { approved: false; note: string };

type Outcome = { kind: 'verdict'; verdict: Verdict } | { kind: 'failed'; reason: string } | { kind: 'timedOut' } | { kind: 'aborted' };

export async function autoReview(deps: AutoReviewDeps, subject: AutoReviewSubject): Promise<AutoReviewVerdict> {
  const startedAtMs = Date.now();
  const base = { threadId: deps.threadId, turnId: deps.turnId, reviewId: randomUUID(), targetItemId: subject.itemId, startedAtMs, action: subject.action };
  deps.notify(AutoApprovalReviewStarted, { ...base, review: { status: 'inProgress', riskLevel: null, userAuthorization: null, rationale: null } });
  const outcome = await decide(deps, subject);
  const { review, verdict, notice } = settle(outcome);
  if (notice) deps.notify(GuardianWarning, { threadId: deps.threadId, message: notice });
  deps.notify(AutoApprovalReviewCompleted, { ...base, completedAtMs: Date.now(), decisionSource: 'agent', review });
  return verdict;
}

/** What the client is shown, what the agent's model is told and the one-line notice, for an outcome. */
function settle(outcome: Outcome): { review: AutoReview; verdict: AutoReviewVerdict; notice: string | null } {
  const none = { riskLevel: null, userAuthorization: null };
  switch (outcome.kind) {
    case 'verdict': {
      const { verdict } = outcome;
      const approved = approves(verdict);
      const review: AutoReview = { status: approved ? 'approved' : 'denied', riskLevel: verdict.riskLevel, userAuthorization: verdict.userAuthorization, rationale: verdict.rationale || null };
      const notice = `Automatic approval review ${approved ? 'approved' : 'denied'} the action (risk: ${verdict.riskLevel}, user authorization: ${verdict.userAuthorization})${verdict.rationale ? `: ${verdict.rationale}` : ''}`;
      if (approved) return { review, verdict: { approved: true }, notice };
      const why = verdict.rationale ? ` Its reason: ${verdict.rationale}` : '';
      const note = `The automatic approval reviewer denied this action (risk: ${verdict.riskLevel}); it was not run.${why} Do not try to reach the same result another way. Choose a clearly safer approach, or tell the user what you wanted to do and why, so they can approve it themselves.`;
      return { review, verdict: { approved: false, note }, notice };
    }
    case 'failed':
    case 'timedOut': {
      const cause = outcome.kind === 'failed' ? `the review failed: ${outcome.reason}` : 'the reviewer did not answer in time';
      const rationale = `Automatic approval review could not decide (${cause}), so the action was denied.`;
      const note = `The action was not run: ${cause}. This is not a judgement that the action is unsafe, but do not work around the check; fix the cause or ask the user how to proceed.`;
      return { review: { status: outcome.kind === 'failed' ? 'denied' : 'timedOut', ...none, rationale }, verdict: { approved: false, note }, notice: rationale };
    }
    case 'aborted':
      return { review: { status: 'aborted', ...none, rationale: null }, verdict: { approved: false, note: 'The turn was interrupted during the automatic approval review; the action was not run.' }, notice: null };
  }
}

async function decide(deps: AutoReviewDeps, subject: AutoReviewSubject): Promise<Outcome> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('the automatic approval review timed out'));
  }, deps.timeoutMs ?? AUTO_REVIEW_TIMEOUT_MS);
  const onAbort = () => controller.abort(deps.signal.reason);
  if (deps.signal.aborted) onAbort();
  else deps.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const text = await ask(deps, subject, controller.signal);
    // A verdict that arrives as the turn stops or the clock runs out does not count.
    if (controller.signal.aborted) return deps.signal.aborted ? { kind: 'aborted' } : { kind: 'timedOut' };
    const verdict = readVerdict(text);
    return verdict ? { kind: 'verdict', verdict } : { kind: 'failed', reason: 'its answer was not the JSON object asked for' };
  } catch (error) {
    if (deps.signal.aborted) return { kind: 'aborted' };
    if (timedOut) return { kind: 'timedOut' };
    return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
    deps.signal.removeEventListener('abort', onAbort);
  }
}

/** One request, no tools: the reviewer only reads. Returns the text of its final message. */
async function ask(deps: AutoReviewDeps, subject: AutoReviewSubject, signal: AbortSignal): Promise<string> {
  const request: ResponsesRequest = {
    model: deps.model,
    instructions: REVIEWER_INSTRUCTIONS,
    input: [userText(reviewRequestText(deps.transcript(), subject.planned))],
    tools: [],
    parallelToolCalls: false,
    reasoning: deps.reasoning,
    promptCacheKey: `auto-review:${deps.threadId}`,
    text: { format: { type: 'json_schema', strict: true, schema: VERDICT_SCHEMA, name: 'approval_verdict' } },
  };
  const parts: string[] = [];
  for await (const event of deps.client.stream(request, deps.identity, signal)) {
    if (event.type === 'outputItemDone' && event.item.type === 'message' && event.item.role === 'assistant') {
      parts.push(messageText(event.item as Extract<ResponseItem, { type: 'message' }>));
    }
  }
  return parts.join('');
}
