import { strict as assert } from 'node:assert';
import { ManagedProcess } from '../../../../src/core/exec/processManager';
import { forwardOutput, truncationMarker } from '../../../../src/core/exec/outputForwarding';

/** A process driven by the test: what it "writes" is fed with `receive`; pause/resume are recorded. */
function fakeProcess() {
  const flow: string[] = [];
  const proc = new ManagedProcess(1, undefined, false, 1024 * 1024, () => false, () => undefined, {
    closeStdin: () => undefined,
    resize: () => undefined,
    pause: () => flow.push('pause'),
    resume: () => flow.push('resume'),
  });
  return { proc, flow };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('forwardOutput: a command output for clients', () => {
  it('forwards up to the limit, then one marker, and nothing after it', () => {
    const { proc } = fakeProcess();
    const sent: string[] = [];
    forwardOutput(proc, (delta) => sent.push(delta), { limit: 10 });
    proc.receive(Buffer.from('abcdef'), 'stdout');
    proc.receive(Buffer.from('ghijkl'), 'stdout');
    proc.receive(Buffer.from('more and more'), 'stderr');
    assert.deepEqual(sent, ['abcdef', `ghij${truncationMarker(10)}`]);
    assert.match(sent[1]!, /output truncated/);
    assert.equal(proc.output.text(), 'abcdefghijklmore and more', 'what the model reads is not cut by the client limit');
  });

  it('never cuts a character in half at the limit', () => {
    const { proc } = fakeProcess();
    const sent: string[] = [];
    forwardOutput(proc, (delta) => sent.push(delta), { limit: 3 });
    proc.receive(Buffer.from('ab😀c'), 'stdout');
    assert.equal(sent[0], `ab${truncationMarker(3)}`);
  });

  it('stops reading the process while a client is behind and resumes once it caught up', async () => {
    const { proc, flow } = fakeProcess();
    let release!: () => void;
    let behind: Promise<void> | undefined = new Promise((resolve) => (release = resolve));
    forwardOutput(proc, () => undefined, { clientsBehind: () => behind });
    proc.receive(Buffer.from('one'), 'stdout');
    proc.receive(Buffer.from('two'), 'stdout');
    assert.deepEqual(flow, ['pause'], 'paused once however many deltas wait');
    behind = undefined;
    release();
    await tick();
    assert.deepEqual(flow, ['pause', 'resume']);
  });

  it('resumes reading when the turn stops, even if the client never catches up', async () => {
    const { proc, flow } = fakeProcess();
    const controller = new AbortController();
    forwardOutput(proc, () => undefined, { clientsBehind: () => new Promise<void>(() => undefined), signal: controller.signal });
    proc.receive(Buffer.from('x'), 'stdout');
    assert.deepEqual(flow, ['pause']);
    controller.abort();
    await tick();
    assert.deepEqual(flow, ['pause', 'resume']);
  });
});
