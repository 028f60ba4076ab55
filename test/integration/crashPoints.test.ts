// More places a crash or a stop can land: right after turn/start is answered, a SIGTERM while an approval
// waits, a patch whose files reached the disk before its end was recorded, and a parallel call that finished
// while the model still streamed. What the thread and the next model request say must be the truth.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PATCH_LANDED_OUTPUT } from '../../src/core/rollout/interrupted';
import { functionCallEvents, patchOf, textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import type { SpawnedServer, WireMessage } from '../support/protocolClient';
import { startThread } from '../support/session';

type Input = Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('integration: crash points around turn start, stops and parallel calls', function () {
  this.timeout(60_000);
  const fixture = new Fixture();
  beforeEach(() => fixture.start());
  afterEach(() => fixture.close());

  async function turn(server: SpawnedServer, threadId: string, text: string): Promise<WireMessage> {
    const response = await server.client.request('turn/start', { threadId, input: [{ type: 'text', text }] });
    assert.equal(response.error, undefined, JSON.stringify(response.error));
    return response;
  }

  async function nextInput(server: SpawnedServer, threadId: string): Promise<Input> {
    await server.client.request('thread/resume', { threadId });
    fixture.model.enqueue(textReply('ok'));
    const { result } = await turn(server, threadId, 'go on');
    await server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === result.turn.id, 15_000);
    return fixture.model.requests.at(-1)!.body.input;
  }

  const outputOf = (input: Input, callId: string) => input.find((i) => i.type.endsWith('_output') && i.call_id === callId)?.output as string | undefined;

  it('a kill right after turn/start is answered keeps the thread listed, its message, and the context the model needs', async () => {
    const first = await fixture.spawn();
    // Slow, so the kill lands before the reply ends (if the killed server even asked for it).
    fixture.model.enqueue(textReply('a reply that is cut off', { chunks: 10, delayMs: 100 }));
    const threadId = await startThread(first.client, { cwd: fixture.temp.workspace });
    await turn(first, threadId, 'the very first words');
    await fixture.kill(first);

    const second = await fixture.spawn();
    const listed = await second.client.request('thread/list', {});
    assert.ok(listed.result.data.some((t: { id: string; preview: string }) => t.id === threadId && t.preview === 'the very first words'));
    const read = await second.client.request('thread/read', { threadId, includeTurns: true });
    const [only] = read.result.thread.turns;
    assert.equal(only.status, 'interrupted');
    assert.deepEqual(only.items.map((i: { type: string }) => i.type), ['userMessage']);
    const input = await nextInput(second, threadId);
    const texts = input.map((i) => JSON.stringify(i.content ?? ''));
    const first_ = texts.findIndex((t) => t.includes('the very first words'));
    const context = texts.findIndex((t) => t.includes('<environment_context>'));
    assert.ok(first_ !== -1, 'the first message reaches the model');
    assert.ok(context !== -1, 'the thread still gets its context');
    assert.ok(texts.findIndex((t) => t.includes('go on')) > first_);
  });

  it('SIGTERM while an approval waits: the server stops in order and the command reads as never run', async () => {
    const first = await fixture.spawn();
    const never = path.join(fixture.temp.workspace, 'never.txt');
    fixture.model.enqueue(toolCallReply('exec_command', { cmd: `touch ${never}` }, 'call-term'));
    const threadId = await startThread(first.client, { cwd: fixture.temp.workspace, approvalPolicy: 'untrusted', sandbox: 'workspace-write' });
    await turn(first, threadId, 'touch it');
    await first.client.waitFor((m) => m.method === 'item/commandExecution/requestApproval');
    assert.equal(await fixture.kill(first, 'SIGTERM'), 0, 'a clean exit');

    const second = await fixture.spawn();
    const read = await second.client.request('thread/read', { threadId, includeTurns: true });
    const command = read.result.thread.turns[0].items.find((i: { type: string }) => i.type === 'commandExecution');
    assert.equal(command.id, 'call-term', 'a tool item carries its call id');
    assert.equal(command.status, 'declined');
    assert.match(command.aggregatedOutput, /not run: the turn was interrupted before the approval was answered/);
    assert.ok(!fs.existsSync(never));
  });

  it('a patch whose files reached the disk before its end was recorded reads as applied, and stays so', async () => {
    const first = await fixture.spawn();
    fixture.model.enqueue(toolCallReply('apply_patch', { input: patchOf('*** Add File: landed.txt', '+landed') }, 'call-landed'), textReply('done'));
    const threadId = await startThread(first.client, { cwd: fixture.temp.workspace, approvalPolicy: 'never', sandbox: 'workspace-write' });
    const { result } = await turn(first, threadId, 'write it');
    await first.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === result.turn.id);
    await first.close();
    // The rollout as a crash right after the write would leave it: the patch's end and all after it are gone.
    const file = (await (async () => (await fixture.spawn()).client.request('thread/read', { threadId }))()).result.thread.path as string;
    await fixture.kill();
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    const cut = lines.findIndex((l) => l.includes('"item_completed"') && l.includes('"fileChange"'));
    assert.ok(cut > 0, 'the patch completed once');
    fs.writeFileSync(file, lines.slice(0, cut).join('\n') + '\n');

    const second = await fixture.spawn();
    const change = async (server: SpawnedServer) =>
      (await server.client.request('thread/read', { threadId, includeTurns: true })).result.thread.turns[0].items.find((i: { type: string }) => i.type === 'fileChange');
    assert.equal((await change(second)).status, 'completed', 'the disk holds what it wrote');
    const input = await nextInput(second, threadId);
    assert.equal(outputOf(input, 'call-landed'), PATCH_LANDED_OUTPUT);
    await second.close();
    // The user edits the file later: the verdict was recorded, it does not flip.
    fs.writeFileSync(path.join(fixture.temp.workspace, 'landed.txt'), 'changed by hand\n');
    const third = await fixture.spawn();
    assert.equal((await change(third)).status, 'completed');
  });

  it('a parallel call that finished while the model streamed keeps its real output through a kill', async () => {
    const first = await fixture.spawn();
    const slow = path.join(fixture.temp.workspace, 'slow-started');
    fixture.model.enqueue({
      events: [
        { type: 'response.created', response: {} },
        ...functionCallEvents('exec_command', { cmd: 'echo fast-out' }, 'call-fast', { outputIndex: 0 }),
        ...functionCallEvents('exec_command', { cmd: `touch ${slow}; sleep 20`, yield_time_ms: 30_000 }, 'call-slow', { outputIndex: 1 }),
      ],
      // The model is still streaming: the calls' outputs cannot join the history yet.
      hang: true,
    });
    const threadId = await startThread(first.client, { cwd: fixture.temp.workspace, approvalPolicy: 'never', sandbox: 'workspace-write' });
    await turn(first, threadId, 'two at once');
    await first.client.waitFor((m) => m.method === 'item/completed' && m.params.item.id === 'call-fast');
    while (!fs.existsSync(slow)) await new Promise((resolve) => setTimeout(resolve, 20));
    // Give the early output's fsync a moment, as a user would take to notice the slow one.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await fixture.kill(first);

    const second = await fixture.spawn();
    const input = await nextInput(second, threadId);
    assert.match(String(outputOf(input, 'call-fast')), /fast-out/, 'the fast call keeps its real output');
    assert.match(String(outputOf(input, 'call-slow')), /interrupted: the result is unknown/);
  });
});
