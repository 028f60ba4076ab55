// turn/steer during a streaming reply cuts in, as codex 0.169 does: the in-flight request ends at once, the
// items the reply had finished stay (in the turn, the history and the next request), the item still
// streaming is dropped, and the model is asked again with the steered message. A reply that asked for a
// tool is not cut: the steer waits for the tool's output.
import { strict as assert } from 'node:assert';
import { completed, functionCallEvents, messageEvents, textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { startThread } from '../support/session';

type Input = Array<{ type: string; role?: string; content?: Array<{ text: string }> }>;
const conversation = (input: Input) => input.filter((i) => i.type !== 'message' || !i.content?.[0]?.text.startsWith('<')).map((i) => `${i.role ?? i.type}:${i.content?.[0]?.text ?? ''}`);

/** A reply that finishes one message, then streams a second one for `seconds` (100 ms a word). */
function longReply(seconds: number) {
  const slow = messageEvents('word '.repeat(seconds * 10), { outputIndex: 1, chunks: seconds * 10 }).map((event) => ('item' in event ? { ...event, item: { ...(event.item as object), id: 'msg_slow' } } : event));
  return { events: [{ type: 'response.created', response: {} }, ...messageEvents('finished first', { outputIndex: 0 }), ...slow, completed()], delayMs: 100 };
}

describe('integration: steering cuts into a streaming reply', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it('ends the streaming request, keeps what the reply finished and answers the steer at once', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(longReply(10), textReply('answer to the steer'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const start = await server.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'first' }] });
    const turnId = start.result.turn.id;
    await server.client.waitFor((m) => m.method === 'item/agentMessage/delta' && m.params.delta.startsWith('word'));
    const steeredAt = performance.now();
    const steer = await server.client.request('turn/steer', { threadId, expectedTurnId: turnId, input: [{ type: 'text', text: 'steer now' }], clientUserMessageId: 'c-1' });
    assert.deepEqual(steer.result, { turnId });
    const shown = await server.client.waitFor((m) => m.method === 'item/started' && m.params.item.type === 'userMessage' && m.params.item.clientId === 'c-1');
    const done = await server.client.waitFor((m) => m.method === 'turn/completed');
    // The original reply had about nine seconds left to stream.
    assert.ok(model.requests[1]!.receivedAt - steeredAt < 5_000, `the steer was answered ${Math.round(model.requests[1]!.receivedAt - steeredAt)} ms after it was sent`);
    assert.equal(done.params.turn.status, 'completed');
    assert.deepEqual(done.params.turn.items.map((i: { text: string }) => i.text), ['answer to the steer']);

    assert.deepEqual(conversation(model.requests[1]!.body.input), ['user:first', 'assistant:finished first', 'user:steer now'], 'the finished message, then the steer; not the cut-off one');
    const read = await server.client.request('thread/read', { threadId, includeTurns: true });
    const items = read.result.thread.turns[0].items.map((i: { type: string; text?: string; content?: Array<{ text: string }> }) => `${i.type}:${i.text ?? i.content?.[0]?.text}`);
    assert.deepEqual(items, ['userMessage:first', 'agentMessage:finished first', 'userMessage:steer now', 'agentMessage:answer to the steer']);

    // On the wire: the cut-off message started and streamed but never completes (codex leaves it open too),
    // and the steered message shows before the new answer starts.
    const agentMessages = (method: string) => server.client.notifications(method).filter((m) => m.params.item.type === 'agentMessage').length;
    assert.equal(agentMessages('item/started'), 3);
    assert.equal(agentMessages('item/completed'), 2);
    const answerStarted = server.client.received.findIndex((m) => m.method === 'item/started' && m.params.item.id === done.params.turn.items[0].id);
    assert.ok(server.client.received.indexOf(shown) < answerStarted);
    assert.equal(server.client.notifications('error').length, 0, 'a cut is not an error');
  });

  it('waits for a tool the reply asked for, then sends the steer with its output', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(
      { events: [{ type: 'response.created', response: {} }, ...functionCallEvents('test_lookup', { key: 'slow', delayMs: 600 }, 'call_s'), ...messageEvents('still going', { outputIndex: 1, chunks: 5 }), completed()], delayMs: 50 },
      textReply('done with both'),
    );
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const start = await server.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'first' }] });
    await server.client.waitFor((m) => m.method === 'item/agentMessage/delta');
    await server.client.request('turn/steer', { threadId, expectedTurnId: start.result.turn.id, input: [{ type: 'text', text: 'also this' }] });
    const done = await server.client.waitFor((m) => m.method === 'turn/completed');
    assert.equal(done.params.turn.status, 'completed');
    assert.equal(model.requests.length, 2);
    const kinds = (model.requests[1]!.body.input as Input).slice(-4).map((i) => `${i.role ?? i.type}:${i.content?.[0]?.text ?? ''}`);
    assert.deepEqual(kinds, ['function_call:', 'assistant:still going', 'function_call_output:', 'user:also this']);
  });
});
