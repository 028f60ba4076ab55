// A client that drops while an approval is pending does not cancel the turn: the thread keeps waiting, the
// request goes again to the next client that resumes the thread, and the first answer wins. Over stdio the
// client's going away ends the server: the turn then ends interrupted, and says so, without running anything.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { connectWebSocket } from '../support/protocolClient';
import { startThread } from '../support/session';

const APPROVAL = 'item/commandExecution/requestApproval';

describe('integration: approvals outlive their client', function () {
  this.timeout(60_000);
  const fixture = new Fixture();
  let marker: string;

  beforeEach(async () => {
    await fixture.start();
    marker = path.join(fixture.temp.workspace, 'approved.txt');
    fixture.model.enqueue(toolCallReply('exec_command', { cmd: `touch ${marker}` }, 'call-ask'), textReply('done'));
  });
  afterEach(() => fixture.close());

  it('over websocket: the next client that resumes gets the same request, answers it, and the turn goes on', async () => {
    const { temp } = fixture;
    const server = await fixture.webSocket();
    const a = await connectWebSocket(server.url);
    await a.client.initialize('first_window');
    const threadId = await startThread(a.client, { cwd: temp.workspace, approvalPolicy: 'untrusted', sandbox: 'workspace-write' });
    await a.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'touch it' }] });
    const asked = await a.client.waitFor((m) => m.method === APPROVAL);
    a.ws.close();
    await new Promise((resolve) => setTimeout(resolve, 300));

    const b = await connectWebSocket(server.url);
    await b.client.initialize('second_window');
    const read = await b.client.request('thread/read', { threadId });
    assert.deepEqual(read.result.thread.status, { type: 'active', activeFlags: ['waitingOnApproval'] }, 'the turn still waits');
    assert.ok(!fs.existsSync(marker));
    await b.client.request('thread/resume', { threadId });
    const again = await b.client.waitFor((m) => m.method === APPROVAL);
    assert.equal(again.id, asked.id, 'the same request, under the same id');
    assert.equal(again.params.itemId, asked.params.itemId);
    b.client.send({ id: again.id, result: { decision: 'accept' } });
    const done = await b.client.waitFor((m) => m.method === 'turn/completed');
    assert.equal(done.params.turn.status, 'completed');
    assert.ok(fs.existsSync(marker), 'the approved command ran');
    b.ws.close();
  });

  it('in process: a client that closes leaves the approval to the next one, and the first answer wins', async () => {
    const { temp } = fixture;
    const server = fixture.inProcessServer();
    const first = await fixture.inProcess({ server, name: 'first' });
    const { thread } = (await first.client.request('thread/start', { cwd: temp.workspace, approvalPolicy: 'untrusted', sandbox: 'workspace-write' })) as { thread: { id: string } };
    await first.client.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'touch it' }] });
    const asked = await first.waitFor((m) => m.method === APPROVAL);
    await first.client.shutdown();

    const second = await fixture.inProcess({ server, name: 'second' });
    const third = await fixture.inProcess({ server, name: 'third' });
    await second.client.request('thread/resume', { threadId: thread.id });
    await third.client.request('thread/resume', { threadId: thread.id });
    const toSecond = await second.waitFor((m) => m.method === APPROVAL);
    const toThird = await third.waitFor((m) => m.method === APPROVAL);
    assert.equal(toSecond.id, asked.id);
    assert.equal(toThird.id, asked.id);
    third.respond(toThird, { decision: 'decline' });
    second.respond(toSecond, { decision: 'accept' });
    const completed = await second.waitFor((m) => m.method === 'turn/completed');
    assert.equal((completed.params as { turn: { status: string } }).turn.status, 'completed');
    assert.ok(!fs.existsSync(marker), 'the first answer (decline) won');
    await second.client.shutdown();
    await third.client.shutdown();
    await server.shutdown();
  });

  it('over stdio: the client leaving ends the server; the turn reads as interrupted and nothing ran', async () => {
    const { model, temp } = fixture;
    const first = await fixture.spawn({ name: 'stdio_client' });
    const threadId = await startThread(first.client, { cwd: temp.workspace, approvalPolicy: 'untrusted', sandbox: 'workspace-write' });
    await first.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'touch it' }] });
    await first.client.waitFor((m) => m.method === APPROVAL);
    assert.equal(await first.close(), 0, 'a clean exit');
    assert.ok(!fs.existsSync(marker));

    const second = await fixture.spawn({ name: 'stdio_client' });
    const read = await second.client.request('thread/read', { threadId, includeTurns: true });
    const [turn] = read.result.thread.turns;
    assert.equal(turn.status, 'interrupted');
    const command = turn.items.find((i: { type: string }) => i.type === 'commandExecution');
    assert.equal(command.status, 'declined');
    assert.match(command.aggregatedOutput, /not run: the turn was interrupted before the approval was answered/);
    model.enqueue(textReply('I will ask again'));
    await second.client.request('thread/resume', { threadId });
    await second.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'well?' }] });
    await second.client.waitFor((m) => m.method === 'turn/completed');
    const input = model.requests.at(-1)!.body.input as Array<{ type: string; call_id?: string; output?: string }>;
    assert.match(String(input.find((i) => i.type === 'function_call_output' && i.call_id === 'call-ask')?.output), /interrupted before the approval was answered/);
    assert.ok(!fs.existsSync(marker));
  });
});
