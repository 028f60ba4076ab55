// `kill -9` at set points of a turn, then a new server on the same home: what the thread says must be the
// truth about what happened — every tool call that started, every file change that reached the disk — and
// the next model request must carry them, so the model neither repeats nor forgets an edit.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textReply, toolCallReply, functionCallEvents, completed, patchOf } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import type { SpawnedServer, WireMessage } from '../support/protocolClient';
import { startThread } from '../support/session';

const INTERRUPTED = /interrupted: the result is unknown; check before repeating/;

describe('integration: a kill -9 mid-turn loses nothing that happened', function () {
  this.timeout(60_000);
  const fixture = new Fixture();
  beforeEach(() => fixture.start());
  afterEach(() => fixture.close());

  async function startTurn(server: SpawnedServer, threadId: string, text: string): Promise<string> {
    const response = await server.client.request('turn/start', { threadId, input: [{ type: 'text', text }] });
    return response.result.turn.id as string;
  }

  async function readTurns(server: SpawnedServer, threadId: string): Promise<Array<{ id: string; status: string; items: Array<Record<string, any>> }>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const read = await server.client.request('thread/read', { threadId, includeTurns: true });
    assert.equal(read.error, undefined, JSON.stringify(read.error));
    return read.result.thread.turns;
  }

  /** Resumes the thread and runs one more turn; returns the input of the model request it made. */
  async function nextRequestAfterResume(server: SpawnedServer, threadId: string): Promise<Array<Record<string, any>>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const resumed = await server.client.request('thread/resume', { threadId });
    assert.equal(resumed.error, undefined, JSON.stringify(resumed.error));
    fixture.model.enqueue(textReply('checked before repeating'));
    const before = fixture.model.requests.length;
    const turnId = await startTurn(server, threadId, 'go on');
    await server.client.waitFor((m: WireMessage) => m.method === 'turn/completed' && m.params.turn.id === turnId, 15_000);
    assert.equal(fixture.model.requests.length, before + 1);
    return fixture.model.requests.at(-1)!.body.input;
  }

  it('while streaming the first turn: the thread is listed, readable, and its turn reads as interrupted', async () => {
    const first = await fixture.spawn();
    fixture.model.enqueue(textReply('a long answer that never finishes', { chunks: 40, delayMs: 100 }));
    const threadId = await startThread(first.client, { cwd: fixture.temp.workspace });
    await startTurn(first, threadId, 'hello there');
    await first.client.waitFor((m) => m.method === 'item/agentMessage/delta');
    await fixture.kill(first);

    const second = await fixture.spawn();
    const listed = await second.client.request('thread/list', {});
    assert.ok(listed.result.data.some((t: { id: string; preview: string }) => t.id === threadId && t.preview === 'hello there'), 'a kill in the first turn leaves the thread listed');
    const turns = await readTurns(second, threadId);
    assert.deepEqual(turns.map((t) => t.status), ['interrupted']);
    assert.equal(turns[0]!.items[0]!.type, 'userMessage');
    const input = await nextRequestAfterResume(second, threadId);
    assert.ok(input.some((i) => i.type === 'message' && i.role === 'user' && JSON.stringify(i.content).includes('hello there')));
  });

  it('right after a command started: the call, its item and an honest output survive', async () => {
    const first = await fixture.spawn();
    const marker = path.join(fixture.temp.workspace, 'started.txt');
    fixture.model.enqueue(toolCallReply('exec_command', { cmd: `echo started > ${marker}; sleep 20`, yield_time_ms: 30_000 }, 'call-cmd'));
    const threadId = await startThread(first.client, { cwd: fixture.temp.workspace, approvalPolicy: 'never', sandbox: 'danger-full-access' });
    await startTurn(first, threadId, 'run the long thing');
    // The command ran (its side effect is on disk): the write-ahead record must be on disk too.
    await waitForFile(marker);
    await fixture.kill(first);

    const second = await fixture.spawn();
    const turns = await readTurns(second, threadId);
    assert.equal(turns[0]!.status, 'interrupted');
    const command = turns[0]!.items.find((i) => i.type === 'commandExecution');
    assert.ok(command, 'the command that started is in the thread');
    assert.equal(command.status, 'failed');
    assert.match(command.aggregatedOutput, /interrupted: Tandem stopped before this finished; the result is unknown/);
    assert.match(command.command, /echo started/);

    const input = await nextRequestAfterResume(second, threadId);
    const call = input.findIndex((i) => i.type === 'function_call' && i.call_id === 'call-cmd');
    const output = input.findIndex((i) => i.type === 'function_call_output' && i.call_id === 'call-cmd');
    assert.ok(call !== -1 && output > call, 'the call and its output are in the next request, in order');
    assert.match(input[output]!.output, INTERRUPTED);
    assert.equal(input.filter((i) => i.type === 'function_call_output' && i.call_id === 'call-cmd').length, 1, 'one output, no duplicate');

    // Read again after the resumed turn: the history and the turns read the same (nothing doubled).
    const third = await (async () => {
      await fixture.kill(second);
      return fixture.spawn();
    })();
    const again = await readTurns(third, threadId);
    assert.deepEqual(again.map((t) => t.status), ['interrupted', 'completed']);
  });

  it('right after apply_patch wrote: the file change is in the thread and in the next request', async () => {
    const first = await fixture.spawn();
    const slow = path.join(fixture.temp.workspace, 'slow.txt');
    // The patch, then a long command in the next response: the kill comes while the command runs.
    fixture.model.enqueue(
      toolCallReply('apply_patch', { input: patchOf('*** Add File: made.txt', '+made by the agent') }, 'call-patch'),
      { events: [{ type: 'response.created', response: {} }, ...functionCallEvents('exec_command', { cmd: `touch ${slow}; sleep 20`, yield_time_ms: 30_000 }, 'call-after'), completed()] },
    );
    const threadId = await startThread(first.client, { cwd: fixture.temp.workspace, approvalPolicy: 'never', sandbox: 'workspace-write' });
    await startTurn(first, threadId, 'make a file');
    await waitForFile(slow);
    await fixture.kill(first);
    assert.equal(fs.readFileSync(path.join(fixture.temp.workspace, 'made.txt'), 'utf8'), 'made by the agent\n');

    const second = await fixture.spawn();
    const turns = await readTurns(second, threadId);
    const change = turns[0]!.items.find((i) => i.type === 'fileChange');
    assert.ok(change, 'the file change is in the thread');
    assert.equal(change.status, 'completed');
    assert.match(JSON.stringify(change.changes), /made\.txt/);
    const command = turns[0]!.items.find((i) => i.type === 'commandExecution');
    assert.equal(command?.status, 'failed');

    const input = await nextRequestAfterResume(second, threadId);
    const patchOutput = input.find((i) => i.type === 'function_call_output' && i.call_id === 'call-patch');
    assert.match(String(patchOutput?.output), /made\.txt/, 'the model is told the patch was applied');
    const commandOutput = input.find((i) => i.type === 'function_call_output' && i.call_id === 'call-after');
    assert.match(String(commandOutput?.output), INTERRUPTED);
  });

  it('while waiting on an approval: the asked command is in the thread and was never run', async () => {
    const first = await fixture.spawn();
    const never = path.join(fixture.temp.workspace, 'never.txt');
    fixture.model.enqueue(toolCallReply('exec_command', { cmd: `touch ${never}` }, 'call-ask'));
    const threadId = await startThread(first.client, { cwd: fixture.temp.workspace, approvalPolicy: 'untrusted', sandbox: 'workspace-write' });
    await startTurn(first, threadId, 'touch it');
    await first.client.waitFor((m) => m.method === 'item/commandExecution/requestApproval');
    await fixture.kill(first);

    const second = await fixture.spawn();
    const turns = await readTurns(second, threadId);
    const command = turns[0]!.items.find((i) => i.type === 'commandExecution');
    assert.ok(command, 'the call that was waiting is in the thread');
    assert.equal(command.status, 'failed');
    assert.ok(!fs.existsSync(never));
    const input = await nextRequestAfterResume(second, threadId);
    assert.match(String(input.find((i) => i.type === 'function_call_output' && i.call_id === 'call-ask')?.output), INTERRUPTED);
  });
});

async function waitForFile(file: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} never appeared`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
