// thread/resume's experimental sources (a rollout path, given history) and its first page of turns;
// resume and fork of a thread that never had a turn; thread/list's page bound.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { writeRollout } from '../support/rollouts';
import { runTurn, startThread } from '../support/session';

const EXPERIMENTAL = { experimentalApi: true };
const OTHER_ID = '01a20000-0000-7000-8000-000000000001';

describe('integration: history details', function () {
  this.timeout(60_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it('resumes by rollout path whatever the id says, and refuses a missing or stale path', async () => {
    const { model, temp } = await fixture.boot({ capabilities: EXPERIMENTAL });
    let { client } = fixture.server;
    const started = await client.request('thread/start', { cwd: temp.workspace });
    const threadId = started.result.thread.id;
    const file = started.result.thread.path;
    model.enqueue(textReply('one'));
    await runTurn(client, threadId, 'first');
    const stale = await client.request('thread/resume', { threadId, path: '/tmp/nope.jsonl' });
    assert.deepEqual(stale.error, { code: -32600, message: `cannot resume running thread ${threadId} with stale path: requested \`/tmp/nope.jsonl\`, active \`${file}\`` });
    assert.equal((await client.request('thread/resume', { threadId, path: file })).error, undefined);

    client = (await fixture.restart({ capabilities: EXPERIMENTAL })).client;
    const byPath = await client.request('thread/resume', { threadId: OTHER_ID, path: path.relative(temp.home, file) });
    assert.equal(byPath.result.thread.id, threadId);
    assert.equal(byPath.result.thread.turns.length, 1);
    const missing = await client.request('thread/resume', { threadId: OTHER_ID, path: 'nope.jsonl' });
    assert.deepEqual(missing.error, { code: -32600, message: `failed to resolve rollout path \`${path.join(temp.home, 'nope.jsonl')}\`: file does not exist` });
  });

  it('starts a new thread from given history, which the model then sees', async () => {
    const { model, temp } = await fixture.boot({ capabilities: EXPERIMENTAL });
    const { client } = fixture.server;
    const history = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'remember 42' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'ok 42' }] },
    ];
    const resumed = await client.request('thread/resume', { threadId: OTHER_ID, history, cwd: temp.workspace });
    const threadId = resumed.result.thread.id;
    assert.notEqual(threadId, OTHER_ID, 'a new thread');
    assert.deepEqual(resumed.result.thread.turns, []);
    model.enqueue(textReply('42'));
    await runTurn(client, threadId, 'what number?');
    const texts = (model.requests.at(-1)!.body.input as Array<{ content?: Array<{ text?: string }> }>).map((i) => i.content?.[0]?.text ?? '');
    assert.ok(texts.indexOf('remember 42') < texts.indexOf('ok 42') && texts.indexOf('ok 42') < texts.indexOf('what number?'));
    assert.deepEqual((await client.request('thread/resume', { threadId: OTHER_ID, history: [] })).error, { code: -32600, message: 'history must not be empty' });
    assert.deepEqual((await client.request('thread/resume', { threadId, history })).error, { code: -32600, message: `cannot resume thread ${threadId} with history while it is already running` });
  });

  it('returns the first page of turns asked for, as thread/turns/list would', async () => {
    const { model, temp } = await fixture.boot({ capabilities: EXPERIMENTAL });
    const { client } = fixture.server;
    const threadId = await startThread(client, { cwd: temp.workspace });
    for (const text of ['one', 'two', 'three']) {
      model.enqueue(textReply(text));
      await runTurn(client, threadId, text);
    }
    const turns = (await client.request('thread/read', { threadId, includeTurns: true })).result.thread.turns.map((t: { id: string }) => t.id);
    const desc = await client.request('thread/resume', { threadId, initialTurnsPage: { limit: 2 }, excludeTurns: true });
    assert.deepEqual(desc.result.thread.turns, []);
    const page = desc.result.initialTurnsPage;
    assert.deepEqual(page.data.map((t: { id: string }) => t.id), [turns[2], turns[1]]);
    const next = await client.request('thread/turns/list', { threadId, cursor: page.nextCursor, limit: 2 });
    assert.deepEqual(next.result.data.map((t: { id: string }) => t.id), [turns[0]]);
    const asc = await client.request('thread/resume', { threadId, initialTurnsPage: { sortDirection: 'asc', itemsView: 'notLoaded' } });
    assert.deepEqual(asc.result.initialTurnsPage.data.map((t: { id: string; items: unknown[] }) => [t.id, t.items.length]), turns.map((id: string) => [id, 0]));
    assert.equal((await client.request('thread/resume', { threadId })).result.initialTurnsPage, null);
  });

  it('needs experimentalApi for history, path and initialTurnsPage', async () => {
    const { temp } = await fixture.boot();
    const { client } = fixture.server;
    const threadId = await startThread(client, { cwd: temp.workspace });
    for (const [field, value] of [['history', [{ type: 'message', role: 'user', content: [] }]], ['path', 'x.jsonl'], ['initialTurnsPage', {}]] as const) {
      const refused = await client.request('thread/resume', { threadId, [field]: value });
      assert.deepEqual(refused.error, { code: -32600, message: `thread/resume.${field} requires experimentalApi capability` });
    }
  });

  it('finds no rollout to resume or fork for a thread that never had a turn, loaded or not', async () => {
    const { temp } = await fixture.boot();
    let { client } = fixture.server;
    const threadId = await startThread(client, { cwd: temp.workspace });
    const noRollout = { code: -32600, message: `no rollout found for thread id ${threadId}` };
    assert.deepEqual((await client.request('thread/resume', { threadId })).error, noRollout);
    assert.deepEqual((await client.request('thread/fork', { threadId })).error, noRollout);
    client = (await fixture.restart()).client;
    assert.deepEqual((await client.request('thread/resume', { threadId })).error, noRollout);
    assert.deepEqual((await client.request('thread/fork', { threadId })).error, noRollout);
  });

  it('serves 1 to 100 threads a page, whatever the limit asked', async () => {
    const { temp } = await fixture.boot();
    const { client } = fixture.server;
    for (let i = 0; i < 105; i++) await writeRollout(temp.home, { createdAt: new Date(Date.UTC(2025, 0, 1, 0, i)), preview: `t${i}`, provider: 'fake', cwd: temp.workspace });
    const most = await client.request('thread/list', { limit: 1000 });
    assert.equal(most.result.data.length, 100);
    assert.ok(most.result.nextCursor);
    assert.equal((await client.request('thread/list', { limit: 0 })).result.data.length, 1);
    assert.equal((await client.request('thread/list', {})).result.data.length, 25);
  });
});
