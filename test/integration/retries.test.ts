// Model retries as codex 0.169 makes them: silent before a stream starts (within request_max_retries),
// "Reconnecting... n/max" (`error`, willRetry) when a stream breaks or a rate limit says how long to wait,
// a fresh request budget per reconnect, and the turn fails once the reconnects are spent.
import { strict as assert } from 'node:assert';
import { completed, messageEvents, textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn, startThread } from '../support/session';

const rateLimited = (message: string, headers: Record<string, string> = {}) => ({ status: 429, headers, body: { error: { type: 'tokens', code: 'rate_limit_exceeded', message } } });

describe('integration: model retries', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it('retries a request that failed before streaming without telling the client', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue({ status: 500, body: { error: { message: 'upstream hiccup' } } }, { status: 502, body: {} }, textReply('recovered'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'hi');
    assert.equal(done.params.turn.status, 'completed');
    assert.equal(model.requests.length, 3);
    assert.deepEqual(server.client.notifications('error'), [], 'no error, no willRetry: clients read those as a failed turn');
  });

  it('reports a stream that broke mid-way as a reconnect and finishes the message once', async () => {
    const { model, temp, server } = await fixture.boot();
    const events = [{ type: 'response.created', response: {} }, ...messageEvents('Partial then whole', { chunks: 4 }), completed()];
    model.enqueue({ events, cutAfter: 4, delayMs: 50 }, { events });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'hi');
    assert.equal(done.params.turn.status, 'completed');
    const [reconnect, ...more] = server.client.notifications('error');
    assert.deepEqual(more, []);
    assert.equal(reconnect!.params.willRetry, true);
    assert.equal(reconnect!.params.error.message, 'Reconnecting... 1/3');
    assert.deepEqual(reconnect!.params.error.codexErrorInfo, { responseStreamDisconnected: { httpStatusCode: null } });
    assert.match(reconnect!.params.error.additionalDetails, /stream/);
    assert.deepEqual(server.client.notifications('item/completed').filter((m) => m.params.item.type === 'agentMessage').map((m) => m.params.item.text), ['Partial then whole']);
  });

  it('waits as long as Retry-After says on a 429, then retries', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(rateLimited('Rate limit reached for test-model.', { 'retry-after': '1' }), textReply('after the wait'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'hi');
    assert.equal(done.params.turn.status, 'completed');
    const waited = model.requests[1]!.receivedAt - model.requests[0]!.receivedAt;
    assert.ok(waited >= 950, `waited ${Math.round(waited)} ms`);
    const [reconnect] = server.client.notifications('error');
    assert.equal(reconnect!.params.error.message, 'Reconnecting... 1/3');
    assert.deepEqual(reconnect!.params.error.codexErrorInfo, { responseStreamDisconnected: { httpStatusCode: 429 } });
    assert.match(reconnect!.params.error.additionalDetails, /rate limiting requests \(429\): Rate limit reached for test-model\. Retrying in 1 s\./);
  });

  it('honours "try again in …" in a rate_limit_exceeded body, minutes included', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(rateLimited('Rate limit reached. Please try again in 0m1.5s.'), textReply('after the wait'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'hi');
    assert.equal(done.params.turn.status, 'completed');
    const waited = model.requests[1]!.receivedAt - model.requests[0]!.receivedAt;
    assert.ok(waited >= 1_450, `waited ${Math.round(waited)} ms`);
    assert.equal(server.client.notifications('error').length, 1);
  });

  it('fails at once on a 429 that gives no wait', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(rateLimited('Rate limit reached.'), textReply('never asked'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'hi');
    assert.equal(done.params.turn.status, 'failed');
    assert.equal(done.params.turn.error.codexErrorInfo, 'rateLimitExceeded');
    assert.equal(model.requests.length, 1);
    assert.deepEqual(server.client.notifications('error').map((m) => m.params.willRetry), [false]);
  });

  it('gives each reconnect a fresh request budget, then fails the turn', async () => {
    const { model, temp, server } = await fixture.boot({ provider: { request_max_retries: 1, stream_max_retries: 1 } });
    model.enqueue(...Array.from({ length: 4 }, () => ({ status: 500, body: { error: { message: 'always down' } } })));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'hi');
    assert.equal(done.params.turn.status, 'failed');
    assert.equal(model.requests.length, 4, '(1 + 1 request retry) × (1 + 1 reconnect)');
    const errors = server.client.notifications('error').map((m) => [m.params.willRetry, m.params.error.message]);
    assert.deepEqual(errors.map(([willRetry]) => willRetry), [true, false]);
    assert.equal(errors[0]![1], 'Reconnecting... 1/1');
    assert.match(String(errors[1]![1]), /server error \(500\): always down/);
  });
});
