// Tandem against the codex oracle in a turn's harder moments: input steered into a streaming reply (the reply
// is cut short and the model asked again), model requests that fail and are retried (silent before a stream
// starts, "Reconnecting..." after), and the rate-limit read without a ChatGPT sign-in.
import { completed, messageEvents, textReply } from '../support/fakeModel';
import type { Scenario } from '../support/differential';
import { compareScenarios, record, startThread, turn } from '../support/differentialSteps';

/** Events with their item ids set: codex names items after the model's ids. */
const withId = (events: Array<Record<string, unknown>>, id: string) => events.map((event) => ('item' in event ? { ...event, item: { ...(event.item as object), id } } : event));

const SCENARIOS: Scenario[] = [
  {
    name: 'a steer cuts a streaming reply short and is answered at once',
    async run(context) {
      const threadId = await startThread(context);
      const slow = withId(messageEvents('word '.repeat(100), { outputIndex: 1, chunks: 100 }), 'msg_slow');
      context.model.enqueue(
        { events: [{ type: 'response.created', response: {} }, ...withId(messageEvents('finished first', { outputIndex: 0 }), 'msg_first'), ...slow, completed()], delayMs: 100 },
        { events: [{ type: 'response.created', response: {} }, ...withId(messageEvents('answer to the steer', { outputIndex: 0 }), 'msg_answer'), completed()] },
      );
      const started = await context.server.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'first' }] });
      const turnId = started.result.turn.id;
      await context.server.client.waitFor((m) => m.method === 'item/agentMessage/delta' && m.params.delta.startsWith('word'), 20_000);
      await record(context, 'turn/steer', { threadId, expectedTurnId: turnId, input: [{ type: 'text', text: 'steer now' }] }, (result) => result.turnId === turnId);
      const done = await context.server.client.waitFor((m) => m.method === 'turn/completed', 20_000);
      context.answers.push({ method: 'turn/completed', answer: done.params.turn.items.map((i: { text: string }) => i.text) });
      await record(context, 'thread/read', { threadId, includeTurns: true }, (result) =>
        result.thread.turns[0].items.map((i: { type: string; text?: string; content?: Array<{ text: string }> }) => `${i.type}:${i.text ?? i.content?.[0]?.text}`),
      );
    },
  },
  {
    name: 'a failed request is retried silently, a failed stream and a 429 with Retry-After are reconnects',
    async run(context) {
      const threadId = await startThread(context);
      context.model.enqueue({ status: 500, body: { error: { message: 'upstream hiccup' } } }, textReply('recovered'));
      await turn(context, threadId, 'first');
      context.model.enqueue({ events: [{ type: 'response.created', response: {} }, { type: 'response.failed', response: { error: { code: 'server_error', message: 'boom' } } }] }, textReply('back'));
      await turn(context, threadId, 'second');
      context.model.enqueue({ status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'rate_limit_exceeded', message: 'Rate limit reached.' } } }, textReply('waited'));
      await turn(context, threadId, 'third');
      const errors = context.received.filter((m) => m.method === 'error').map((m) => ({ message: m.params.error.message, info: m.params.error.codexErrorInfo, willRetry: m.params.willRetry }));
      context.answers.push({ method: 'error', answer: errors });
    },
  },
  {
    name: 'rate limits are read only with a ChatGPT sign-in',
    async run(context) {
      await record(context, 'account/rateLimits/read', undefined);
      await record(context, 'account/login/start', { type: 'apiKey', apiKey: 'sk-test-123' });
      await record(context, 'account/rateLimits/read', undefined);
    },
  },
];

describe('differential: turns that are steered and retried, against codex app-server', function () {
  this.timeout(90_000);
  compareScenarios(SCENARIOS);
});
