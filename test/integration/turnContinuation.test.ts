// A turn running when its host stops for a restart (the extension host reloads with the window) carries on
// in the next server: the rollout leaves it unfinished, and loading the thread continues it once.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';

describe('integration: turns continue across a host restart', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  beforeEach(() => fixture.start());
  afterEach(() => fixture.close());

  async function cutOffTurn(continueUnfinishedTurns: boolean): Promise<{ threadId: string; turnId: string }> {
    fixture.model.enqueue(textReply('a slow answer that will be cut off', { chunks: 20, delayMs: 100 }));
    const first = await fixture.inProcess({ continueUnfinishedTurns });
    const { thread } = (await first.client.request('thread/start', {})) as { thread: { id: string } };
    const { turn } = (await first.client.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'answer slowly' }] })) as { turn: { id: string } };
    await first.waitFor((m) => m.method === 'item/agentMessage/delta');
    await first.client.shutdown();
    return { threadId: thread.id, turnId: turn.id };
  }

  it('continues the cut-off turn under the same id when the thread is resumed, and only once', async () => {
    const { model } = fixture;
    const { threadId, turnId } = await cutOffTurn(true);
    assert.equal(model.requests.length, 1);

    model.enqueue(textReply('the full answer, after the restart'));
    const second = await fixture.inProcess({ continueUnfinishedTurns: true });
    const resumed = (await second.client.request('thread/resume', { threadId })) as { thread: { status: { type: string }; turns: Array<{ id: string; status: string; items: Array<{ type: string }> }> } };
    const last = resumed.thread.turns.at(-1)!;
    assert.equal(last.id, turnId);
    assert.equal(last.status, 'inProgress', 'the client rejoins a running turn');
    assert.deepEqual(last.items.map((i) => i.type), ['userMessage'], 'it keeps what had finished');
    const completed = await second.waitFor((m) => m.method === 'turn/completed');
    assert.equal(completed.params.turn.id, turnId);
    assert.equal(completed.params.turn.status, 'completed');
    const input = JSON.stringify(model.requests[1]!.body.input);
    assert.match(input, /answer slowly/, 'the model is asked again from the recorded history');
    assert.doesNotMatch(input, /turn_aborted/, 'the cut-off is not presented as an interrupt');
    const read = (await second.client.request('thread/read', { threadId, includeTurns: true })) as { thread: { turns: Array<{ id: string; items: Array<{ type: string; text?: string }> }> } };
    assert.equal(read.thread.turns.length, 1, 'one turn, not two');
    assert.deepEqual(read.thread.turns[0]!.items.map((i) => i.text ?? i.type), ['userMessage', 'the full answer, after the restart']);
    await second.client.shutdown();

    // Loaded again, the finished turn stays finished.
    const third = await fixture.inProcess({ continueUnfinishedTurns: true });
    const again = (await third.client.request('thread/resume', { threadId })) as { thread: { turns: Array<{ status: string }> } };
    assert.deepEqual(again.thread.turns.map((t) => t.status), ['completed']);
    assert.equal(model.requests.length, 2);
    await third.client.shutdown();
  });

  it('answers a tool call the restart cut off before asking the model again', async () => {
    const { model } = fixture;
    const { workspace } = fixture.temp;
    fs.mkdirSync(workspace, { recursive: true });
    // The command waits for an approval nobody gives, so its call is recorded without an output.
    model.enqueue(toolCallReply('exec_command', { cmd: 'touch made.txt', workdir: workspace }, 'call-cut'));
    const first = await fixture.inProcess({ continueUnfinishedTurns: true });
    const { thread } = (await first.client.request('thread/start', { approvalPolicy: 'untrusted', sandbox: 'danger-full-access' })) as { thread: { id: string } };
    await first.client.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'run the thing' }] });
    await first.waitFor((m) => m.method === 'thread/status/changed' && m.params.status.activeFlags?.includes('waitingOnApproval'));
    await first.client.shutdown();
    assert.ok(!fs.existsSync(`${workspace}/made.txt`));

    model.enqueue(textReply('it was cut off; I will check first'));
    const second = await fixture.inProcess({ continueUnfinishedTurns: true });
    await second.client.request('thread/resume', { threadId: thread.id });
    await second.waitFor((m) => m.method === 'turn/completed');
    const input = model.requests.at(-1)!.body.input as Array<{ type: string; call_id?: string; output?: string }>;
    const output = input.find((i) => i.type === 'function_call_output' && i.call_id === 'call-cut');
    assert.match(String(output?.output), /interrupted: the result is unknown; check before repeating/);
    await second.client.shutdown();
  });

  it('reads a cut-off turn as interrupted when continuation is off (the CLI, as codex does)', async () => {
    const { model } = fixture;
    const { threadId } = await cutOffTurn(false);
    const second = await fixture.inProcess({ continueUnfinishedTurns: false });
    const resumed = (await second.client.request('thread/resume', { threadId })) as { thread: { turns: Array<{ status: string }> } };
    assert.deepEqual(resumed.thread.turns.map((t) => t.status), ['interrupted']);
    assert.equal(model.requests.length, 1, 'nothing is asked again');
    await second.client.shutdown();
  });
});
