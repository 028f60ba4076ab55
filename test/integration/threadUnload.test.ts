import { strict as assert } from 'node:assert';
import { textReply, type FakeModelServer } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import type { SpawnedServer } from '../support/protocolClient';
import { runTurn, startThread } from '../support/session';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('integration: idle threads unload and come back', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  let model: FakeModelServer;
  let server: SpawnedServer;

  beforeEach(async () => {
    // 0.01 minutes = 600 ms of idleness.
    ({ model, server } = await fixture.boot({ extraConfig: 'thread_idle_unload_minutes = 0.01' }));
  });
  afterEach(() => fixture.close());

  async function loadedIds(): Promise<string[]> {
    return (await server.client.request('thread/loaded/list', {})).result.data as string[];
  }

  it('unloads a thread nobody watches once idle, and reloads it on demand with its history', async () => {
    const watched = await startThread(server.client);
    const idle = await startThread(server.client);
    model.enqueue(textReply('remember 7'), textReply('watched reply'));
    await runTurn(server.client, idle, 'remember the number 7');
    await runTurn(server.client, watched, 'hello');
    assert.deepEqual((await server.client.request('thread/unsubscribe', { threadId: idle })).result, { status: 'unsubscribed' });

    const closed = await server.client.waitFor((m) => m.method === 'thread/closed' && m.params.threadId === idle, 5_000);
    assert.ok(closed);
    const statusIndex = server.client.received.findIndex((m) => m.method === 'thread/status/changed' && m.params.threadId === idle && m.params.status.type === 'notLoaded');
    assert.ok(statusIndex !== -1 && statusIndex < server.client.received.indexOf(closed), 'notLoaded comes before thread/closed');
    assert.deepEqual(await loadedIds(), [watched], 'the watched thread stays loaded');

    const listed = await server.client.request('thread/list', {});
    const summary = (listed.result.data as Array<{ id: string; status: { type: string } }>).find((t) => t.id === idle)!;
    assert.deepEqual(summary.status, { type: 'notLoaded' });
    const read = await server.client.request('thread/read', { threadId: idle, includeTurns: true });
    assert.equal(read.result.thread.turns.length, 1, 'readable without loading');
    assert.ok(!(await loadedIds()).includes(idle));

    // A new turn brings it back, with everything the model saw before.
    model.enqueue(textReply('it was 7'));
    const turn = await runTurn(server.client, idle, 'which number?');
    assert.equal(turn.params.turn.status, 'completed');
    const input = JSON.stringify(model.requests.at(-1)!.body.input);
    assert.match(input, /remember the number 7/);
    assert.match(input, /remember 7/);
    assert.ok((await loadedIds()).includes(idle));
  });

  it('keeps a thread loaded while a turn runs, however long', async () => {
    const threadId = await startThread(server.client);
    await server.client.request('thread/unsubscribe', { threadId });
    model.enqueue(textReply('slow reply that takes a while', { chunks: 15, delayMs: 100 }));
    const started = await server.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'go slowly' }] });
    assert.equal(started.error, undefined);
    await sleep(1_200);
    assert.ok((await loadedIds()).includes(threadId), 'not unloaded mid-turn');
  });
});
