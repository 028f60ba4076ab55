import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnStdioServer, type SpawnedServer } from '../support/protocolClient';
import { makeTempHome, type TempHome } from '../support/tempHome';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('integration: command/exec', function () {
  this.timeout(30_000);
  let temp: TempHome;
  let server: SpawnedServer;

  beforeEach(async () => {
    temp = makeTempHome();
    server = spawnStdioServer({ env: temp.env });
    await server.client.initialize();
  });
  afterEach(() => server.close());

  it('runs a command and answers with its exit code and buffered output', async () => {
    const response = await server.client.request('command/exec', { command: ['bash', '-c', 'echo out; echo err >&2; exit 7'], cwd: temp.workspace });
    assert.deepEqual(response.result, { exitCode: 7, stdout: 'out\n', stderr: 'err\n' });
  });

  it('fails closed: a sandboxed command/exec is refused when no sandbox can run, and runs when full access is asked for', async () => {
    const fakeBin = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-nobwrap-'));
    fs.writeFileSync(path.join(fakeBin, 'bwrap'), '#!/bin/sh\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n', { mode: 0o755 });
    const bare = spawnStdioServer({ env: { ...temp.env, PATH: `${fakeBin}:${process.env.PATH}` } });
    try {
      await bare.client.initialize();
      const marker = path.join(temp.workspace, 'ran.txt');
      const refused = await bare.client.request('command/exec', { command: ['touch', marker], cwd: temp.workspace, sandboxPolicy: { type: 'workspaceWrite' } });
      assert.match(refused.error!.message, /^not run: no sandbox can run on this machine .*install bubblewrap/);
      assert.ok(!fs.existsSync(marker));
      const full = await bare.client.request('command/exec', { command: ['touch', marker], cwd: temp.workspace, sandboxPolicy: { type: 'dangerFullAccess' } });
      assert.equal(full.result.exitCode, 0);
      assert.ok(fs.existsSync(marker));
    } finally {
      await bare.close();
    }
  });

  it('refuses an empty command and streaming without a process id', async () => {
    const empty = await server.client.request('command/exec', { command: [] });
    assert.deepEqual(empty.error, { code: -32600, message: 'command must not be empty' });
    const noId = await server.client.request('command/exec', { command: ['cat'], streamStdin: true });
    assert.match(noId.error!.message, /need a client-supplied processId/);
    const unknown = await server.client.request('command/exec/write', { processId: 'ghost', deltaBase64: b64('x') });
    assert.match(unknown.error!.message, /no running process with id ghost/);
  });

  it('streams output, takes stdin, and answers after the process exits', async () => {
    const exec = server.client.request('command/exec', { command: ['cat'], processId: 'p1', streamStdin: true, streamStdoutStderr: true, cwd: temp.workspace });
    await new Promise((r) => setTimeout(r, 200));
    await server.client.request('command/exec/write', { processId: 'p1', deltaBase64: b64('hello\n') });
    await server.client.waitFor((m) => m.method === 'command/exec/outputDelta');
    await server.client.request('command/exec/write', { processId: 'p1', closeStdin: true });
    const response = await exec;
    assert.deepEqual(response.result, { exitCode: 0, stdout: '', stderr: '' }, 'streamed output is not repeated in the response');
    const streamed = server.client.notifications('command/exec/outputDelta').map((m) => Buffer.from(m.params.deltaBase64, 'base64').toString()).join('');
    assert.equal(streamed, 'hello\n');
    const order = server.client.received.findIndex((m) => m.id === response.id) > server.client.received.findIndex((m) => m.method === 'command/exec/outputDelta');
    assert.ok(order, 'the response comes after the output');
  });

  it('streams the exact bytes a command wrote: invalid UTF-8 and a character split across writes', async () => {
    const script = "printf '\\xff\\xfe\\x80abc'; printf '\\xc3'; sleep 0.2; printf '\\xa9'";
    const response = await server.client.request('command/exec', { command: ['bash', '-c', script], processId: 'bytes', streamStdoutStderr: true, cwd: temp.workspace });
    assert.equal(response.result.exitCode, 0);
    const deltas = server.client.notifications('command/exec/outputDelta').filter((m) => m.params.processId === 'bytes' && m.params.stream === 'stdout');
    const chunks = deltas.map((m) => Buffer.from(m.params.deltaBase64, 'base64'));
    assert.deepEqual(Buffer.concat(chunks), Buffer.from([0xff, 0xfe, 0x80, 0x61, 0x62, 0x63, 0xc3, 0xa9]));
    assert.deepEqual(chunks[chunks.length - 1], Buffer.from([0xa9]), 'the lead byte of "é" is not held back for the next write');
  });

  it('keeps buffered output as text: a split character joined, invalid bytes replaced', async () => {
    const script = "printf 'caf\\xc3'; sleep 0.2; printf '\\xa9 \\xff'";
    const response = await server.client.request('command/exec', { command: ['bash', '-c', script], cwd: temp.workspace });
    assert.deepEqual(response.result, { exitCode: 0, stdout: 'café \ufffd', stderr: '' });
  });

  it('passes stdin bytes through exactly', async () => {
    const exec = server.client.request('command/exec', { command: ['sh', '-c', 'echo ready; exec cat'], processId: 'raw', streamStdin: true, streamStdoutStderr: true, cwd: temp.workspace });
    await server.client.waitFor((m) => m.method === 'command/exec/outputDelta' && m.params.processId === 'raw');
    await server.client.request('command/exec/write', { processId: 'raw', deltaBase64: Buffer.from([0xff, 0xc3, 0x0a]).toString('base64'), closeStdin: true });
    assert.equal((await exec).result.exitCode, 0);
    const streamed = server.client.notifications('command/exec/outputDelta').filter((m) => m.params.processId === 'raw').map((m) => Buffer.from(m.params.deltaBase64, 'base64'));
    assert.deepEqual(Buffer.concat(streamed), Buffer.concat([Buffer.from('ready\n'), Buffer.from([0xff, 0xc3, 0x0a])]));
  });

  it('closes stdin unless the client streams it: a reader ends at once, and writes are refused', async () => {
    const reader = await server.client.request('command/exec', { command: ['cat'], timeoutMs: 5_000, cwd: temp.workspace });
    assert.deepEqual(reader.result, { exitCode: 0, stdout: '', stderr: '' });
    const streamed = server.client.request('command/exec', { command: ['sh', '-c', 'echo started; cat; echo "cat ended"; exec sleep 30'], processId: 'noin', streamStdoutStderr: true, cwd: temp.workspace });
    await server.client.waitFor((m) => m.method === 'command/exec/outputDelta' && m.params.processId === 'noin' && Buffer.from(m.params.deltaBase64, 'base64').toString().includes('cat ended'));
    const write = await server.client.request('command/exec/write', { processId: 'noin', deltaBase64: b64('x') });
    assert.equal(write.error!.code, -32600);
    assert.match(write.error!.message, /^stdin streaming is not enabled for this command\/exec/);
    await server.client.request('command/exec/terminate', { processId: 'noin' });
    await streamed;
  });

  it('terminates on request and on timeout', async () => {
    const long = server.client.request('command/exec', { command: ['sh', '-c', 'echo started; exec sleep 30'], processId: 'slow', streamStdoutStderr: true });
    // Setting up the sandbox takes a moment: terminate once the command runs, not after a guessed delay.
    await server.client.waitFor((m) => m.method === 'command/exec/outputDelta' && m.params.processId === 'slow');
    await server.client.request('command/exec/terminate', { processId: 'slow' });
    const terminated = await long;
    assert.equal(terminated.result.exitCode, 143);
    const timed = await server.client.request('command/exec', { command: ['sleep', '30'], timeoutMs: 200 });
    assert.equal(timed.result.exitCode, 124);
    assert.match(timed.result.stderr, /timed out after 200 milliseconds/);
  });

  it('caps buffered output per stream', async () => {
    const response = await server.client.request('command/exec', { command: ['bash', '-c', 'head -c 5000 /dev/zero | tr "\\0" a'], outputBytesCap: 100 });
    assert.equal(response.result.stdout.length, 100);
  });

  it('runs under the configured sandbox: no writes outside the writable roots', async () => {
    const outside = path.join(os.homedir(), `.tandem-cmd-probe-${process.pid}-${Date.now()}`);
    const response = await server.client.request('command/exec', { command: ['bash', '-c', `echo x > ${outside}`], cwd: temp.workspace });
    assert.notEqual(response.result.exitCode, 0);
    assert.match(response.result.stderr, /Read-only file system/);
    assert.ok(!fs.existsSync(outside));
    const inside = await server.client.request('command/exec', { command: ['bash', '-c', 'echo y > inside.txt'], cwd: temp.workspace });
    assert.equal(inside.result.exitCode, 0);
    assert.ok(fs.existsSync(path.join(temp.workspace, 'inside.txt')));
  });
});
