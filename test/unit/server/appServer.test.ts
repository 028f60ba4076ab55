import { strict as assert } from 'node:assert';
import { MAX_MESSAGE_BYTES } from '../../../src/protocol';
import { RecordingSink, initializeMessage, settle, testServer } from '../../support/recordingSink';
import { TestQuestion, observed } from '../../support/testMethods';

function open(server = testServer(), label = 'c') {
  const sink = new RecordingSink();
  const connection = server.openConnection(sink, label);
  return { server, sink, connection };
}

async function openInitialized(server = testServer(), capabilities?: unknown) {
  const opened = open(server);
  opened.server.receive(opened.connection, initializeMessage(0, 'test_client', capabilities));
  await settle();
  return opened;
}

describe('server/appServer: handshake and validation', () => {
  it('answers initialize with the user agent, home and platform', async () => {
    const { sink } = await openInitialized();
    const response = sink.responseTo(0) as { result: Record<string, string> };
    // codex's shape, leading with the codex protocol version (clients gate on it), then Tandem's own.
    assert.match(response.result.userAgent!, /^test_client\/0\.169\.0 \([^;()]+; (x86_64|aarch64|arm64|[a-z0-9]+)\) tandem\/\d+\.\d+\.\d+ \(test_client; 1\)$/);
    assert.equal(response.result.codexHome, '/tmp/tandem-test-home');
    assert.equal(response.result.platformFamily, 'unix');
    assert.equal(response.result.platformOs, process.platform);
  });

  it('runs what follows initialize (config warnings, the unloader) only once the requests sent right after it are answered', async () => {
    const server = testServer();
    const ran: string[] = [];
    const { sink, connection } = open(server);
    server.onInitialized(() => ran.push(sink.responseTo(1) ? 'hooks after the answer' : 'hooks before the answer'));
    server.onInitializeAnswered(() => ran.push('at once'));
    server.receive(connection, initializeMessage(0));
    server.receive(connection, { id: 1, method: 'test/sleep', params: { ms: 300, label: 'first' } });
    const deadline = Date.now() + 3_000;
    while (ran.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual([...ran], ['at once', 'hooks after the answer']);
    await server.shutdown();
  });

  it('refuses requests before initialize and a second initialize', async () => {
    const { server, sink, connection } = open();
    server.receive(connection, { id: 1, method: 'test/echo', params: { value: 1 } });
    assert.deepEqual(sink.responseTo(1), { id: 1, error: { code: -32600, message: 'Not initialized' } });
    server.receive(connection, initializeMessage(2));
    server.receive(connection, initializeMessage(3));
    assert.deepEqual(sink.responseTo(3), { id: 3, error: { code: -32600, message: 'Already initialized' } });
  });

  it('refuses a client name that is not a valid header value, and stays uninitialized', async () => {
    const { server, sink, connection } = open();
    server.receive(connection, initializeMessage(1, 'bad\nname'));
    const error = (sink.responseTo(1) as { error: { code: number; message: string } }).error;
    assert.equal(error.code, -32600);
    assert.match(error.message, /^Invalid clientInfo\.name: "bad\\nname"\. Must be a valid HTTP header value\.$/);
    server.receive(connection, { id: 2, method: 'test/echo', params: { value: 1 } });
    assert.equal((sink.responseTo(2) as { error: { message: string } }).error.message, 'Not initialized');
  });

  it('answers an unknown method and bad params with -32600 and the path', async () => {
    const { server, sink, connection } = await openInitialized();
    server.receive(connection, { id: 1, method: 'no/such', params: {} });
    server.receive(connection, { id: 2, method: 'test/sleep', params: { ms: 'soon', label: 'x' } });
    server.receive(connection, { id: 3, method: 'test/sleep' });
    assert.deepEqual(sink.responseTo(1), { id: 1, error: { code: -32600, message: 'Invalid request: unknown method `no/such`' } });
    assert.match((sink.responseTo(2) as { error: { message: string } }).error.message, /^Invalid request: ms: /);
    assert.match((sink.responseTo(3) as { error: { message: string } }).error.message, /^Invalid request: <root>: /);
  });

  it('answers a request over MAX_MESSAGE_BYTES with -32602 and data', async () => {
    const { server, sink, connection } = await openInitialized();
    server.receive(connection, { id: 7, method: 'test/echo', params: { value: 'x' } }, MAX_MESSAGE_BYTES + 1);
    const error = (sink.responseTo(7) as { error: { code: number; data: Record<string, unknown> } }).error;
    assert.equal(error.code, -32602);
    assert.deepEqual(error.data, { input_error_code: 'request_too_large', max_bytes: MAX_MESSAGE_BYTES, actual_bytes: MAX_MESSAGE_BYTES + 1 });
  });

  it('turns a handler that throws into -32603 and keeps serving', async () => {
    const { server, sink, connection } = await openInitialized();
    server.receive(connection, { id: 1, method: 'test/fail', params: { message: 'disk on fire' } });
    server.receive(connection, { id: 2, method: 'test/echo', params: { value: 'still here' } });
    await settle();
    assert.deepEqual(sink.responseTo(1), { id: 1, error: { code: -32603, message: 'disk on fire' } });
    assert.deepEqual(sink.responseTo(2), { id: 2, result: { value: 'still here' } });
  });

  it('refuses a request id that is already in flight on the same connection', async () => {
    const { server, sink, connection } = await openInitialized();
    server.receive(connection, { id: 'dup', method: 'test/sleep', params: { ms: 20, label: 'first' } });
    server.receive(connection, { id: 'dup', method: 'test/echo', params: { value: 1 } });
    const error = sink.responseTo('dup') as { error: { code: number; message: string } };
    assert.equal(error.error.code, -32600);
    assert.match(error.error.message, /already in flight/);
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(sink.sent.filter((m) => 'id' in m && m.id === 'dup').length, 2);
  });

  it('answers -32001 when more requests are in flight than the bound', async () => {
    const { server, sink, connection } = await openInitialized(testServer({ maxInFlightRequests: 2 }));
    for (const id of [1, 2, 3]) server.receive(connection, { id, method: 'test/sleep', params: { ms: 30, label: String(id) } });
    assert.deepEqual(sink.responseTo(3), { id: 3, error: { code: -32001, message: 'Server overloaded; retry later.' } });
    await new Promise((r) => setTimeout(r, 60));
    assert.ok('result' in sink.responseTo(1)!);
    assert.ok('result' in sink.responseTo(2)!);
    server.receive(connection, { id: 4, method: 'test/echo', params: { value: 'room again' } });
    await settle();
    assert.deepEqual(sink.responseTo(4), { id: 4, result: { value: 'room again' } });
  });

  it('aborts a connection’s in-flight work when it closes', async () => {
    const { server, connection } = await openInitialized();
    server.receive(connection, { id: 1, method: 'test/waitForAbort', params: { label: 'close-me' } });
    await settle();
    server.closeConnection(connection);
    assert.ok(observed.aborted.includes('close-me'));
    await settle();
    assert.equal(server.inFlightRequests, 0, 'the aborted request no longer counts against the bound');
  });
});

describe('server/appServer: routing', () => {
  it('sends a response only to the connection that asked, even with equal ids', async () => {
    const server = testServer();
    const a = await openInitialized(server);
    const b = await openInitialized(server);
    server.receive(a.connection, { id: 5, method: 'test/echo', params: { value: 'for a' } });
    server.receive(b.connection, { id: 5, method: 'test/echo', params: { value: 'for b' } });
    await settle();
    assert.deepEqual(a.sink.responseTo(5), { id: 5, result: { value: 'for a' } });
    assert.deepEqual(b.sink.responseTo(5), { id: 5, result: { value: 'for b' } });
    assert.equal(a.sink.sent.filter((m) => 'id' in m && m.id === 5).length, 1);
  });

  it('broadcasts to initialized connections only, honouring opt-outs', async () => {
    const server = testServer();
    const plain = await openInitialized(server);
    const optedOut = await openInitialized(server, { optOutNotificationMethods: ['test/tick'] });
    const fresh = open(server);
    server.receive(plain.connection, { id: 1, method: 'test/emit', params: { count: 2 } });
    await settle();
    assert.equal(plain.sink.notifications('test/tick').length, 2);
    assert.equal(optedOut.sink.notifications('test/tick').length, 0);
    assert.equal(fresh.sink.sent.length, 0);
  });

  it('sends thread notifications to subscribers only and reports the last one leaving', async () => {
    const server = testServer();
    const a = await openInitialized(server);
    const b = await openInitialized(server);
    const c = await openInitialized(server);
    server.receive(a.connection, { id: 1, method: 'test/subscribe', params: { threadId: 'thr-7' } });
    server.receive(b.connection, { id: 1, method: 'test/subscribe', params: { threadId: 'thr-7' } });
    await settle();
    server.receive(c.connection, { id: 2, method: 'test/emit', params: { count: 1, threadId: 'thr-7' } });
    await settle();
    assert.equal(a.sink.notifications('test/tick').length, 1);
    assert.equal(b.sink.notifications('test/tick').length, 1);
    assert.equal(c.sink.notifications('test/tick').length, 0);
    server.closeConnection(a.connection);
    assert.ok(!observed.unwatched.includes('thr-7'));
    server.connections.unsubscribe(b.connection, 'thr-7');
    assert.ok(observed.unwatched.includes('thr-7'));
  });

  it('runs keyed requests in order and unkeyed ones concurrently', async () => {
    const { server, sink, connection } = await openInitialized();
    server.receive(connection, { id: 1, method: 'test/sleep', params: { ms: 30, key: 't', label: 'slow' } });
    server.receive(connection, { id: 2, method: 'test/sleep', params: { ms: 1, key: 't', label: 'fast' } });
    server.receive(connection, { id: 3, method: 'test/sleep', params: { ms: 30, label: 'free-1' } });
    server.receive(connection, { id: 4, method: 'test/sleep', params: { ms: 30, label: 'free-2' } });
    await new Promise((r) => setTimeout(r, 80));
    const result = (id: number) => (sink.responseTo(id) as { result: { startedAt: number; endedAt: number } }).result;
    assert.ok(result(2).startedAt >= result(1).endedAt, 'the second keyed request waited for the first');
    assert.ok(result(4).startedAt < result(3).endedAt, 'unkeyed requests overlapped');
  });
});

describe('server/appServer: server requests', () => {
  it('uses integer ids from one counter, resolves with the answer and announces serverRequest/resolved', async () => {
    const server = testServer();
    const { sink, connection } = await openInitialized(server);
    server.receive(connection, { id: 1, method: 'test/subscribe', params: { threadId: 'thr-q' } });
    server.receive(connection, { id: 2, method: 'test/askClient', params: { threadId: 'thr-q', question: 'ok?' } });
    server.receive(connection, { id: 3, method: 'test/askClient', params: { threadId: 'thr-q', question: 'sure?' } });
    await settle();
    const [first, second] = sink.serverRequests();
    assert.ok(first && second);
    assert.ok(Number.isInteger(first.id) && second.id === first.id + 1);
    server.receive(connection, { id: first.id, result: { decision: 'accept' } });
    server.receive(connection, { id: second.id, error: { code: -32000, message: 'user said no' } });
    await settle();
    assert.deepEqual(sink.responseTo(2), { id: 2, result: { answer: { decision: 'accept' } } });
    assert.deepEqual(sink.responseTo(3), { id: 3, result: { error: 'user said no' } });
    assert.deepEqual(
      sink.notifications('serverRequest/resolved').map((n) => n.params),
      [{ threadId: 'thr-q', requestId: first.id }, { threadId: 'thr-q', requestId: second.id }],
    );
  });

  it('ignores an answer from a connection the request was not sent to', async () => {
    const server = testServer();
    const asker = await openInitialized(server);
    const other = await openInitialized(server);
    server.receive(asker.connection, { id: 1, method: 'test/askClient', params: { question: 'mine' } });
    await settle();
    const request = asker.sink.serverRequests()[0]!;
    server.receive(other.connection, { id: request.id, result: 'stolen' });
    await settle();
    assert.equal(asker.sink.responseTo(1), undefined);
    server.receive(asker.connection, { id: request.id, result: 'real' });
    await settle();
    assert.deepEqual(asker.sink.responseTo(1), { id: 1, result: { answer: 'real' } });
  });

  it('keeps a thread request through a disconnect, fails requests only one connection could answer, times out, and fails all on shutdown', async () => {
    const server = testServer();
    const a = await openInitialized(server);
    const b = await openInitialized(server);
    server.receive(b.connection, { id: 1, method: 'test/subscribe', params: { threadId: 'thr-x' } });
    server.receive(a.connection, { id: 1, method: 'test/askClient', params: { threadId: 'thr-x', question: 'q' } });
    server.receive(a.connection, { id: 2, method: 'test/askClient', params: { question: 'timeout', timeoutMs: 10 } });
    server.receive(b.connection, { id: 2, method: 'test/askClient', params: { question: 'only b can answer' } });
    await settle();
    assert.equal(b.sink.serverRequests().length, 2);
    server.closeConnection(b.connection);
    await settle();
    // The thread's request waits for the next client; b's own request could only be answered by b.
    assert.equal(a.sink.responseTo(1), undefined);
    assert.equal(server.outgoing.pendingCount, 2);
    await new Promise((r) => setTimeout(r, 30));
    assert.match((a.sink.responseTo(2) as { result: { error: string } }).result.error, /timed out after 10 ms/);
    assert.equal(server.outgoing.pendingCount, 1);
    await server.shutdown();
    assert.equal(server.outgoing.pendingCount, 0);
    assert.equal(a.sink.closedWith, 'server shutdown');
  });

  it('fails a request at once when no client can take it, unless it belongs to a thread', async () => {
    const server = testServer();
    const { sink, connection } = await openInitialized(server);
    server.receive(connection, { id: 1, method: 'test/askClient', params: { threadId: 'nobody-watches', question: 'q' } });
    await settle();
    assert.equal(sink.responseTo(1), undefined, 'a thread request waits for a client to resume the thread');
    server.closeConnection(connection);
    const other = await openInitialized(server);
    server.receive(other.connection, { id: 1, method: 'test/subscribe', params: { threadId: 'nobody-watches' } });
    await settle();
    const request = other.sink.serverRequests()[0];
    assert.ok(request, 'the waiting request reaches the client that came');
    server.receive(other.connection, { id: request.id, result: 'late answer' });
    await settle();
    assert.equal(server.outgoing.pendingCount, 0);
    // Not tied to a thread and with nobody to ask: it fails at once.
    const pending = server.outgoing.sendRequest(TestQuestion, {});
    await assert.rejects(pending, /no connected client/);
  });

  it('a disconnected client that comes back gets the request again and the first answer wins', async () => {
    const server = testServer();
    const first = await openInitialized(server);
    const asker = await openInitialized(server);
    server.receive(first.connection, { id: 1, method: 'test/subscribe', params: { threadId: 'thr-d' } });
    server.receive(asker.connection, { id: 1, method: 'test/askClient', params: { threadId: 'thr-d', question: 'q' } });
    await settle();
    const original = first.sink.serverRequests()[0]!;
    server.closeConnection(first.connection);
    const back = await openInitialized(server);
    const third = await openInitialized(server);
    server.receive(back.connection, { id: 1, method: 'test/subscribe', params: { threadId: 'thr-d' } });
    server.receive(third.connection, { id: 1, method: 'test/subscribe', params: { threadId: 'thr-d' } });
    await settle();
    assert.equal(back.sink.serverRequests()[0]!.id, original.id, 'the same request, under the same id');
    assert.equal(third.sink.serverRequests()[0]!.id, original.id);
    server.receive(third.connection, { id: original.id, result: 'third first' });
    server.receive(back.connection, { id: original.id, result: 'too late' });
    await settle();
    assert.deepEqual(asker.sink.responseTo(1), { id: 1, result: { answer: 'third first' } });
    assert.equal(back.sink.notifications('serverRequest/resolved').length, 1, 'the other client learns it was answered');
  });

  it('re-sends pending thread requests to a connection that subscribes later', async () => {
    const server = testServer();
    const first = await openInitialized(server);
    const later = await openInitialized(server);
    server.receive(first.connection, { id: 1, method: 'test/subscribe', params: { threadId: 'thr-r' } });
    server.receive(first.connection, { id: 2, method: 'test/askClient', params: { threadId: 'thr-r', question: 'q' } });
    await settle();
    server.receive(later.connection, { id: 1, method: 'test/subscribe', params: { threadId: 'thr-r' } });
    await settle();
    const replayed = later.sink.serverRequests()[0]!;
    assert.equal(replayed.id, first.sink.serverRequests()[0]!.id);
    server.receive(later.connection, { id: replayed.id, result: 'from the second window' });
    await settle();
    assert.deepEqual(first.sink.responseTo(2), { id: 2, result: { answer: 'from the second window' } });
    assert.equal(first.sink.notifications('serverRequest/resolved').length, 1, 'the first window learns it was answered');
  });
});
