import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../../src/core/log';
import { ProcessManager } from '../../src/core/exec/processManager';
import { ExecServer } from '../../src/server/execServer';
import { REPO_ROOT, ScriptedClient } from '../support/protocolClient';
import { RecordingSink } from '../support/recordingSink';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const text = (chunks: Array<{ chunk: string }>) => chunks.map((c) => Buffer.from(c.chunk, 'base64').toString()).join('');

function spawnExecServer() {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'exec-server'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const client = new ScriptedClient((t) => child.stdin.write(t + '\n'), { speaksAppServer: false });
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    let newline;
    while ((newline = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim()) client.accept(JSON.parse(line));
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, client, exited };
}

describe('integration: exec-server', function () {
  this.timeout(30_000);
  let server: ReturnType<typeof spawnExecServer>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-exec-'));

  beforeEach(() => {
    server = spawnExecServer();
  });
  afterEach(async () => {
    server.child.stdin.end();
    await server.exited;
  });

  async function ready() {
    const init = await server.client.request('initialize', { clientName: 'test' });
    assert.deepEqual(init.result, { protocolVersion: 'exec-server.v0' });
    server.client.send({ method: 'initialized' });
  }

  it('rejects methods before initialized, then starts, reads and reports exit', async () => {
    const early = await server.client.request('process/start', { processId: 'x', argv: ['true'], cwd: dir });
    assert.match(early.error!.message, /not initialized/);
    await ready();
    const start = await server.client.request('process/start', { processId: 'p', argv: ['bash', '-c', 'echo one; echo two >&2; exit 4'], cwd: dir, env: { PATH: process.env.PATH! } });
    assert.deepEqual(start.result, { processId: 'p' });
    await server.client.waitFor((m) => m.method === 'process/exited');
    const all = await server.client.request('process/read', { processId: 'p', waitMs: 1000 });
    assert.equal(all.result.exited, true);
    assert.equal(all.result.exitCode, 4);
    assert.equal(all.result.truncated, false);
    assert.match(text(all.result.chunks), /one/);
    assert.ok(all.result.chunks.some((c: { stream: string }) => c.stream === 'stderr'));
    const after = await server.client.request('process/read', { processId: 'p', afterSeq: all.result.nextSeq });
    assert.deepEqual(after.result.chunks, []);
    assert.equal(server.client.notifications('process/exited')[0]!.params.exitCode, 4);
  });

  it('refuses empty argv, duplicate ids, unknown processes and writes to pipes', async () => {
    await ready();
    assert.match((await server.client.request('process/start', { processId: 'e', argv: [], cwd: dir })).error!.message, /argv must not be empty/);
    await server.client.request('process/start', { processId: 'd', argv: ['sleep', '5'], cwd: dir, env: { PATH: process.env.PATH! } });
    assert.match((await server.client.request('process/start', { processId: 'd', argv: ['true'], cwd: dir })).error!.message, /already exists/);
    assert.match((await server.client.request('process/read', { processId: 'nope' })).error!.message, /unknown process id nope/);
    assert.match((await server.client.request('process/write', { processId: 'd', chunk: b64('x') })).error!.message, /uses pipes/);
    assert.deepEqual((await server.client.request('process/terminate', { processId: 'd' })).result, { running: true });
  });

  it('reports the exact bytes a process wrote: invalid UTF-8 and a character split across writes', async () => {
    await ready();
    const script = "printf '\\xff\\xfe\\x80abc'; printf '\\xc3'; sleep 0.2; printf '\\xa9'";
    await server.client.request('process/start', { processId: 'b', argv: ['bash', '-c', script], cwd: dir, env: { PATH: process.env.PATH! } });
    await server.client.waitFor((m) => m.method === 'process/exited' && m.params.processId === 'b');
    const expected = Buffer.from([0xff, 0xfe, 0x80, 0x61, 0x62, 0x63, 0xc3, 0xa9]);
    const read = await server.client.request('process/read', { processId: 'b' });
    const chunks = read.result.chunks.filter((c: { stream: string }) => c.stream === 'stdout').map((c: { chunk: string }) => Buffer.from(c.chunk, 'base64'));
    assert.deepEqual(Buffer.concat(chunks), expected);
    assert.deepEqual(chunks[chunks.length - 1], Buffer.from([0xa9]), 'the lead byte of "é" is not held back for the next write');
    const notified = server.client.notifications('process/output').filter((m) => m.params.processId === 'b').map((m) => Buffer.from(m.params.chunk, 'base64'));
    assert.deepEqual(Buffer.concat(notified), expected);
  });

  it('starts a pipe process with stdin closed: a reader ends at once, and a write is rejected', async () => {
    await ready();
    await server.client.request('process/start', { processId: 'c', argv: ['cat'], cwd: dir, env: { PATH: process.env.PATH! } });
    const exited = await server.client.waitFor((m) => m.method === 'process/exited' && m.params.processId === 'c', 5_000);
    assert.equal(exited.params.exitCode, 0);
    await server.client.request('process/start', { processId: 's', argv: ['sh', '-c', 'cat; echo "cat ended"; exec sleep 30'], cwd: dir, env: { PATH: process.env.PATH! } });
    await server.client.waitFor((m) => m.method === 'process/output' && m.params.processId === 's' && Buffer.from(m.params.chunk, 'base64').toString().includes('cat ended'), 5_000);
    const write = await server.client.request('process/write', { processId: 's', chunk: b64('x') });
    assert.equal(write.error!.code, -32600);
    assert.match(write.error!.message, /^stdin is closed for process s\b/);
    await server.client.request('process/terminate', { processId: 's' });
  });

  it('writes to a terminal process', async () => {
    await ready();
    await server.client.request('process/start', { processId: 't', argv: ['cat'], cwd: dir, env: { PATH: process.env.PATH!, TERM: 'dumb' }, tty: true });
    const write = await server.client.request('process/write', { processId: 't', chunk: b64('ping\n') });
    assert.deepEqual(write.result, { accepted: true });
    await server.client.waitFor((m) => m.method === 'process/output' && Buffer.from(m.params.chunk, 'base64').toString().includes('ping'));
    const read = await server.client.request('process/read', { processId: 't', waitMs: 500 });
    assert.equal(read.result.chunks[0].stream, 'pty');
    await server.client.request('process/terminate', { processId: 't' });
  });

  it('kills a disconnected client’s process before it can write its marker file', async () => {
    await ready();
    const marker = path.join(dir, `marker-${Date.now()}`);
    await server.client.request('process/start', { processId: 'm', argv: ['sh', '-c', `sleep 1; touch ${marker}`], cwd: dir, env: { PATH: process.env.PATH! } });
    server.child.stdin.end();
    await server.exited;
    await new Promise((r) => setTimeout(r, 1_800));
    assert.ok(!fs.existsSync(marker), 'the marker was never written');
  });

  it('caps retained output, dropping the oldest chunks and saying so', async () => {
    const manager = new ProcessManager(silentLogger);
    const exec = new ExecServer(silentLogger, manager, { retainedBytes: 4096 });
    const sink = new RecordingSink();
    const connection = exec.openConnection(sink, 'cap');
    exec.receive(connection, { id: 1, method: 'initialize', params: { clientName: 'x' } });
    exec.receive(connection, { method: 'initialized' });
    exec.receive(connection, { id: 2, method: 'process/start', params: { processId: 'big', argv: ['bash', '-c', 'for i in $(seq 1 2000); do echo "line $i"; done'], cwd: dir, env: { PATH: process.env.PATH! } } });
    await new Promise((r) => setTimeout(r, 1_000));
    exec.receive(connection, { id: 3, method: 'process/read', params: { processId: 'big' } });
    await new Promise((r) => setTimeout(r, 50));
    const read = (sink.responseTo(3) as { result: { chunks: Array<{ seq: number; chunk: string }>; truncated: boolean; exited: boolean } }).result;
    assert.equal(read.truncated, true);
    assert.ok(read.chunks[0]!.seq > 0, 'the oldest chunks are gone');
    const retained = text(read.chunks);
    assert.ok(retained.length <= 4096 + 1024, `retained ${retained.length} bytes`);
    assert.match(retained, /line 2000/);
    exec.shutdown();
  });
});
