import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ThreadGoals } from '../../../../src/core/thread/threadGoals';

describe('core/thread: goals', () => {
  const threadId = '01a22e38-6562-7bc0-9140-ed83f88ef164';

  it('creates, updates, replaces and clears a goal with codex rules', () => {
    let now = 100;
    const goals = new ThreadGoals(() => now);
    assert.equal(goals.get(threadId), null);
    assert.throws(() => goals.set({ threadId, status: 'paused' }), /cannot update goal for thread .*: no goal exists/);
    const created = goals.set({ threadId, objective: '  Ship it  ', tokenBudget: 1000 });
    assert.deepEqual(created, { threadId, objective: 'Ship it', status: 'active', tokenBudget: 1000, tokensUsed: 0, timeUsedSeconds: 0, createdAt: 100, updatedAt: 100 });
    now = 105;
    assert.deepEqual(goals.set({ threadId, status: 'paused' }), { ...created, status: 'paused', updatedAt: 105 });
    // The same objective again keeps the status it has; null removes the budget.
    assert.deepEqual(goals.set({ threadId, objective: 'Ship it', tokenBudget: null }), { ...created, status: 'paused', tokenBudget: null, updatedAt: 105 });
    now = 110;
    goals.set({ threadId, tokenBudget: 7 });
    // A new objective replaces the goal: active unless told, the budget kept, the creation time kept.
    assert.deepEqual(goals.set({ threadId, objective: 'Other' }), { threadId, objective: 'Other', status: 'active', tokenBudget: 7, tokensUsed: 0, timeUsedSeconds: 0, createdAt: 100, updatedAt: 110 });
    assert.deepEqual(goals.get(threadId)?.objective, 'Other');
    assert.equal(goals.clear(threadId), true);
    assert.equal(goals.clear(threadId), false);
    assert.equal(goals.get(threadId), null);
  });

  it('refuses an empty or overlong objective and a budget that is not positive', () => {
    const goals = new ThreadGoals();
    assert.throws(() => goals.set({ threadId, objective: '   ' }), /goal objective must not be empty/);
    assert.throws(() => goals.set({ threadId, objective: 'x'.repeat(4001) }), /goal objective must be at most 4000 characters/);
    assert.throws(() => goals.set({ threadId, objective: 'ok', tokenBudget: 0 }), /goal budgets must be positive when provided/);
    assert.throws(() => goals.set({ threadId, objective: 'ok', tokenBudget: -5 }), /goal budgets must be positive when provided/);
    assert.equal(goals.get(threadId), null);
  });

  it('keeps goals in a file a new instance reads back; an unreadable file is moved aside, never overwritten', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-goals-'));
    const file = path.join(dir, 'thread_goals.json');
    const goals = new ThreadGoals(() => 7, file);
    goals.set({ threadId, objective: 'Ship it', status: 'paused' });
    await goals.save();
    assert.deepEqual(new ThreadGoals(undefined, file).get(threadId), { threadId, objective: 'Ship it', status: 'paused', tokenBudget: null, tokensUsed: 0, timeUsedSeconds: 0, createdAt: 7, updatedAt: 7 });
    goals.clear(threadId);
    await goals.save();
    assert.equal(new ThreadGoals(undefined, file).get(threadId), null);

    fs.writeFileSync(file, '{ "torn');
    const fresh = new ThreadGoals(undefined, file);
    assert.equal(fresh.get(threadId), null);
    assert.match(fresh.problem ?? '', /could not be read .* moved to .*unreadable-/);
    const aside = fs.readdirSync(dir).find((name) => name.startsWith('thread_goals.json.unreadable-'));
    assert.ok(aside, 'the unreadable file is kept');
    assert.equal(fs.readFileSync(path.join(dir, aside!), 'utf8'), '{ "torn');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
