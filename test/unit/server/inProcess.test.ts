import { strict as assert } from 'node:assert';
import { RpcError } from '../../../src/protocol';
import { startInProcess, WouldBlockError, type InProcessEvent } from '../../../src/server/transports/inProcess';
import { settle, testServer } from '../../support/recordingSink';
import { TestEcho } from '../../support/testMethods';

const clientInfo = { name: 'tandem_test', title: null, version: '1' };

async function drain(client: { nextEvent(): Promise<InProcessEvent | undefined> }, count: number): Promise<InProcessEvent[]> {
  const events: InProcessEvent[] = [];
  for (let i = 0; i < count; i++) events.push((await client.nextEvent())!);
  return events;
}

describe('server/transports/inProcess', () => {
  it('initializes on start and answers typed calls', async () => {
    const client = await startInProcess({ server: testServer(), clientInfo });
    assert.match(client.initializeResult.userAgent, /^tandem_test\//);
    assert.deepEqual(await client.call(TestEcho, { value: [1, 2] }), { value: [1, 2] });
    await client.shutdown();
  });

  it('rejects with the JSON-RPC error of a failed request', async () => {
    const client = await startInProcess({ server: testServer(), clientInfo });
    await assert.rejects(client.request('test/fail', { message: 'nope' }), (error: unknown) => {
      assert.ok(error instanceof RpcError);
      assert.equal(error.code, -32603);
      assert.equal(error.message, 'nope');
      return true;
    });
    await assert.rejects(client.request('no/such'), /unknown method/);
    await client.shutdown();
  });

  it('rejects at once with would-block when the client queue is full', async () => {
    const client = await startInProcess({ server: testServer(), clientInfo, channelCapacity: 3 });
    const calls = Array.from({ length: 5 }, (_, i) => client.request('test/echo', { value: i }));
    const outcomes = await Promise.allSettled(calls);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected'],
    );
    assert.ok((outcomes[3] as PromiseRejectedResult).reason instanceof WouldBlockError);
    assert.deepEqual(await client.request('test/echo', { value: 'after' }), { value: 'after' }, 'room again once drained');
    await client.shutdown();
  });

  it('clamps the capacity to at least one', async () => {
    const client = await startInProcess({ server: testServer(), clientInfo, channelCapacity: 0 });
    assert.deepEqual(await client.request('test/echo', { value: 1 }), { value: 1 });
    await assert.rejects(Promise.all([client.request('test/echo', { value: 1 }), client.request('test/echo', { value: 2 })]), WouldBlockError);
    await client.shutdown();
  });

  it('drops notifications under saturation and says how many with a lagged marker', async () => {
    const client = await startInProcess({ server: testServer(), clientInfo, channelCapacity: 4 });
    await client.request('test/emit', { count: 10 });
    const first = await drain(client, 4);
    assert.deepEqual(first.map((e) => (e.kind === 'notification' ? (e.params as { seq: number }).seq : e.kind)), [0, 1, 2, 3]);
    await client.request('test/emit', { count: 1 });
    const [lagged, next] = await drain(client, 2);
    assert.deepEqual(lagged, { kind: 'lagged', skipped: 6 });
    assert.equal(next!.kind, 'notification');
    await client.shutdown();
  });

  it('always delivers turn/completed, even to a saturated client', async () => {
    const client = await startInProcess({ server: testServer(), clientInfo, channelCapacity: 2 });
    await client.request('test/subscribe', { threadId: 'thr-1' });
    await client.request('test/emit', { count: 50, threadId: 'thr-1', completeTurn: true });
    const events = await drain(client, 4);
    assert.deepEqual(events.map((e) => (e.kind === 'notification' ? e.method : e.kind)), ['test/tick', 'test/tick', 'lagged', 'turn/completed']);
    assert.deepEqual(events[2], { kind: 'lagged', skipped: 48 });
    await client.shutdown();
  });

  it('fails a server request back to the server when it cannot be queued, so nothing hangs', async () => {
    const client = await startInProcess({ server: testServer(), clientInfo, channelCapacity: 1 });
    await client.request('test/emit', { count: 1 });
    const answer = (await client.request('test/askClient', { question: 'approve?' })) as { error?: string };
    assert.match(answer.error ?? '', /could not accept test\/question/);
    await client.shutdown();
  });

  it('carries a server request and the answer both ways', async () => {
    const client = await startInProcess({ server: testServer(), clientInfo });
    const pending = client.request('test/askClient', { question: 'run it?' });
    const event = await client.nextEvent();
    assert.ok(event && event.kind === 'serverRequest');
    assert.deepEqual(event.params, { question: 'run it?' });
    client.respondToServerRequest(event.id, { decision: 'accept' });
    assert.deepEqual(await pending, { answer: { decision: 'accept' } });
    await client.shutdown();
  });

  it('shuts down within its bound even when the server does not finish', async () => {
    const server = testServer();
    server.onShutdown(() => new Promise(() => {}));
    const client = await startInProcess({ server, clientInfo, shutdownTimeoutMs: 50 });
    const stuck = client.request('test/waitForAbort', { label: 'in-process-shutdown' }).then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    const started = Date.now();
    await client.shutdown();
    assert.ok(Date.now() - started < 2_000);
    assert.match(await stuck, /shut ?down/, 'the caller hears the server is stopping');
    assert.equal(await client.nextEvent(), undefined);
    await assert.rejects(client.request('test/echo', { value: 1 }), /shut down/);
    await settle();
  });
});
