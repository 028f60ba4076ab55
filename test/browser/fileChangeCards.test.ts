// The file-change card in headless Chromium, for changes to several files: per-file choice while it waits
// (the host's picker), a change accepted in part ("2 of 3 files applied", the rejected file listed as such),
// and a patch whose turn was stopped while it waited, which reads cancelled rather than declined.
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
const turn = (id: string) => ({ id, items: [], itemsView: 'notLoaded', status: 'inProgress', error: null, startedAt: 3, completedAt: null, durationMs: null });
const change = (file: string, type: 'add' | 'delete' | 'update') => ({ path: `/w/${file}`, kind: type === 'update' ? { type, move_path: null } : { type }, diff: type === 'update' ? '@@ -1 +1 @@\n-a\n+b\n' : 'x\n' });
const THREE = [change('src/a.ts', 'update'), change('new.md', 'add'), change('old.md', 'delete')];
type Posted = { kind: string; itemId?: string; decision?: string };

describe('browser: file-change cards for several files', function () {
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
  const hostPost = (data: unknown) => page.evaluate((d) => (window as unknown as { __hostPost(d: unknown): void }).__hostPost(d), data);
  const posted = () => page.evaluate(() => (window as unknown as { __posted: Posted[] }).__posted);
  const badge = () => page.locator('.card.file-change .card-meta .badge').textContent();

  it('offers Accept All, Choose Files… and Reject All while a change to several files waits', async () => {
    await push('turn/started', { threadId, turn: turn('t1') });
    await push('item/started', { threadId, turnId: 't1', item: { type: 'fileChange', id: 'f1', status: 'inProgress', changes: THREE } });
    await hostPost({ kind: 'approvals', pending: [{ itemId: 'f1', threadId, kind: 'patch' }] });
    await page.waitForSelector('.card.file-change .badge.waiting');
    assert.deepEqual(await page.$$eval('.card.file-change .card-actions button', (nodes) => nodes.map((n) => n.textContent)), ['Review in Diff Editor', 'Accept All', 'Choose Files…', 'Reject All']);
    await page.getByRole('button', { name: 'Choose which files of the change to accept' }).click();
    await page.getByRole('button', { name: 'Accept all 3 files of the change' }).click();
    await page.waitForFunction("window.__posted.some((m) => m.kind === 'decideChange')");
    const sent = (await posted()).filter((m) => m.kind === 'chooseChangeFiles' || m.kind === 'decideChange').map((m) => [m.kind, m.itemId, m.decision]);
    assert.deepEqual(sent, [['chooseChangeFiles', 'f1', undefined], ['decideChange', 'f1', 'accept']]);
  });

  it('keeps Accept and Reject for a change to one file', async () => {
    await push('turn/started', { threadId, turn: turn('t2') });
    await push('item/started', { threadId, turnId: 't2', item: { type: 'fileChange', id: 'f2', status: 'inProgress', changes: THREE.slice(0, 1) } });
    await hostPost({ kind: 'approvals', pending: [{ itemId: 'f2', threadId, kind: 'patch' }] });
    await page.waitForSelector('.card.file-change .badge.waiting');
    assert.deepEqual(await page.$$eval('.card.file-change .card-actions button', (nodes) => nodes.map((n) => n.textContent)), ['Review in Diff Editor', 'Accept', 'Reject']);
  });

  it('reads a change accepted in part as "2 of 3 files applied" and lists the rejected file as rejected', async () => {
    await push('turn/started', { threadId, turn: turn('t3') });
    await push('item/started', { threadId, turnId: 't3', item: { type: 'fileChange', id: 'f3', status: 'inProgress', changes: THREE } });
    await push('item/completed', { threadId, turnId: 't3', item: { type: 'fileChange', id: 'f3', status: 'completed', changes: THREE.slice(0, 2), tandemRejectedChanges: THREE.slice(2) } });
    await page.waitForSelector('.card.file-change .badge.ok');
    assert.equal(await badge(), '2 of 3 files applied');
    assert.equal(await page.textContent('.card.file-change .card-title'), '2 files changed');
    const files = await page.$$eval('.card.file-change details.file summary', (nodes) => nodes.map((n) => n.textContent));
    assert.deepEqual(files, ['M src/a.ts +1 -1', 'A new.md +1 -0', 'D old.md +0 -1 rejected']);
    assert.equal(await page.locator('.card.file-change details.file.rejected').count(), 1);
    assert.equal(await page.locator('.card.file-change button', { hasText: 'Open Diff' }).count(), 1);
  });

  it('reads a patch whose turn was stopped while it waited as cancelled, and one the user rejected as declined', async () => {
    await push('turn/started', { threadId, turn: turn('t4') });
    await push('item/started', { threadId, turnId: 't4', item: { type: 'fileChange', id: 'f4', status: 'inProgress', changes: THREE } });
    await push('item/completed', { threadId, turnId: 't4', item: { type: 'fileChange', id: 'f4', status: 'declined', changes: THREE } });
    await page.waitForSelector('.card.file-change .badge.declined');
    assert.equal(await badge(), 'declined', 'while the turn runs on, a declined patch was the user\'s rejection');
    await push('turn/completed', { threadId, turn: { ...turn('t4'), status: 'interrupted' } });
    await page.waitForFunction(() => document.querySelector('.card.file-change .card-meta .badge')?.textContent === 'cancelled');
    assert.equal(await page.locator('.card.file-change .badge.declined').count(), 1, 'styled as not applied');
  });

  it('keeps a patch the user rejected as declined when the turn is stopped later, after other items', async () => {
    await push('turn/started', { threadId, turn: turn('t5') });
    await push('item/started', { threadId, turnId: 't5', item: { type: 'fileChange', id: 'f5', status: 'inProgress', changes: THREE } });
    await push('item/completed', { threadId, turnId: 't5', item: { type: 'fileChange', id: 'f5', status: 'declined', changes: THREE } });
    await push('item/started', { threadId, turnId: 't5', item: { type: 'agentMessage', id: 'm5', text: 'Then I will ask first.', phase: null } });
    await push('turn/completed', { threadId, turn: { ...turn('t5'), status: 'interrupted' } });
    await page.waitForFunction(() => document.querySelector('.message.agent')?.textContent?.includes('ask first'));
    // The turn's end re-renders its declined patches; give that render a frame before reading the badge.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    assert.equal(await badge(), 'declined');
  });
});
