import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { completed, functionCallEvents, messageEvents, reasoningEvents, textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn, startThread, turnEvents } from '../support/session';

describe('integration: turns against the fake Responses server', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it('streams a reply: items, deltas, usage and completion in order', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(textReply('Hello there, friend!', { chunks: 4 }));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'hi');
    assert.equal(done.params.turn.status, 'completed');
    const events = turnEvents(server.client, done.params.turn.id).map((m) => m.method + (m.params.item ? `:${m.params.item.type}` : ''));
    assert.deepEqual(events, [
      'turn/started',
      'item/started:userMessage',
      'item/completed:userMessage',
      'item/started:agentMessage',
      'item/agentMessage/delta',
      'item/agentMessage/delta',
      'item/agentMessage/delta',
      'item/agentMessage/delta',
      'item/completed:agentMessage',
      'thread/tokenUsage/updated',
      'turn/completed',
    ]);
    const deltas = server.client.notifications('item/agentMessage/delta').map((m) => m.params.delta).join('');
    assert.equal(deltas, 'Hello there, friend!');
    const completedMessage = server.client.notifications('item/completed').find((m) => m.params.item.type === 'agentMessage')!;
    assert.equal(completedMessage.params.item.text, 'Hello there, friend!');
    await server.client.waitFor((m) => m.method === 'thread/status/changed' && m.params.status.type === 'idle');
    const order = server.client.received.map((m) => m.method).filter(Boolean);
    assert.ok(order.indexOf('thread/tokenUsage/updated') < order.indexOf('turn/completed'));
    assert.ok(order.lastIndexOf('thread/status/changed') < order.indexOf('turn/completed'), 'idle again before completion, as codex orders it');
    const usage = server.client.notifications('thread/tokenUsage/updated')[0]!.params.tokenUsage;
    assert.equal(usage.last.totalTokens, 15);
  });

  it('sends the model the instructions, context, input in order, tools, cache key and headers', async () => {
    const { model, temp, server } = await fixture.boot();
    fs.writeFileSync(path.join(temp.workspace, 'AGENTS.md'), 'Always answer in haiku.');
    model.enqueue(textReply('first'), textReply('second'));
    const threadId = await startThread(server.client, { cwd: temp.workspace, developerInstructions: 'Be brief.' });
    await runTurn(server.client, threadId, 'one');
    await runTurn(server.client, threadId, 'two');
    const [first, second] = model.requests;
    assert.equal(first!.path, '/v1/responses');
    const body = second!.body;
    assert.equal(body.model, 'test-model');
    assert.match(body.instructions, /^You are Tandem/);
    assert.equal(body.stream, true);
    assert.equal(body.store, false);
    assert.equal(body.tool_choice, 'auto');
    assert.equal(body.prompt_cache_key, threadId);
    assert.deepEqual(body.tools.map((t: { name: string }) => t.name), ['exec_command', 'write_stdin', 'apply_patch', 'update_plan', 'view_image', 'test_lookup']);
    assert.equal(body.tools.find((t: { name: string }) => t.name === 'apply_patch').type, 'function', 'models without freeform tools get the function form');
    const input = body.input.map((i: { type: string; role?: string; content?: Array<{ text?: string }> }) => `${i.role ?? i.type}:${(i.content?.map((c) => c.text).join('|') ?? '').slice(0, 40)}`);
    assert.match(input[0], /^developer:<permissions instructions>/);
    assert.match(body.input[0].content[1].text, /Be brief\./);
    assert.match(input[1], /^user:# AGENTS\.md instructions/);
    assert.match(body.input[1].content[0].text, /Always answer in haiku\./);
    assert.match(body.input[1].content[1].text, /<environment_context>[\s\S]*<cwd>/);
    assert.deepEqual(input.slice(2), ['user:one', 'assistant:first', 'user:two']);
    const headers = second!.headers;
    assert.equal(headers.accept, 'text/event-stream');
    assert.equal(headers.originator, 'tandem_test');
    assert.match(String(headers['user-agent']), /^tandem_test\/\d/);
    assert.equal(headers.session_id, threadId);
    assert.equal(headers['x-client-request-id'], threadId);
  });

  it('runs a multi-request tool loop: call, output back in order, final answer', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(
      {
        events: [
          { type: 'response.created', response: {} },
          ...reasoningEvents('Look both keys up.', { outputIndex: 0 }),
          ...functionCallEvents('test_lookup', { key: 'alpha', delayMs: 80 }, 'call_a', { outputIndex: 1 }),
          ...functionCallEvents('test_lookup', { key: 'beta' }, 'call_b', { outputIndex: 2 }),
          ...functionCallEvents('no_such_tool', {}, 'call_c', { outputIndex: 3 }),
          completed(),
        ],
      },
      textReply('alpha and beta found'),
    );
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'look up alpha and beta');
    assert.equal(done.params.turn.status, 'completed');
    assert.equal(model.requests.length, 2);
    const followUp = model.requests[1]!.body.input as Array<{ type: string; call_id?: string; output?: string }>;
    const tail = followUp.slice(-7).map((i) => (i.type.endsWith('output') ? `${i.type}:${i.call_id}:${i.output}` : i.type === 'function_call' ? `call:${i.call_id}` : i.type));
    assert.deepEqual(tail, [
      'reasoning',
      'call:call_a',
      'call:call_b',
      'call:call_c',
      'function_call_output:call_a:value-of-alpha',
      'function_call_output:call_b:value-of-beta',
      'function_call_output:call_c:unsupported call: no_such_tool is not a tool offered in this thread',
    ]);
    assert.equal(server.client.notifications('item/reasoning/summaryTextDelta').map((m) => m.params.delta).join(''), 'Look both keys up.');
    const reasoning = server.client.notifications('item/completed').find((m) => m.params.item.type === 'reasoning')!;
    assert.deepEqual(reasoning.params.item.summary, ['Look both keys up.']);
  });

  it('retries a 500 silently, as codex does before a stream starts, then succeeds', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue({ status: 500, body: { error: { message: 'upstream hiccup' } } }, textReply('recovered'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'hi');
    assert.equal(done.params.turn.status, 'completed');
    assert.deepEqual(server.client.notifications('error'), []);
    assert.equal(model.requests.length, 2);
  });

  it('retries a stream cut mid-item without duplicating the item', async () => {
    const { model, temp, server } = await fixture.boot();
    const events = [{ type: 'response.created', response: {} }, ...messageEvents('Partial then whole answer', { chunks: 4 }), completed()];
    // Paced, so the cut falls inside the stream (cut before any byte arrives, it is a silent request retry).
    model.enqueue({ events, cutAfter: 3, delayMs: 50 }, { events });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'hi');
    assert.equal(done.params.turn.status, 'completed');
    assert.equal(server.client.notifications('error')[0]?.params.willRetry, true);
    const started = server.client.notifications('item/started').filter((m) => m.params.item.type === 'agentMessage');
    const completedItems = server.client.notifications('item/completed').filter((m) => m.params.item.type === 'agentMessage');
    assert.equal(started.length, 1, 'one agent message started');
    assert.equal(completedItems.length, 1, 'one agent message completed');
    assert.equal(completedItems[0]!.params.item.text, 'Partial then whole answer');
    const deltas = server.client.notifications('item/agentMessage/delta').map((m) => m.params.delta).join('');
    assert.equal(deltas, 'Partial then whole answer', 'no delta sent twice');
    const assistantInHistory = (await server.client.request('thread/read', { threadId, includeTurns: true })).result.thread.turns[0].items.filter(
      (i: { type: string }) => i.type === 'agentMessage',
    );
    assert.equal(assistantInHistory.length, 1);
  });

  it('gives up after an idle stream and fails the turn with a clear message', async () => {
    const { model, temp, server } = await fixture.boot({ provider: { stream_idle_timeout_ms: 300, stream_max_retries: 1 } });
    const silent = { events: [{ type: 'response.created', response: {} }], hang: true };
    model.enqueue(silent, silent);
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'hi');
    assert.equal(done.params.turn.status, 'failed');
    assert.match(done.params.turn.error.message, /sent nothing for 0 s \(idle timeout\)/);
    assert.deepEqual(
      server.client.notifications('error').map((m) => m.params.willRetry),
      [true, false],
    );
    await server.client.waitFor((m) => m.method === 'thread/status/changed' && m.params.status.type === 'systemError');
    model.enqueue(textReply('back again'));
    const next = await runTurn(server.client, threadId, 'again');
    assert.equal(next.params.turn.status, 'completed', 'the thread stays usable');
  });

  it('fails a turn on 401 with a message a person can act on', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue({ status: 401, body: { error: { message: 'Incorrect API key provided' } } });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'hi');
    assert.equal(done.params.turn.status, 'failed');
    assert.match(done.params.turn.error.message, /rejected the credentials \(401 Unauthorized\): Incorrect API key provided\. Sign in again/);
    assert.equal(done.params.turn.error.codexErrorInfo, 'unauthorized');
    assert.equal(model.requests.length, 1, '401 is not retried without a refresh');
  });

  it('interrupts mid-stream: the interrupt is answered, then turn/completed interrupted', async () => {
    const { model, temp, server } = await fixture.boot();
    const events = [{ type: 'response.created', response: {} }, ...messageEvents('a long answer that keeps going and going', { chunks: 20 }), completed()];
    model.enqueue({ events, delayMs: 100 }, textReply('after the interrupt'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const start = await server.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'talk' }] });
    const turnId = start.result.turn.id;
    await server.client.waitFor((m) => m.method === 'item/agentMessage/delta');
    const interrupt = await server.client.request('turn/interrupt', { threadId, turnId });
    assert.deepEqual(interrupt.result, {});
    const done = await server.client.waitFor((m) => m.method === 'turn/completed');
    assert.equal(done.params.turn.status, 'interrupted');
    const indexOf = (predicate: (m: { id?: unknown; method?: string }) => boolean) => server.client.received.findIndex(predicate);
    assert.ok(indexOf((m) => m.id === interrupt.id && m.method === undefined) < indexOf((m) => m.method === 'turn/completed'), 'reply before turn/completed');
    assert.equal(server.client.notifications('item/completed').filter((m) => m.params.item.type === 'agentMessage').length, 0, 'the cut-short item is not announced, as in codex');
    const read = await server.client.request('thread/read', { threadId, includeTurns: true });
    const kept = (read.result.thread.turns[0].items as Array<{ type: string; text?: string }>).find((i) => i.type === 'agentMessage')!;
    assert.ok(kept.text!.length > 0 && kept.text!.length < 'a long answer that keeps going and going'.length, 'the turn keeps what streamed');
    const again = await runTurn(server.client, threadId, 'continue');
    assert.equal(again.params.turn.status, 'completed');
    const lastInput = model.requests[1]!.body.input as Array<{ role?: string; content?: Array<{ text: string }> }>;
    assert.ok(lastInput.some((i) => i.role === 'user' && i.content?.[0]?.text.startsWith('<turn_aborted>')), 'the model is told about the interrupt');
    const wrong = await server.client.request('turn/interrupt', { threadId, turnId });
    assert.match(wrong.error!.message, /no active turn to interrupt/);
  });

  it('steers input into a running turn, before its next request', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(
      { events: [{ type: 'response.created', response: {} }, ...functionCallEvents('test_lookup', { key: 'slow', delayMs: 400 }, 'call_s'), completed()] },
      textReply('done with both'),
    );
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const start = await server.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'first' }] });
    const turnId = start.result.turn.id;
    await model.waitForRequests(1);
    const steer = await server.client.request('turn/steer', { threadId, expectedTurnId: turnId, input: [{ type: 'text', text: 'also this' }] });
    assert.deepEqual(steer.result, { turnId });
    const viaStart = await server.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'and this' }] });
    assert.equal(viaStart.result.turn.id, turnId, 'turn/start on a busy thread steers');
    const mismatch = await server.client.request('turn/steer', { threadId, expectedTurnId: 'other', input: [{ type: 'text', text: 'x' }] });
    assert.match(mismatch.error!.message, /expected active turn id other but found/);
    const done = await server.client.waitFor((m) => m.method === 'turn/completed');
    assert.equal(done.params.turn.status, 'completed');
    const secondInput = model.requests[1]!.body.input as Array<{ role?: string; content?: Array<{ text: string }> }>;
    const userTexts = secondInput.filter((i) => i.role === 'user').map((i) => i.content?.[0]?.text);
    assert.deepEqual(userTexts.slice(-3), ['first', 'also this', 'and this']);
    assert.equal(server.client.notifications('turn/started').length, 1, 'steering starts no new turn');
  });

  it('fails the turn with an actionable message when the model server is down', async () => {
    const { model, temp, server } = await fixture.boot({ provider: { request_max_retries: 1 } });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await model.stop();
    const done = await runTurn(server.client, threadId, 'hi');
    assert.equal(done.params.turn.status, 'failed');
    assert.match(done.params.turn.error.message, /Could not reach the model server at http:\/\/127\.0\.0\.1:\d+\/v1\/responses \(connection refused\)/);
    assert.deepEqual(done.params.turn.error.codexErrorInfo, { httpConnectionFailed: { httpStatusCode: null } });
  });

  it('fails on a 400 without retrying and on malformed SSE after retrying', async () => {
    const { model, temp, server } = await fixture.boot({ provider: { stream_max_retries: 1 } });
    model.enqueue({ status: 400, body: { error: { message: 'Unsupported parameter: foo' } } });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const bad = await runTurn(server.client, threadId, 'hi');
    assert.match(bad.params.turn.error.message, /rejected the request \(400\): Unsupported parameter: foo/);
    const garbage = { events: ['data: {not json\n\n', 'data: still not json\n\n'] };
    model.enqueue(garbage, garbage);
    const malformed = await runTurn(server.client, threadId, 'again');
    assert.equal(malformed.params.turn.status, 'failed');
    assert.match(malformed.params.turn.error.message, /closed before the response completed\. 2 event\(s\) in it were not valid JSON/);
    assert.equal(model.requests.length, 3);
  });

  it('refuses bad input with clear errors', async () => {
    const { temp, server } = await fixture.boot();
    const unknown = await server.client.request('turn/start', { threadId: '01a20000-0000-7000-8000-000000000000', input: [{ type: 'text', text: 'x' }] });
    assert.deepEqual(unknown.error, { code: -32600, message: 'thread not found: 01a20000-0000-7000-8000-000000000000' });
    const malformed = await server.client.request('thread/read', { threadId: 'not-a-thread' });
    assert.equal(malformed.error?.code, -32600);
    assert.match(malformed.error!.message, /invalid thread id: "not-a-thread"/);
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const huge = await server.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'x'.repeat((1 << 20) + 1) }] });
    assert.equal(huge.error?.code, -32602);
    // Empty input starts a turn, as in codex (limits.test.ts).
    const remoteImage = await server.client.request('turn/start', { threadId, input: [{ type: 'image', url: 'https://example.com/cat.png' }] });
    assert.match(remoteImage.error!.message, /must be a data: URL/);
    const badProvider = await server.client.request('thread/start', { modelProvider: 'nope' });
    assert.match(badProvider.error!.message, /unknown model provider "nope"/);
  });

  it('keeps running in memory and warns when the home cannot be written', async () => {
    const { model, temp, server: first } = await fixture.boot();
    await first.close();
    fs.writeFileSync(path.join(temp.home, 'sessions'), 'a file where the sessions folder should be');
    const server = await fixture.spawn();
    model.enqueue(textReply('still here'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'hi');
    assert.equal(done.params.turn.status, 'completed');
    const warning = server.client.notifications('warning')[0];
    assert.ok(warning, 'a warning was sent');
    assert.match(warning.params.message, /cannot save this thread/);
    assert.equal(warning.params.threadId, threadId);
  });

  it('carries an @-mentioned file found by fuzzyFileSearch into the model request', async () => {
    const { model, temp, server } = await fixture.boot();
    fs.mkdirSync(path.join(temp.workspace, 'src', 'billing'), { recursive: true });
    fs.writeFileSync(path.join(temp.workspace, 'src', 'billing', 'invoice.ts'), 'export {};\n');
    const found = await server.client.request('fuzzyFileSearch', { query: 'invoice', roots: [temp.workspace] });
    const file = found.result.files[0] as { path: string };
    assert.equal(file.path, 'src/billing/invoice.ts');
    // What the composer sends after the picker: the path in the text.
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(textReply('looked at it'));
    await runTurn(server.client, threadId, `explain @${file.path} please`);
    const lastUser = (model.requests[0]!.body.input as Array<{ role?: string; content?: Array<{ text: string }> }>).filter((i) => i.role === 'user').at(-1)!;
    assert.equal(lastUser.content![0]!.text, 'explain @src/billing/invoice.ts please');
  });
});
