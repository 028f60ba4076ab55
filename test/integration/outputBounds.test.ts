// What a command that prints a lot costs a client that stops reading: the server's memory stays bounded
// (the output forwarded per item is capped with a marker; past the stdio backlog the command pauses).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn, startThread } from '../support/session';
import { MAX_FORWARDED_OUTPUT_CHARS } from '../../src/core/exec/outputForwarding';

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

describe('integration: output bounds for a slow client', function () {
  this.timeout(120_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it('a 150 MB command output to a stdio client that stops reading: capped deltas with a marker, bounded memory, nothing lost at the end', async () => {
    const { model, temp, server } = await fixture.boot({ entry: 'dist', extraConfig: 'approval_policy = "never"\nsandbox_mode = "danger-full-access"' });
    const cmd = `head -c 157286400 /dev/zero | tr '\\0' a; echo; echo LAST-LINE`;
    model.enqueue(toolCallReply('exec_command', { cmd, yield_time_ms: 120_000 }, 'c1'), textReply('printed'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    server.child.stdout.pause();
    const done = runTurn(server.client, threadId, 'print a lot', 110_000);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(server.child.pid!))), 50);
    // Stalled for as long as the command needs to print it all (about a second here).
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    server.child.stdout.resume();
    const completed = await done;
    clearInterval(sampler);
    assert.equal(completed.params.turn.status, 'completed');
    const deltas = server.client.notifications('item/commandExecution/outputDelta').map((m) => m.params.delta as string).join('');
    assert.ok(deltas.length <= MAX_FORWARDED_OUTPUT_CHARS + 200, `forwarded ${deltas.length} characters`);
    assert.match(deltas, /\[output truncated: only the first 1024 KiB are shown while the command runs/);
    const item = server.client.notifications('item/completed').find((m) => m.params.item.type === 'commandExecution')!.params.item;
    assert.match(item.aggregatedOutput, /LAST-LINE/, 'the end is in the completed item');
    assert.match(fixture.model.outputFor('c1'), /LAST-LINE/, 'and the model reads it');
    if (process.env.SHOW_PEAK) console.log(`peak RSS ${peak.toFixed(0)} MiB`);
    assert.ok(peak < 300, `peak RSS ${peak.toFixed(0)} MiB (codex 0.169: about 310 MiB)`);
  });
});
