import { strict as assert } from 'node:assert';
import { silentLogger } from '../../../../src/core/log';
import { ProcessManager, type ManagedProcess } from '../../../../src/core/exec/processManager';

const env = { PATH: process.env.PATH ?? '' };
/** Invalid UTF-8, then "é" split across two writes. */
const SCRIPT = "printf '\\xff\\xfe\\x80abc'; printf '\\xc3'; sleep 0.2; printf '\\xa9'";
const EXPECTED = Buffer.from([0xff, 0xfe, 0x80, 0x61, 0x62, 0x63, 0xc3, 0xa9]);

function record(proc: ManagedProcess) {
  const bytes: Buffer[] = [];
  const text: string[] = [];
  proc.onBytes((chunk, stream) => stream === 'stdout' && bytes.push(chunk));
  proc.onOutput((chunk, stream) => stream === 'stdout' && text.push(chunk));
  return { bytes, text };
}

describe('core/exec: process output and input', function () {
  this.timeout(15_000);

  it('hands byte listeners exactly what a pipe process wrote, and text listeners the decoded text', async () => {
    const manager = new ProcessManager(silentLogger);
    const proc = manager.spawn({ argv: ['bash', '-c', SCRIPT], cwd: '/', env, tty: false, closedStdin: true });
    const seen = record(proc);
    await proc.exited;
    assert.deepEqual(Buffer.concat(seen.bytes), EXPECTED);
    assert.deepEqual(seen.bytes[seen.bytes.length - 1], Buffer.from([0xa9]), 'the lead byte is not held back');
    assert.equal(seen.text.join(''), '\ufffd\ufffd\ufffdabcé');
    assert.equal(proc.output.text(), '\ufffd\ufffd\ufffdabcé', 'retained output is the decoded text');
  });

  it('hands byte listeners exactly what a terminal process wrote', async function () {
    const manager = new ProcessManager(silentLogger);
    const proc = manager.spawn({ argv: ['bash', '-c', SCRIPT], cwd: '/', env: { ...env, TERM: 'dumb' }, tty: true });
    if (!proc.tty) this.skip(); // node-pty is not available here
    const seen = record(proc);
    await proc.exited;
    assert.deepEqual(Buffer.concat(seen.bytes), EXPECTED);
    assert.equal(seen.text.join(''), '\ufffd\ufffd\ufffdabcé');
  });

  it('writes bytes as given', async () => {
    const manager = new ProcessManager(silentLogger);
    const proc = manager.spawn({ argv: ['cat'], cwd: '/', env, tty: false });
    const seen = record(proc);
    assert.equal(proc.write(Buffer.from([0xff, 0xc3, 0x0a])), true);
    assert.equal(proc.write('é'), true, 'text still works');
    proc.closeStdin();
    await proc.exited;
    assert.deepEqual(Buffer.concat(seen.bytes), Buffer.from([0xff, 0xc3, 0x0a, 0xc3, 0xa9]));
  });

  it('starts a pipe process with stdin closed when asked: a reader sees end of input, writes are refused', async () => {
    const manager = new ProcessManager(silentLogger);
    const reader = manager.spawn({ argv: ['cat'], cwd: '/', env, tty: false, closedStdin: true });
    const exit = await Promise.race([reader.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 5_000))]);
    assert.deepEqual(exit, { exitCode: 0, signal: null });
    const sleeper = manager.spawn({ argv: ['sleep', '5'], cwd: '/', env, tty: false, closedStdin: true });
    assert.equal(sleeper.write('x'), false);
    sleeper.terminate();
    await sleeper.exited;
  });
});
