// What a client does to a thread besides turns, as the codex TUI does it: `!cmd`, /stop, edit-previous-prompt
// (thread/revert), /delete, and raw items for the model.
import { strict as assert } from 'node:assert';
import { textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn, startThread } from '../support/session';

type Input = Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
const texts = (input: Input) => input.map((i) => JSON.stringify(i.content ?? i.output ?? ''));

describe('integration: thread actions besides turns', function () {
  this.timeout(40_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it('runs the user’s own command as a userShell item of a turn of its own, and the model sees what it printed', async () => {
    const { model, temp, server } = await fixture.boot();
    const threadId = await startThread(server.client, { cwd: temp.workspace, sandbox: 'read-only' });
    const answer = await server.client.request('thread/shellCommand', { threadId, command: 'echo "from the user" > made.txt && cat made.txt' });
    assert.deepEqual(answer.result, {});
    const done = await server.client.waitFor((m) => m.method === 'item/completed' && m.params.item.type === 'commandExecution');
    const item = done.params.item;
    assert.equal(item.source, 'userShell');
    assert.match(item.command, /^\/\S+sh -lc 'echo "from the user" > made.txt && cat made.txt'$/, 'the invocation, quoted as codex sends it');
    assert.equal(item.status, 'completed');
    assert.equal(item.exitCode, 0);
    assert.equal(item.aggregatedOutput, 'from the user\n', 'unsandboxed: it could write in a read-only thread');
    const completed = await server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === done.params.turnId);
    assert.equal(completed.params.turn.status, 'completed');

    model.enqueue(textReply('I see what you ran'));
    await runTurn(server.client, threadId, 'what did I run?');
    const shown = texts(model.requests.at(-1)!.body.input).find((t) => t.includes('<user_shell_command>'));
    assert.ok(shown, 'the command and its output reach the model');
    assert.match(shown, /from the user/);
    assert.match(shown, /Exit code: 0/);
  });

  it('rewinds the history from a turn on (edit-previous-prompt), durably, without touching files', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(textReply('one'), textReply('two'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, threadId, 'first question');
    const second = await runTurn(server.client, threadId, 'second question');
    const reverted = await server.client.request('thread/revert', { threadId, beforeTurnId: second.params.turn.id });
    assert.equal(reverted.error, undefined, JSON.stringify(reverted.error));
    assert.equal(reverted.result.thread.turns.length, 1);
    await server.client.waitFor((m) => m.method === 'thread/reverted' && m.params.threadId === threadId);

    const again = await fixture.restart();
    const read = await again.client.request('thread/read', { threadId, includeTurns: true });
    assert.equal(read.result.thread.turns.length, 1, 'the rewind is on disk');
    await again.client.request('thread/resume', { threadId });
    model.enqueue(textReply('three'));
    await runTurn(again.client, threadId, 'third question');
    const seen = texts(model.requests.at(-1)!.body.input).join('\n');
    assert.match(seen, /first question/);
    assert.doesNotMatch(seen, /second question/, 'the reverted turn left the model’s view');
    const refused = await again.client.request('thread/revert', { threadId, beforeTurnId: 'no-such-turn' });
    assert.match(refused.error!.message, /turn not found/);
  });

  it('adds raw items to the model’s history, and refuses what is not an item', async () => {
    const { model, temp, server } = await fixture.boot();
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const injected = await server.client.request('thread/inject_items', { threadId, items: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'an injected note' }] }] });
    assert.deepEqual(injected.result, {});
    const bad = await server.client.request('thread/inject_items', { threadId, items: [{ nonsense: true }] });
    assert.match(bad.error!.message, /items\[0\]/);
    model.enqueue(textReply('noted'));
    await runTurn(server.client, threadId, 'go');
    assert.ok(texts(model.requests.at(-1)!.body.input).some((t) => t.includes('an injected note')));
  });

  it('lists the processes a thread left running and stops them (/stop), and deletes a thread for good (/delete)', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(toolCallReply('exec_command', { cmd: 'sleep 30', yield_time_ms: 250 }, 'call-bg'), textReply('left it running'));
    const threadId = await startThread(server.client, { cwd: temp.workspace, approvalPolicy: 'never', sandbox: 'workspace-write' });
    await runTurn(server.client, threadId, 'start something long');
    const listed = await server.client.request('thread/backgroundTerminals/list', { threadId });
    assert.equal(listed.result.data.length, 1);
    assert.equal(listed.result.data[0].itemId, 'call-bg');
    const started = server.client.notifications('item/started').find((m) => m.params.item.id === 'call-bg')!;
    assert.equal(started.params.item.processId, listed.result.data[0].processId, 'the item names its process from item/started on');
    assert.match(listed.result.data[0].command, /sleep 30/);
    await server.client.request('thread/backgroundTerminals/clean', { threadId });
    await server.client.waitFor((m) => m.method === 'item/completed' && m.params.item.id === 'call-bg');
    const after = await server.client.request('thread/backgroundTerminals/list', { threadId });
    assert.deepEqual(after.result.data, []);

    const deleted = await server.client.request('thread/delete', { threadId });
    assert.deepEqual(deleted.result, {});
    await server.client.waitFor((m) => m.method === 'thread/deleted' && m.params.threadId === threadId);
    const read = await server.client.request('thread/read', { threadId });
    assert.match(read.error!.message, /thread not found/);
    const list = await server.client.request('thread/list', {});
    assert.ok(!list.result.data.some((t: { id: string }) => t.id === threadId));
  });

  it('applies thread/settings/update to the next turn, and runs /review as a turn that asks for findings', async () => {
    const { model, temp, server } = await fixture.boot();
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const updated = await server.client.request('thread/settings/update', { threadId, model: 'fake-model-b', effort: 'high', approvalPolicy: 'never' });
    assert.deepEqual(updated.result, {});
    model.enqueue(textReply('ok'));
    await runTurn(server.client, threadId, 'hello');
    const body = model.requests.at(-1)!.body;
    assert.equal(body.model, 'fake-model-b');
    assert.equal(body.reasoning?.effort, 'high');
    const refused = await server.client.request('thread/settings/update', { threadId, approvalPolicy: 'sometimes' });
    assert.equal(refused.error?.code, -32600);

    model.enqueue(textReply('No findings: the change is ready.'));
    const review = await server.client.request('review/start', { threadId, target: { type: 'baseBranch', branch: 'main' } });
    assert.equal(review.result.reviewThreadId, threadId);
    await server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === review.result.turn.id);
    assert.match(texts(model.requests.at(-1)!.body.input).join('\n'), /base branch 'main'/);
  });
});
