// A review turn in the chat, in headless Chromium: the turn as codex streams it (started under its own id,
// rooted at the review's), the "Reviewing …" marker, the findings card with links that the host opens at
// the file's line, and the Review Changes command running review/start in the shown thread.
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { chatBrowser, pushNotification } from '../support/chatBrowser';

const threadId = 't1';
const thread = {
  id: threadId, sessionId: threadId, forkedFromId: null, parentThreadId: null, preview: 'demo', ephemeral: false, model: 'm', modelProvider: 'p',
  reasoningEffort: null, createdAt: 0, updatedAt: 1_700_000_000, recencyAt: null, status: { type: 'idle' }, path: null, cwd: '/w', cliVersion: '0',
  originator: 'o', source: 'vscode', threadSource: null, agentNickname: null, agentRole: null, gitInfo: null, name: 'Demo thread', projectId: null,
  turns: [{ id: 'turn0', itemsView: 'full', status: 'completed', error: null, startedAt: 1, completedAt: 2, durationMs: 5, items: [{ type: 'userMessage', id: 'u0', clientId: null, content: [{ type: 'text', text: 'hello' }] }] }],
};
type Posted = { kind: string; method?: string; params?: Record<string, unknown>; path?: string; line?: number };

const rendered = [
  'The new line breaks the format.',
  'Full review comments:',
  '- [P1] Second line breaks parsing — /w/a.txt:2-2\n  a.txt must hold **one** line.',
  '- [P3] Elsewhere — /other/b.txt:4-9\n  Outside the workspace.',
].join('\n\n');

describe('browser: review turns and findings', function () {
  this.timeout(30_000);
  let page: Page;

  const chat = chatBrowser(thread);
  beforeEach(async () => {
    page = await chat.newPage();
    await page.goto(chat.url);
    await page.waitForSelector('.row');
  });
  afterEach(() => page?.close());

  const push = (method: string, params: unknown) => pushNotification(page, method, params);
  const posted = () => page.evaluate(() => (window as unknown as { __posted: Posted[] }).__posted);

  it('shows the review as a marker and a findings card, hides the raw answer, and opens a finding at its line', async () => {
    const inProgress = { items: [], itemsView: 'notLoaded', status: 'inProgress', error: null, startedAt: 3, completedAt: null, durationMs: null };
    const item = (type: string, extra: Record<string, unknown>) => ({ threadId, turnId: 'r1', item: { type, ...extra } });
    await push('item/completed', item('enteredReviewMode', { id: 'e1', review: 'current changes' }));
    await push('turn/started', { threadId, turn: { ...inProgress, id: 'sub-1', rootTurnId: 'r1' } });
    await push('item/completed', item('userMessage', { id: 'u1', clientId: null, content: [{ type: 'text', text: 'Review the uncommitted changes.' }] }));
    await push('item/started', item('agentMessage', { id: 'raw', text: '', phase: null }));
    await push('item/completed', item('exitedReviewMode', { id: 'x1', review: rendered }));
    await push('item/completed', item('agentMessage', { id: 'm1', text: rendered, phase: null }));
    await push('turn/completed', { threadId, turn: { ...inProgress, id: 'r1', rootTurnId: 'r1', status: 'completed', itemsView: 'summary' } });

    await page.waitForSelector('.card.review');
    assert.match((await page.textContent('.marker.review'))!, /Reviewing current changes/);
    assert.equal(await page.textContent('.card.review .card-title'), 'Review: 2 findings');
    assert.equal((await page.textContent('.card.review .review-summary'))!.trim(), 'The new line breaks the format.');
    assert.deepEqual(await page.$$eval('.review-finding-title', (nodes) => nodes.map((n) => n.textContent)), ['[P1] Second line breaks parsing', '[P3] Elsewhere']);
    assert.deepEqual(await page.$$eval('.review-location', (nodes) => nodes.map((n) => n.textContent)), ['a.txt:2', '/other/b.txt:4-9']);
    assert.equal(await page.textContent('.review-finding-body strong'), 'one');
    assert.equal(await page.$$eval('.message.agent', (nodes) => nodes.length), 0, 'neither the raw answer nor the repeated review is shown as a message');
    assert.equal(await page.$$eval('.row', (rows) => rows.filter((r) => r.textContent?.includes('Turn interrupted')).length), 0);

    await page.click('.review-location >> nth=1');
    await page.waitForFunction("window.__posted.some((m) => m.kind === 'openFile')");
    assert.deepEqual((await posted()).filter((m) => m.kind === 'openFile'), [{ kind: 'openFile', path: '/other/b.txt', line: 4 }]);
    // The turn completed under the review's id: nothing is left running.
    assert.equal(await page.isVisible('button.stop'), false);
  });

  it('shows plain-text review output as the card’s summary, with no findings', async () => {
    await push('turn/started', { threadId, turn: { id: 'r2', rootTurnId: 'r2', items: [], itemsView: 'notLoaded', status: 'inProgress', error: null, startedAt: 3, completedAt: null, durationMs: null } });
    await push('item/completed', { threadId, turnId: 'r2', item: { type: 'exitedReviewMode', id: 'x2', review: 'Looks fine to me.' } });
    await page.waitForSelector('.card.review');
    assert.equal(await page.textContent('.card.review .card-title'), 'Review: no findings');
    assert.equal((await page.textContent('.card.review .review-summary'))!.trim(), 'Looks fine to me.');
    assert.equal(await page.$('.review-findings'), null);
  });

  it('runs Review Changes from the host as review/start in the shown thread', async () => {
    await page.evaluate((d) => (window as unknown as { __hostPost(d: unknown): void }).__hostPost(d), { kind: 'review', target: { type: 'baseBranch', branch: 'main' } });
    await page.waitForFunction("window.__posted.some((m) => m.method === 'review/start')");
    const request = (await posted()).find((m) => m.method === 'review/start')!;
    assert.deepEqual(request.params, { threadId, target: { type: 'baseBranch', branch: 'main' } });
  });
});
