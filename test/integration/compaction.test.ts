import { strict as assert } from 'node:assert';
import { COMPACTION_PROMPT } from '../../src/core/thread/compaction';
import { textReply, toolCallReply, usage } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import type { WireMessage } from '../support/protocolClient';
import { runTurn, startThread } from '../support/session';

type InputItem = { type: string; role?: string; content?: Array<{ text?: string }>; output?: string };

/** Each input item as "role: text" (or its type), to compare what the model received. */
function transcript(request: { body: { input: InputItem[] } }): string[] {
  return request.body.input.map((item) => (item.type === 'message' ? `${item.role}: ${(item.content ?? []).map((c) => c.text ?? '').join('')}` : item.type));
}

const isCompactionRequest = (request: { body: { input: InputItem[] } }) => transcript(request).at(-1) === `user: ${COMPACTION_PROMPT}`;

describe('integration: compaction', function () {
  this.timeout(40_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  function completedTurns(): WireMessage[] {
    return fixture.server.client.received.filter((m) => m.method === 'turn/completed');
  }

  async function waitForTurns(count: number): Promise<WireMessage> {
    await fixture.server.client.waitFor(() => completedTurns().length >= count, 15_000);
    return completedTurns()[count - 1]!;
  }

  it('compacts on request: a summary replaces history, a checkpoint is written, and resume starts from it', async () => {
    const { model } = await fixture.boot();
    let server = fixture.server;
    const threadId = await startThread(server.client);
    model.enqueue(textReply('The first answer, long and detailed.'));
    await runTurn(server.client, threadId, 'first question');

    model.enqueue(textReply('SUMMARY: the user asked a first question and got a detailed answer.'));
    const response = await server.client.request('thread/compact/start', { threadId });
    assert.deepEqual(response.result, {});
    const done = await waitForTurns(2);
    assert.equal(done.params.turn.status, 'completed');

    const summaryRequest = model.requests[1]!;
    assert.ok(isCompactionRequest(summaryRequest), 'the model is asked for a summary');
    assert.deepEqual(summaryRequest.body.tools, [], 'without tools');
    assert.ok(transcript(summaryRequest).includes('assistant: The first answer, long and detailed.'), 'over the whole thread');

    const turnId = done.params.turn.id;
    const sequence = server.client.received
      .filter((m) => m.params?.turnId === turnId || m.params?.turn?.id === turnId)
      .map((m) => (m.params.item ? `${m.method}:${m.params.item.type}` : m.method));
    assert.deepEqual(sequence, ['turn/started', 'item/started:contextCompaction', 'item/completed:contextCompaction', 'thread/compacted', 'turn/completed']);

    model.enqueue(textReply('second answer'));
    await runTurn(server.client, threadId, 'second question');
    const afterCompaction = transcript(model.requests[2]!);
    assert.ok(!afterCompaction.includes('assistant: The first answer, long and detailed.'), 'the old reply is gone');
    const messages = afterCompaction.filter((line) => line.startsWith('user: ') && !line.startsWith('user: <environment_context>'));
    assert.deepEqual(
      messages.map((line) => line.split('\n')[0]),
      ['user: first question', 'user: <thread_summary>', 'user: second question'],
      'recent user messages, then the summary, then the new message',
    );
    assert.match(afterCompaction.find((line) => line.startsWith('user: <thread_summary>'))!, /SUMMARY: the user asked a first question/);

    // A new process resumes from the checkpoint, not from the full rollout.
    server = await fixture.restart();
    const resumed = await server.client.request('thread/resume', { threadId });
    const turns = resumed.result.thread.turns as Array<{ items: Array<{ type: string }> }>;
    assert.deepEqual(turns[1]!.items.map((i) => i.type), ['contextCompaction']);
    model.enqueue(textReply('third answer'));
    await runTurn(server.client, threadId, 'third question');
    const resumedInput = transcript(model.requests[3]!);
    assert.ok(!resumedInput.includes('assistant: The first answer, long and detailed.'));
    assert.deepEqual(resumedInput.slice(0, afterCompaction.length), afterCompaction, 'the same history as before the restart');
    assert.deepEqual(resumedInput.slice(afterCompaction.length), ['assistant: second answer', 'user: third question']);
  });

  it('compacts automatically before a turn that would pass 90 % of the context window', async () => {
    const { model, server } = await fixture.boot({ extraConfig: 'model_context_window = 4000' });
    const threadId = await startThread(server.client);
    model.enqueue(textReply('a big answer', { tokens: usage(3500, 100) }));
    const first = await runTurn(server.client, threadId, 'fill the window');
    assert.equal(first.params.turn.status, 'completed');
    const tokenUpdate = server.client.received.find((m) => m.method === 'thread/tokenUsage/updated')!;
    assert.equal(tokenUpdate.params.tokenUsage.modelContextWindow, 4000);

    model.enqueue(textReply('SUMMARY: filled the window.'), textReply('fresh answer'));
    const second = await runTurn(server.client, threadId, 'next');
    assert.equal(second.params.turn.status, 'completed');
    assert.ok(isCompactionRequest(model.requests[1]!), 'the summary request comes first');
    const afterwards = transcript(model.requests[2]!);
    assert.ok(!afterwards.includes('assistant: a big answer'));
    assert.equal(afterwards.at(-1), 'user: next');
    const read = await server.client.request('thread/read', { threadId, includeTurns: true });
    assert.deepEqual(
      read.result.thread.turns[1].items.map((i: { type: string }) => i.type),
      ['contextCompaction', 'userMessage', 'agentMessage'],
    );
  });

  it('compacts between requests of a turn whose tool loop outgrows the window', async () => {
    const { model, server } = await fixture.boot({ extraConfig: 'model_context_window = 4000' });
    const threadId = await startThread(server.client);
    model.enqueue(
      toolCallReply('test_lookup', { key: 'x' }, 'c1', { tokens: usage(3700, 20) }),
      textReply('SUMMARY: looked something up.'),
      textReply('done'),
    );
    const turn = await runTurn(server.client, threadId, 'look it up');
    assert.equal(turn.params.turn.status, 'completed');
    assert.ok(isCompactionRequest(model.requests[1]!));
    assert.ok(!isCompactionRequest(model.requests[2]!));
    assert.match(transcript(model.requests[2]!).at(-1)!, /^user: <thread_summary>/);
  });

  it('answers a context-length error with a compaction and one retry, not a failed turn', async () => {
    const { model, server } = await fixture.boot();
    const threadId = await startThread(server.client);
    model.enqueue(textReply('one'));
    await runTurn(server.client, threadId, 'first');
    const tooLong = { status: 400, body: { error: { code: 'context_length_exceeded', message: 'Your input exceeds the context window.' } } };
    model.enqueue(tooLong, textReply('SUMMARY: first.'), textReply('after compaction'));
    const turn = await runTurn(server.client, threadId, 'second');
    assert.equal(turn.params.turn.status, 'completed');
    assert.ok(isCompactionRequest(model.requests[2]!));
    assert.equal(transcript(model.requests[3]!).at(-1)!.split('\n')[0], 'user: <thread_summary>');

    // A second context-length error in the same turn fails it with a clear message.
    model.enqueue(tooLong, textReply('SUMMARY: again.'), tooLong);
    const failed = await runTurn(server.client, threadId, 'third');
    assert.equal(failed.params.turn.status, 'failed');
    assert.equal(failed.params.turn.error.codexErrorInfo, 'contextWindowExceeded');
  });

  it('refuses to steer a compaction turn and to compact while a turn runs', async () => {
    const { model, server } = await fixture.boot();
    const threadId = await startThread(server.client);
    model.enqueue(textReply('one'));
    await runTurn(server.client, threadId, 'first');
    model.enqueue(textReply('SUMMARY: slowly written.', { chunks: 10, delayMs: 100 }));
    await server.client.request('thread/compact/start', { threadId });
    const started = await server.client.waitFor((m) => m.method === 'turn/started' && completedTurns().length === 1);
    const steer = await server.client.request('turn/steer', { threadId, expectedTurnId: started.params.turn.id, input: [{ type: 'text', text: 'more' }] });
    assert.equal(steer.error!.code, -32600);
    assert.deepEqual((steer.error!.data as { codexErrorInfo: unknown }).codexErrorInfo, { activeTurnNotSteerable: { turnKind: 'compact' } });
    const again = await server.client.request('thread/compact/start', { threadId });
    assert.match(again.error!.message, /has a turn running/);
    await waitForTurns(2);
  });
});
