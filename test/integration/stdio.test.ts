import { strict as assert } from 'node:assert';
import { spawnStdioServer, type SpawnedServer } from '../support/protocolClient';

describe('integration: stdio transport', function () {
  this.timeout(30_000);
  let server: SpawnedServer;

  afterEach(async () => {
    await server?.close();
  });

  it('serves the built CLI: initialize, then refusals for bad input', async () => {
    server = spawnStdioServer({ entry: 'dist', env: { TANDEM_HOME: '/tmp/tandem-stdio-home' } });
    const { client } = server;
    const early = await client.request('thread/list', {});
    assert.deepEqual(early.error, { code: -32600, message: 'Not initialized' });
    const init = await client.initialize();
    assert.equal(init.result.codexHome, '/tmp/tandem-stdio-home');
    const unknown = await client.request('foo/bar', {});
    assert.equal(unknown.error?.code, -32600);
    assert.match(unknown.error!.message, /unknown method `foo\/bar`/);
  });

  it('logs malformed JSON with the reason, drops it and keeps the connection', async () => {
    server = spawnStdioServer();
    await server.client.initialize();
    server.client.sendRaw('{"id": 1, "method": ');
    server.client.sendRaw('[1, 2, 3]');
    const after = await server.client.request('test/echo', { value: 'alive' });
    assert.deepEqual(after.result, { value: 'alive' });
    assert.match(server.stderr(), /dropped malformed JSON .*reason=/);
    assert.match(server.stderr(), /dropped an invalid message .*a message must be a JSON object/);
  });

  it('serves a request of several MB (the bound is MAX_MESSAGE_BYTES; limits.test.ts goes past it)', async () => {
    server = spawnStdioServer();
    await server.client.initialize();
    const value = 'x'.repeat(4 * 1024 * 1024);
    const big = await server.client.request('test/echo', { value });
    assert.equal(big.result?.value, value);
  });

  it('keeps keyed requests in order while unkeyed ones overlap', async () => {
    server = spawnStdioServer();
    await server.client.initialize();
    const [slow, fast, free1, free2] = await Promise.all([
      server.client.request('test/sleep', { ms: 150, key: 'thr', label: 'slow' }),
      server.client.request('test/sleep', { ms: 1, key: 'thr', label: 'fast' }),
      server.client.request('test/sleep', { ms: 150, label: 'free-1' }),
      server.client.request('test/sleep', { ms: 150, label: 'free-2' }),
    ]);
    assert.ok(fast!.result.startedAt >= slow!.result.endedAt);
    assert.ok(free2!.result.startedAt < free1!.result.endedAt);
    const order = server.client.received.filter((m) => m.result?.label).map((m) => m.result.label);
    assert.ok(order.indexOf('slow') < order.indexOf('fast'), 'the response order follows the key order');
  });

  it('never drops anything for a client that stops reading for a while', async () => {
    server = spawnStdioServer();
    await server.client.initialize();
    const count = 20_000;
    server.child.stdout.pause();
    const done = server.client.request('test/emit', { count, payloadBytes: 200 });
    await new Promise((r) => setTimeout(r, 500));
    server.child.stdout.resume();
    await done;
    await server.client.waitFor(() => server.client.notifications('test/tick').length === count, 20_000).catch(() => undefined);
    const seqs = server.client.notifications('test/tick').map((m) => m.params.seq as number);
    assert.equal(seqs.length, count);
    assert.ok(seqs.every((seq, i) => seq === i), 'in order, none missing');
  });

  it('exits cleanly when stdin ends', async () => {
    server = spawnStdioServer({ entry: 'dist' });
    await server.client.initialize();
    assert.equal(await server.close(), 0);
  });
});
