// Wires the automatic approval reviewer into a turn: whether this thread's questions go to it, and the
// conversation it reads (what the user typed, what the agent said and did, tool output cut short).
import { approvalMode } from '../../protocol';
import { autoReview } from '../approvals/autoReviewer';
import { modelSupportsReasoning } from '../model/modelInfo';
import { messageText, type FunctionOutput, type ResponseItem } from '../model/responseItems';
import type { ToolCallContext } from '../tools/registry';
import type { ActiveTurn } from './activeTurn';
import { isContextMessage } from './history';
import type { ThreadSession } from './threadSession';
import type { ThreadSettings } from './threadSettings';

/**
 * Whether approval questions go to the reviewer. As codex does, only for on-request (and granular, which
 * is on-request with some questions switched off): under `untrusted` every question still goes to the user.
 */
export function reviewsApprovals(settings: Pick<ThreadSettings, 'approvalsReviewer' | 'approvalPolicy'>): boolean {
  return settings.approvalsReviewer !== 'user' && approvalMode(settings.approvalPolicy) === 'on-request';
}

/** The reviewer for a turn's tool calls, or undefined when its questions go to the user. */
export function autoReviewFor(session: ThreadSession, turn: ActiveTurn): ToolCallContext['autoReview'] {
  if (!reviewsApprovals(session.settings)) return undefined;
  const { settings } = session;
  return (subject) =>
    autoReview(
      {
        client: session.services.createModelClient(settings),
        model: settings.model,
        reasoning: modelSupportsReasoning(settings.model) ? { effort: 'low' } : null,
        identity: { threadId: session.id, ...session.identity },
        threadId: session.id,
        turnId: turn.id,
        signal: turn.controller.signal,
        transcript: () => renderTranscript(session.history.forPrompt()),
        notify: (descriptor, params) => session.services.events.notify(session.id, descriptor, params),
      },
      subject,
    );
}

const MAX_TRANSCRIPT_CHARS = 60_000;
const MAX_USER_CHARS = 6_000;
const MAX_OTHER_CHARS = 1_500;

/** The conversation as numbered entries; past the budget the oldest entries that are not the user's go first. */
export function renderTranscript(history: readonly ResponseItem[]): string {
  const entries: Array<{ user: boolean; text: string }> = [];
  for (const item of history) {
    const entry = describe(item);
    if (entry) entries.push(entry);
  }
  let total = entries.reduce((sum, e) => sum + e.text.length, 0);
  let dropped = 0;
  while (total > MAX_TRANSCRIPT_CHARS) {
    const index = entries.findIndex((e) => !e.user);
    if (index === -1) break;
    total -= entries[index]!.text.length;
    entries.splice(index, 1);
    dropped += 1;
  }
  const lines = entries.map((e, i) => `[${i + 1}] ${e.text}`);
  if (dropped > 0) lines.unshift(`[${dropped} earlier entries by the agent or its tools were cut]`);
  return lines.join('\n\n');
}

function describe(item: ResponseItem): { user: boolean; text: string } | null {
  switch (item.type) {
    case 'message':
      if (item.role === 'user' && !isContextMessage(item)) return { user: true, text: `user: ${cut(messageText(item), MAX_USER_CHARS)}` };
      if (item.role === 'assistant') return { user: false, text: `agent: ${cut(messageText(item), MAX_OTHER_CHARS)}` };
      return null;
    case 'function_call':
      return { user: false, text: `agent called ${item.namespace ? `${item.namespace}.` : ''}${item.name}: ${cut(item.arguments, MAX_OTHER_CHARS)}` };
    case 'custom_tool_call':
      return { user: false, text: `agent called ${item.name}: ${cut(item.input, MAX_OTHER_CHARS)}` };
    case 'function_call_output':
    case 'custom_tool_call_output':
      return { user: false, text: `tool output: ${cut(outputText(item.output), MAX_OTHER_CHARS)}` };
    default:
      return null;
  }
}

function outputText(output: FunctionOutput): string {
  return typeof output === 'string' ? output : output.map((part) => (part.type === 'input_image' ? '[image]' : part.text)).join('\n');
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more characters cut]`;
}
