// A client that drops while an approval is pending does not cancel the turn: the thread keeps waiting, the
// request goes again to the next client that resumes the thread, and the first answer wins. Over stdio the
// client's going away ends the server: the turn then ends interrupted, and says so, without running anything.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { silentLogger } from '../../src/core/log';
import { createTandemServer } from '../../src/server/tandemServer';
import { startInProcess, type InProcessClient, type InProcessEvent } from '../../src/server/transports/inProcess';
import { FakeModelServer, textReply, toolCallReply } from '../support/fakeModel';
import { connectWebSocket, spawnStdioServer, spawnWebSocketServer } from '../support/protocolClient';
import { startThread } from '../support/session';
import { makeTempHome, type TempHome } from '../support/tempHome';

const APPROVAL = 'item/commandExecution/requestApproval';

describe('integration: approvals outlive their client', function () {
  this.timeout(60_000);
  let model: FakeModelServer;
  let temp: TempHome;
  let marker: string;

  beforeEach(async () => {
    model = await new FakeModelServer().start();
    temp = makeTempHome({ baseUrl: model.baseUrl });
    marker = path.join(temp.workspace, 'approved.txt');
    model.enqueue(toolCallReply('exec_command', { cmd: `touch ${marker}` }, 'call-ask'), textReply('done'));
  });
  afterEach(() => model.stop());

  it('over websocket: the next client that resumes gets the same request, answers it, and the turn goes on', async () => {
    const server = await spawnWebSocketServer([], temp.env);
    try {
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
    } finally {
      await server.stop();
    }
  });

  it('in process: a client that closes leaves the approval to the next one, and the first answer wins', async () => {
    const server = createTandemServer({ logger: silentLogger, home: temp.home, defaultCwd: temp.workspace });
    const open = (name: string) => startInProcess({ server, clientInfo: { name, title: null, version: '0' }, ownsServer: false });
    const first = await open('first');
    const { thread } = (await first.request('thread/start', { cwd: temp.workspace, approvalPolicy: 'untrusted', sandbox: 'workspace-write' })) as { thread: { id: string } };
    await first.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'touch it' }] });
    const asked = await nextRequest(first, APPROVAL);
    await first.shutdown();

    const second = await open('second');
    const third = await open('third');
    await second.request('thread/resume', { threadId: thread.id });
    await third.request('thread/resume', { threadId: thread.id });
    const toSecond = await nextRequest(second, APPROVAL);
    const toThird = await nextRequest(third, APPROVAL);
    assert.equal(toSecond.id, asked.id);
    assert.equal(toThird.id, asked.id);
    third.respondToServerRequest(toThird.id, { decision: 'decline' });
    second.respondToServerRequest(toSecond.id, { decision: 'accept' });
    const completed = await nextNotification(second, 'turn/completed');
    assert.equal((completed.params as { turn: { status: string } }).turn.status, 'completed');
    assert.ok(!fs.existsSync(marker), 'the first answer (decline) won');
    await second.shutdown();
    await third.shutdown();
    await server.shutdown();
  });

  it('over stdio: the client leaving ends the server; the turn reads as interrupted and nothing ran', async () => {
    const first = spawnStdioServer({ env: temp.env });
    await first.client.initialize('stdio_client');
    const threadId = await startThread(first.client, { cwd: temp.workspace, approvalPolicy: 'untrusted', sandbox: 'workspace-write' });
    await first.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'touch it' }] });
    await first.client.waitFor((m) => m.method === APPROVAL);
    assert.equal(await first.close(), 0, 'a clean exit');
    assert.ok(!fs.existsSync(marker));

    const second = spawnStdioServer({ env: temp.env });
    try {
      await second.client.initialize('stdio_client');
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
    } finally {
      await second.close();
    }
  });
});

async function nextRequest(client: InProcessClient, method: string): Promise<Extract<InProcessEvent, { kind: 'serverRequest' }>> {
  for (;;) {
    const event = await client.nextEvent();
    if (!event) throw new Error(`closed before ${method}`);
    if (event.kind === 'serverRequest' && event.method === method) return event;
  }
}

async function nextNotification(client: InProcessClient, method: string): Promise<Extract<InProcessEvent, { kind: 'notification' }>> {
  for (;;) {
    const event = await client.nextEvent();
    if (!event) throw new Error(`closed before ${method}`);
    if (event.kind === 'notification' && event.method === method) return event;
  }
}
