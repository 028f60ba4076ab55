import { strict as assert } from 'node:assert';
import type { Thread } from '../../../src/protocol';
import { ChatStore, failureText } from '../../../webview/store';
import type { ServerNotification } from '../../../src/protocol';

/** A notification as the host forwards it; tests give only the fields the store reads. */
const note = (method: string, params: Record<string, unknown>) => ({ method, params }) as ServerNotification;

const threadId = 'thr-1';
const turnId = 'turn-1';

function thread(overrides: Partial<Thread> = {}): Thread {
  return {
    id: threadId, sessionId: threadId, forkedFromId: null, parentThreadId: null, preview: '', ephemeral: false, model: 'm', modelProvider: 'p',
    reasoningEffort: null, createdAt: 0, updatedAt: 0, recencyAt: null, status: { type: 'idle' }, path: null, cwd: '/w', cliVersion: '0',
    originator: 'o', source: 'vscode', threadSource: null, agentNickname: null, agentRole: null, gitInfo: null, name: null, projectId: null, turns: [],
    environments: null, extra: null, attachedToThreadId: null, section: null, sectionEnteredAt: null, historyMode: 'legacy', canAcceptDirectInput: true, daybreakEnabled: null,
    ...overrides,
  };
}

const turn = (status: 'inProgress' | 'completed' | 'failed' | 'interrupted', error: null | { message: string } = null) => ({
  id: turnId, items: [], itemsView: 'notLoaded', status, error: error && { ...error, codexErrorInfo: null, additionalDetails: null }, startedAt: 1, completedAt: null, durationMs: null,
});

