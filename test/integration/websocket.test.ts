import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, connectWebSocket, spawnWebSocketServer } from '../support/protocolClient';

type Spawned = Awaited<ReturnType<typeof spawnWebSocketServer>>;

describe('integration: websocket transport', function () {
  this.timeout(40_000);
  let server: Spawned | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('prints the real port for port 0 and answers /readyz and /healthz', async () => {
    server = await spawnWebSocketServer();
    assert.match(server.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(!server.url.endsWith(':0'));
    const http = server.url.replace('ws://', 'http://');
    for (const route of ['/readyz', '/healthz']) {
      const res = await fetch(http + route);
      assert.equal(res.status, 200);
    }
    assert.equal((await fetch(http + '/other')).status, 404);
  });

  it('initializes each connection on its own and routes equal ids independently', async () => {
    server = await spawnWebSocketServer();
    const a = await connectWebSocket(server.url);
    const b = await connectWebSocket(server.url);
    await a.client.initialize('client_a');
    const notYet = await b.client.request('test/echo', { value: 'b' }, 7);
    assert.deepEqual(notYet.error, { code: -32600, message: 'Not initialized' });
    await b.client.initialize('client_b');
    const [ra, rb] = await Promise.all([
      a.client.request('test/sleep', { ms: 30, label: 'from-a' }, 42),
      b.client.request('test/sleep', { ms: 5, label: 'from-b' }, 42),
    ]);
    assert.equal(ra.result.label, 'from-a');
    assert.equal(rb.result.label, 'from-b');
    assert.equal(a.client.received.filter((m) => m.id === 42).length, 1, 'no leak of b’s response to a');
    assert.equal(b.client.received.filter((m) => m.id === 42).length, 1);
    a.ws.close();
    b.ws.close();
  });

  it('refuses browsers (an Origin header) unless the origin is allowed', async () => {
    server = await spawnWebSocketServer();
    await assert.rejects(connectWebSocket(server.url, { Origin: 'https://evil.example' }), /upgrade refused: 403/);
    await server.stop();
    server = await spawnWebSocketServer(['--ws-allow-origin', 'vscode-webview://abc']);
    const allowed = await connectWebSocket(server.url, { Origin: 'vscode-webview://abc' });
    await allowed.client.initialize();
    allowed.ws.close();
    await assert.rejects(connectWebSocket(server.url, { Origin: 'https://other.example' }), /upgrade refused: 403/);
  });

  it('requires the bearer token from --ws-token-file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-ws-'));
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, 's3cret-token\n');
    server = await spawnWebSocketServer(['--ws-token-file', tokenFile]);
    await assert.rejects(connectWebSocket(server.url), /upgrade refused: 401/);
    await assert.rejects(connectWebSocket(server.url, { Authorization: 'Bearer wrong' }), /upgrade refused: 401/);
    const ok = await connectWebSocket(server.url, { Authorization: 'Bearer s3cret-token' });
    await ok.client.initialize();
    ok.ws.close();
  });

  it('disconnects a client that stops reading while another keeps receiving', async () => {
    server = await spawnWebSocketServer(['--ws-max-queued', '64'], { TANDEM_LOG: 'debug' });
    const healthy = await connectWebSocket(server.url);
    const stalled = await connectWebSocket(server.url);
    await healthy.client.initialize('healthy');
    await stalled.client.initialize('stalled');
    const stalledClosed = new Promise<void>((resolve) => stalled.ws.once('close', () => resolve()));
    // Stop reading the socket: the kernel buffers fill, then the server's queue for it grows past the bound.
    (stalled.ws as unknown as { _socket: net.Socket })._socket.pause();
    // 1,000 × 64 KiB = 64 MiB: more than loopback's kernel buffers can take (receive buffers autotune up to
    // 32 MiB), paced at about 64 MiB/s so that a reading client keeps up.
    const count = 1_000;
    const ticks = () => healthy.client.notifications('test/tick').length;
    const explain = (error: Error) => assert.fail(`${error.message}; healthy got ${ticks()} ticks; server said: ${server!.stderr().slice(-2000)}`);
    await healthy.client.request('test/emit', { count, payloadBytes: 64 * 1024, yieldEvery: 4, delayMs: 4 }).catch(explain);
    await healthy.client.waitFor(() => ticks() === count, 20_000).catch(explain);
    assert.equal(ticks(), count);
    (stalled.ws as unknown as { _socket: net.Socket })._socket.resume();
    await stalledClosed;
    assert.match(server.stderr(), /disconnecting a slow websocket client/);
    const still = await healthy.client.request('test/echo', { value: 'fine' });
    assert.deepEqual(still.result, { value: 'fine' });
    healthy.ws.close();
  });

  it('disconnects a client whose unread bytes pass --ws-max-queued-bytes, long before the message count bound', async () => {
    server = await spawnWebSocketServer(['--ws-max-queued-bytes', String(1024 * 1024)], { TANDEM_LOG: 'debug' });
    const healthy = await connectWebSocket(server.url);
    const stalled = await connectWebSocket(server.url);
    await healthy.client.initialize('healthy');
    await stalled.client.initialize('stalled');
    // One message larger than the whole bound still reaches a client that is not behind.
    await healthy.client.request('test/emit', { count: 1, payloadBytes: 2 * 1024 * 1024 });
    await healthy.client.waitFor(() => healthy.client.notifications('test/tick').length === 1, 10_000);
    const stalledClosed = new Promise<void>((resolve) => stalled.ws.once('close', () => resolve()));
    (stalled.ws as unknown as { _socket: net.Socket })._socket.pause();
    // 400 × 128 KiB = 50 MiB in 401 messages: far under the 32,768-message bound, far over kernel buffers + 1 MiB.
    const count = 400;
    const ticks = () => healthy.client.notifications('test/tick').length;
    const explain = (error: Error) => assert.fail(`${error.message}; healthy got ${ticks()} ticks; server said: ${server!.stderr().slice(-2000)}`);
    await healthy.client.request('test/emit', { count, payloadBytes: 128 * 1024, yieldEvery: 4, delayMs: 8 }).catch(explain);
    await healthy.client.waitFor(() => ticks() === count + 1, 20_000).catch(explain);
    (stalled.ws as unknown as { _socket: net.Socket })._socket.resume();
    await stalledClosed;
    assert.match(server.stderr(), /disconnecting a slow websocket client.*queuedBytes/);
    healthy.ws.close();
  });

  it('refuses a hostname or another scheme in --listen, naming the accepted forms', async () => {
    for (const listen of ['ws://localhost:4500', 'http://127.0.0.1:4500']) {
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'app-server', '--listen', listen]);
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 2);
      assert.match(stderr, /stdio:\/\/ or ws:\/\/IP:PORT/);
    }
  });

  it('refuses a non-loopback address unless allowed', async () => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'app-server', '--listen', 'ws://0.0.0.0:0']);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    assert.equal(await new Promise((resolve) => child.once('exit', resolve)), 2);
    assert.match(stderr, /--ws-allow-remote/);
  });

  it('refuses --ws-allow-remote without a token file, and starts with one', async () => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'app-server', '--listen', 'ws://0.0.0.0:0', '--ws-allow-remote']);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    assert.equal(await new Promise((resolve) => child.once('exit', resolve)), 2);
    assert.match(stderr, /refusing --ws-allow-remote without --ws-token-file/);
    const tokenFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-token-')), 'token');
    fs.writeFileSync(tokenFile, 'a-long-random-token-for-this-test-only');
    const server = await spawnWebSocketServer(['--ws-allow-remote', '--ws-token-file', tokenFile]);
    assert.match(server.url, /^ws:\/\/127\.0\.0\.1:\d+/);
    await server.stop();
  });
});
