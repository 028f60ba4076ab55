// thread/goal/get|set|clear over a spawned server: answers, errors and the notifications that follow them.
import { strict as assert } from 'node:assert';
import { Fixture } from '../support/fixture';
import type { WireMessage } from '../support/protocolClient';
import { textReply } from '../support/fakeModel';
import { runTurn, startThread } from '../support/session';

const goalEvents = (received: WireMessage[]) => received.filter((m) => m.method?.startsWith('thread/goal/')).map((m) => [m.method, m.params]);

describe('integration: thread goals', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  beforeEach(() => fixture.start());
  afterEach(() => fixture.close());

  it('sets, updates, reads and clears a goal, announcing each change after its answer', async () => {
    const { client } = await fixture.spawn();
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    assert.deepEqual((await client.request('thread/goal/get', { threadId })).result, { goal: null });
    assert.deepEqual((await client.request('thread/goal/clear', { threadId })).result, { cleared: false });

    const set = await client.request('thread/goal/set', { threadId, objective: ' Ship it ', tokenBudget: 1000, status: 'paused' });
    const goal = set.result.goal;
    assert.deepEqual({ ...goal, createdAt: 0, updatedAt: 0 }, { threadId, objective: 'Ship it', status: 'paused', tokenBudget: 1000, tokensUsed: 0, timeUsedSeconds: 0, createdAt: 0, updatedAt: 0 });
    const updated = await client.waitFor((m) => m.method === 'thread/goal/updated');
    assert.ok(client.received.indexOf(set) < client.received.indexOf(updated), 'the answer comes first');
    assert.deepEqual(updated.params, { threadId, turnId: null, goal });

    const blocked = await client.request('thread/goal/set', { threadId, status: 'blocked', tokenBudget: null });
    assert.equal(blocked.result.goal.status, 'blocked');
    assert.equal(blocked.result.goal.tokenBudget, null);
    assert.deepEqual((await client.request('thread/goal/get', { threadId })).result, { goal: blocked.result.goal });
    assert.deepEqual((await client.request('thread/goal/clear', { threadId })).result, { cleared: true });
    await client.waitFor((m) => m.method === 'thread/goal/cleared');
    assert.deepEqual(
      goalEvents(client.received).map(([method]) => method),
      ['thread/goal/updated', 'thread/goal/updated', 'thread/goal/cleared'],
    );
    assert.deepEqual(goalEvents(client.received).at(-1), ['thread/goal/cleared', { threadId }]);
  });

  it('refuses what codex refuses, and sets a goal on a stored thread that is not loaded', async () => {
    let { client } = await fixture.spawn();
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['thread/goal/set', { threadId, status: 'paused' }, `cannot update goal for thread ${threadId}: no goal exists`],
      ['thread/goal/set', { threadId, objective: '  ' }, 'goal objective must not be empty'],
      ['thread/goal/set', { threadId, objective: 'x'.repeat(4001) }, 'goal objective must be at most 4000 characters'],
      ['thread/goal/set', { threadId, objective: 'ok', tokenBudget: 0 }, 'goal budgets must be positive when provided'],
      ['thread/goal/get', { threadId: '00000000-0000-0000-0000-000000000000' }, 'thread not found: 00000000-0000-0000-0000-000000000000'],
    ];
    for (const [method, params, message] of cases) {
      const response = await client.request(method, params);
      assert.deepEqual(response.error, { code: -32600, message }, method);
    }
    const ephemeral = await startThread(client, { ephemeral: true });
    const refused = await client.request('thread/goal/set', { threadId: ephemeral, objective: 'x' });
    assert.deepEqual(refused.error, { code: -32600, message: `ephemeral thread does not support goals: ${ephemeral}` });
    assert.deepEqual(goalEvents(client.received), []);

    // A thread is stored once it has had a turn (as in codex, one that never had a turn leaves nothing behind).
    fixture.model.enqueue(textReply('ok'));
    await runTurn(client, threadId, 'hello');
    // A new server has not loaded the thread: the goal is set on the stored thread, and nobody is subscribed.
    ({ client } = await fixture.restart());
    const set = await client.request('thread/goal/set', { threadId, objective: 'later' });
    assert.equal(set.result.goal.status, 'active');
    assert.deepEqual((await client.waitFor((m) => m.method === 'thread/goal/updated')).params.goal, set.result.goal);
    assert.deepEqual((await client.request('thread/goal/get', { threadId })).result, { goal: set.result.goal });
  });
});
