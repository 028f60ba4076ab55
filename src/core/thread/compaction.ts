// Compaction (local variant): the model writes a hand-over summary of the thread, and
// the history is replaced by fresh initial context, the user's most recent messages and that summary.
// The rollout records the replacement as a `compacted` checkpoint, which resume starts from.
import { type ThreadItem, ThreadCompacted } from '../../protocol';
import { uuidv7 } from '../ids';
import { ModelError } from '../model/errors';
import { messageText, userText, type ResponseItem } from '../model/responseItems';
import type { ModelClient, ResponsesRequest } from '../model/responsesClient';
import { ConversationHistory, SUMMARY_TAG, isRealUserMessage } from './history';
import { buildInitialContext } from './initialContext';
import { deferredNamespacesFor } from './deferredTools';
import { withModelRetries } from './modelRetries';
import type { ThreadSession } from './threadSession';
import type { TurnEmitter } from './turnEmitter';

/** How much of the user's own recent wording survives a compaction (about 20,000 tokens). */
const RECENT_USER_CHARS = 80_000;

export const COMPACTION_PROMPT = `You are handing this thread over to another assistant who will continue it without seeing anything above.
Write a hand-over note that lets them carry on without asking again. Include:
- what the user asked for, in their own terms, and any preferences or constraints they stated;
- what has been done so far: decisions, files touched, commands run and what they showed;
- what is still open, and the next concrete steps;
- anything exact they will need: paths, names, error messages, values.
Write plain prose and short lists. Do not call tools.`;

const SUMMARY_PREFIX =
  'Earlier parts of this thread were compacted. Another assistant wrote the summary below as a hand-over; the user messages above are the most recent ones the user typed. Continue the work from here.';

export interface CompactionRun {
  session: ThreadSession;
  turnId: string;
  emitter: TurnEmitter;
  client: ModelClient;
  request: Omit<ResponsesRequest, 'input' | 'tools'>;
  signal: AbortSignal;
  prompt: string | undefined;
}

/** Summarises the thread and swaps its history; emits the `contextCompaction` item and `thread/compacted`. */
export async function compactThread(run: CompactionRun): Promise<void> {
  const { session, emitter } = run;
  const item: ThreadItem = { type: 'contextCompaction', id: uuidv7() };
  emitter.start(item);
  const before = session.history.snapshot();
  const summary = await summarise(run, before);
  const context = await buildInitialContext(session, (await deferredNamespacesFor(session, run.signal)).namespaces);
  const replacement = [...context, ...recentUserMessages(before), summaryMessage(summary)];
  session.replaceHistory(replacement, summary);
  emitter.complete(item);
  session.services.events.notify(session.id, ThreadCompacted, { threadId: session.id, turnId: run.turnId });
  await session.flushRollout();
}

/** Asks the model for the hand-over note. If even that does not fit, the oldest items go first. */
async function summarise(run: CompactionRun, history: ResponseItem[]): Promise<string> {
  const working = new ConversationHistory(history);
  const prompt = userText(run.prompt ?? COMPACTION_PROMPT);
  while (true) {
    try {
      const text = await withModelRetries(run.client, run.emitter, run.signal, () => requestSummary(run, [...working.forPrompt(), prompt]));
      if (!text.trim()) throw new Error('The model returned an empty summary, so the thread was not compacted.');
      return text.trim();
    } catch (error) {
      const tooLong = error instanceof ModelError && error.info === 'contextWindowExceeded';
      if (!tooLong || !dropOldest(working)) throw error;
    }
  }
}

async function requestSummary(run: CompactionRun, input: ResponseItem[]): Promise<string> {
  const request: ResponsesRequest = { ...run.request, input, tools: [], parallelToolCalls: false };
  const parts: string[] = [];
  for await (const event of run.client.stream(request, { threadId: run.session.id, ...run.session.identity }, run.signal)) {
    if (event.type === 'outputItemDone' && event.item.type === 'message' && event.item.role === 'assistant') {
      parts.push(messageText(event.item as Extract<ResponseItem, { type: 'message' }>));
    }
  }
  return parts.join('\n');
}

/** Drops the oldest item that is not context; false when nothing is left to drop. */
function dropOldest(history: ConversationHistory): boolean {
  const items = history.snapshot();
  const index = items.findIndex((item) => item.type !== 'message' || item.role === 'assistant' || isRealUserMessage(item));
  if (index === -1 || items.length <= 1) return false;
  items.splice(index, 1);
  history.replace(items);
  return true;
}

/** The newest messages the user typed, oldest first, within the budget (the oldest kept one may be cut). */
function recentUserMessages(history: readonly ResponseItem[]): ResponseItem[] {
  const kept: ResponseItem[] = [];
  let budget = RECENT_USER_CHARS;
  for (let i = history.length - 1; i >= 0 && budget > 0; i--) {
    const item = history[i]!;
    if (!isRealUserMessage(item) || item.type !== 'message') continue;
    const text = messageText(item);
    if (text.length <= budget) {
      kept.unshift({ type: 'message', role: 'user', content: item.content.filter((c) => c.type === 'input_text') });
      budget -= text.length;
    } else {
      kept.unshift(userText(`${text.slice(0, budget)}…`));
      budget = 0;
    }
  }
  return kept;
}

function summaryMessage(summary: string): ResponseItem {
  return userText(`${SUMMARY_TAG}\n${SUMMARY_PREFIX}\n\n${summary}\n</thread_summary>`);
}