describe('webview/store', () => {
  it('reduces a streamed turn into items, coalescing deltas into the live text', () => {
    const store = new ChatStore();
    store.loadThread(thread());
    store.apply(note('turn/started', { threadId, turn: turn('inProgress') }));
    assert.equal(store.state.activeTurnId, turnId);
    store.apply(note('item/started', { threadId, turnId, item: { type: 'userMessage', id: 'u', clientId: null, content: [{ type: 'text', text: 'hi' }] } }));
    store.apply(note('item/started', { threadId, turnId, item: { type: 'agentMessage', id: 'a', text: '', phase: null } }));
    store.dirtyItems.clear();
    store.apply(note('item/agentMessage/delta', { threadId, turnId, itemId: 'a', delta: 'Hel' }));
    store.apply(note('item/agentMessage/delta', { threadId, turnId, itemId: 'a', delta: 'lo' }));
    assert.deepEqual([...store.dirtyItems], ['a']);
    const agent = store.state.turns[0]!.items[1]!;
    assert.equal(agent.type === 'agentMessage' && agent.text, 'Hello');
    store.apply(note('item/completed', { threadId, turnId, item: { type: 'agentMessage', id: 'a', text: 'Hello!', phase: null } }));
    assert.equal(store.state.turns[0]!.items.length, 2, 'completion replaces, never duplicates');
    store.apply(note('item/started', { threadId, turnId, item: { type: 'reasoning', id: 'r', summary: [], content: [] } }));
    store.apply(note('item/reasoning/summaryPartAdded', { threadId, turnId, itemId: 'r', summaryIndex: 0 }));
    store.apply(note('item/reasoning/summaryTextDelta', { threadId, turnId, itemId: 'r', summaryIndex: 0, delta: 'think' }));
    const reasoning = store.state.turns[0]!.items[2]!;
    assert.deepEqual(reasoning.type === 'reasoning' && reasoning.summary, ['think']);
    store.apply(note('turn/completed', { threadId, turn: turn('completed') }));
    assert.equal(store.state.activeTurnId, null);
    assert.equal(store.state.turns[0]!.status, 'completed');
    assert.equal(store.state.turns[0]!.items.length, 3, 'turn/completed carries no items and keeps ours');
  });

  it('ignores other threads and shows retry and failure banners', () => {
    const store = new ChatStore();
    store.loadThread(thread());
    assert.equal(store.apply(note('turn/started', { threadId: 'other', turn: turn('inProgress') })), false);
    assert.equal(store.state.turns.length, 0);
    store.apply(note('turn/started', { threadId, turn: turn('inProgress') }));
    store.apply(note('error', { threadId, turnId, willRetry: true, error: { message: 'server error. Retrying (1/3)…', codexErrorInfo: null, additionalDetails: null } }));
    assert.equal(store.state.banner?.kind, 'retrying');
    store.apply(note('turn/completed', { threadId, turn: turn('failed', { message: 'gave up' }) }));
    assert.deepEqual(store.state.banner, { kind: 'error', text: 'gave up' });
  });

  it('keeps a failed turn, with its error and request, after the next turn clears the banner', () => {
    const store = new ChatStore();
    store.loadThread(thread());
    store.apply(note('turn/started', { threadId, turn: turn('inProgress') }));
    store.apply(note('item/started', { threadId, turnId, item: { type: 'userMessage', id: 'u', clientId: null, content: [{ type: 'text', text: 'fix it' }] } }));
    store.apply(note('turn/completed', { threadId, turn: turn('failed', { message: 'gave up' }) }));
    store.apply(note('turn/started', { threadId, turn: { ...turn('inProgress'), id: 'turn-2' } }));
    assert.equal(store.state.banner, null);
    const failed = store.state.turns[0]!;
    assert.equal(failed.status, 'failed');
    assert.equal(failureText(failed), 'gave up');
    assert.equal(failureText({ error: null }), 'The turn failed.');
  });

  it('shows a steered message at once and puts the server\'s item in its place', () => {
    const store = new ChatStore();
    store.loadThread(thread());
    store.apply(note('turn/started', { threadId, turn: turn('inProgress') }));
    store.apply(note('item/started', { threadId, turnId, item: { type: 'agentMessage', id: 'a', text: '', phase: null } }));
    store.showSteered(turnId, 'c1', 'steer now');
    store.showSteered(turnId, 'c2', 'refused');
    store.dropSteered('c2');
    const shown = () => store.state.turns[0]!.items.map((i) => `${i.id}:${i.type === 'userMessage' ? i.content.map((c) => (c.type === 'text' ? c.text : '')).join('') : ''}`);
    assert.deepEqual(shown(), ['a:', 'pending:c1:steer now']);
    store.apply(note('item/started', { threadId, turnId, item: { type: 'userMessage', id: 'u2', clientId: 'c1', content: [{ type: 'text', text: 'steer now' }] } }));
    store.apply(note('item/completed', { threadId, turnId, item: { type: 'userMessage', id: 'u2', clientId: 'c1', content: [{ type: 'text', text: 'steer now' }] } }));
    assert.deepEqual(shown(), ['a:', 'u2:steer now']);
  });

  it('rebuilds from a thread read, rejoining a running turn', () => {
    const store = new ChatStore();
    store.loadThread(
      thread({
        status: { type: 'active', activeFlags: ['waitingOnApproval'] },
        turns: [{ ...turn('inProgress'), itemsView: 'full', items: [{ type: 'agentMessage', id: 'a', text: 'partial', phase: null }] }] as Thread['turns'],
      }),
    );
    assert.equal(store.state.activeTurnId, turnId);
    assert.equal(store.state.waitingOnApproval, true);
    store.apply(note('item/agentMessage/delta', { threadId, turnId, itemId: 'a', delta: ' and more' }));
    const item = store.state.turns[0]!.items[0]!;
    assert.equal(item.type === 'agentMessage' && item.text, 'partial and more');
  });

  it('keeps a warning about the shown thread as a row after the items so far, and others only as a banner', () => {
    const store = new ChatStore();
    store.loadThread(thread());
    store.apply(note('turn/started', { threadId, turn: turn('inProgress') }));
    const patch = { type: 'fileChange', id: 'p', status: 'inProgress', changes: [] };
    store.apply(note('item/started', { threadId, turnId, item: patch }));
    store.apply(note('item/completed', { threadId, turnId, item: { ...patch, status: 'declined' } }));
    store.structureChanged = false;
    assert.equal(store.apply(note('warning', { threadId, message: 'Not applied: the patch writes outside the workspace' })), true);
    assert.deepEqual(store.state.notices.get(turnId), [{ key: `${turnId}:notice:0`, afterItems: 1, text: 'Not applied: the patch writes outside the workspace' }]);
    assert.equal(store.structureChanged, true, 'a new row');
    assert.deepEqual(store.state.banner, { kind: 'warning', text: 'Not applied: the patch writes outside the workspace' });
    assert.equal(store.apply(note('warning', { threadId: 'other', message: 'not ours' })), false);
    store.apply(note('warning', { threadId: null, message: 'config: unknown key' }));
    assert.deepEqual(store.state.banner, { kind: 'warning', text: 'config: unknown key' }, 'a warning about no thread is a banner');
    assert.equal(store.state.notices.get(turnId)!.length, 1, 'and no row');
    store.apply(note('turn/completed', { threadId, turn: turn('completed') }));
    store.apply(note('warning', { threadId, message: 'after the turn' }));
    assert.equal(store.state.notices.get(turnId)!.length, 2, 'after the turn it goes with the last turn');
  });
  it('keeps the plan and usage that overtake the answer when a thread is opened, and nothing else', () => {
    const store = new ChatStore();
    store.expectThread(threadId);
    const plan = { threadId, turnId, explanation: null, plan: [{ step: 'edit', status: 'inProgress' }] };
    const tokenUsage = { total: { totalTokens: 9 }, last: { totalTokens: 9 }, modelContextWindow: 100 };
    store.apply(note('turn/plan/updated', plan));
    store.apply(note('thread/tokenUsage/updated', { threadId, turnId, tokenUsage }));
    store.apply(note('turn/plan/updated', { ...plan, threadId: 'another-thread' }));
    store.apply(note('item/agentMessage/delta', { threadId, turnId, itemId: 'a', delta: 'x' }));
    store.loadThread(thread({ turns: [{ ...turn('completed'), items: [] }] as Thread['turns'] }));
    assert.deepEqual(store.state.plans.get(turnId), { explanation: null, plan: plan.plan });
    assert.deepEqual(store.state.tokenUsage, tokenUsage);
    // Opened once: later notifications apply directly, and a second load does not replay the old ones.
    store.loadThread(thread());
    assert.equal(store.state.plans.size, 0);
  });
  it('counts what each turn changed from its diff, and keeps it when it comes back on resume', () => {
    const store = new ChatStore();
    store.expectThread(threadId);
    const diff = ['--- a.txt', '+++ a.txt', '@@ -1,2 +1,2 @@', ' same', '-old', '+new', '+more', '--- b.txt', '+++ b.txt', '@@ -0,0 +1 @@', '+b'].join('\n');
    store.apply(note('turn/diff/updated', { threadId, turnId, diff }));
    store.loadThread(thread({ turns: [{ ...turn('completed'), items: [] }] as Thread['turns'] }));
    assert.deepEqual(store.state.changes.get(turnId), { files: 2, added: 3, removed: 1 });
  });

  it('files a review turn, which starts under an id of its own, under its root: items and completion land there', () => {
    const store = new ChatStore();
    store.loadThread(thread());
    store.apply(note('item/completed', { threadId, turnId: 'review-1', item: { type: 'enteredReviewMode', id: 'e1', review: 'current changes' } }));
    store.apply(note('turn/started', { threadId, turn: { ...turn('inProgress'), id: 'sub-1', rootTurnId: 'review-1' } }));
    assert.equal(store.state.activeTurnId, 'review-1');
    store.apply(note('item/completed', { threadId, turnId: 'review-1', item: { type: 'exitedReviewMode', id: 'x1', review: 'Fine.' } }));
    store.apply(note('turn/completed', { threadId, turn: { ...turn('completed'), id: 'review-1', rootTurnId: 'review-1' } }));
    assert.equal(store.state.activeTurnId, null);
    assert.deepEqual(store.state.turns.map((t) => [t.id, t.items.map((i) => i.type)]), [['review-1', ['enteredReviewMode', 'exitedReviewMode']]]);
  });
});
