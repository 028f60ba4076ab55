// File checkpoints in the chat, in headless Chromium: each turn that changed files ends with a summary (files
// with +/−, binary marked, a click opens a file's diff, *Undo This Turn*), a limitation reads as a muted note,
// a restore is its own entry with *Undo Restore*, and each request offers to restore files, rewind the
// conversation, or both, from a small keyboard-reachable disclosure. The host does the restoring: the page
// only names what to restore, which these tests read from what it posts.
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { chatBrowser, pushNotification } from '../support/chatBrowser';

const threadId = 'cp-thread';
const request = (turnId: string, text: string, completedAt: number) => ({
  id: turnId, itemsView: 'full', status: 'completed', error: null, startedAt: completedAt - 5, completedAt, durationMs: 5000,
  items: [
    { type: 'userMessage', id: `${turnId}-u`, clientId: null, content: [{ type: 'text', text, text_elements: [] }] },
    { type: 'agentMessage', id: `${turnId}-a`, text: `Done: ${text}`, phase: null },
  ],
});
const thread = {
  id: threadId, sessionId: threadId, forkedFromId: null, parentThreadId: null, preview: 'demo', ephemeral: false, model: 'm', modelProvider: 'p',
  reasoningEffort: null, createdAt: 0, updatedAt: 1_700_000_000, recencyAt: null, status: { type: 'idle' }, path: null, cwd: '/w', cliVersion: '0',
  originator: 'o', source: 'vscode', threadSource: null, agentNickname: null, agentRole: null, gitInfo: null, name: 'Checkpoints', projectId: null,
  turns: [request('t1', 'Add a greeting', 10), request('t2', 'Explain the helper', 20), request('t3', 'Tidy the notes', 30), request('t4', 'What changed?', 40)],
};
const file = (path: string, status: string, additions: number, deletions: number, binary = false) => ({ path, oldPath: null, status, additions, deletions, binary });
const checkpoint = (turnId: string, createdAt: number, files: unknown[], extra: Record<string, unknown> = {}) => ({
  turnId, kind: 'turn', workspace: '/w', scope: 'workspace', limitation: null, files, skipped: [], restoredTurnId: null, finished: true, createdAt, ...extra,
});
const LIMITATION = 'This workspace is too large to snapshot: changes made by commands in this turn cannot be undone.';
const CHECKPOINTS = [
  checkpoint('t1', 6, [file('src/a.ts', 'modified', 3, 1), file('logo.png', 'added', 0, 0, true)]),
  // Between t2 and t3: a restore that undid t1.
  checkpoint('restore:t1:1', 25, [file('src/a.ts', 'modified', 1, 3), file('logo.png', 'deleted', 0, 0, true)], { kind: 'restore', restoredTurnId: 't1' }),
  checkpoint('t3', 26, [file('notes.md', 'deleted', 0, 2)], { scope: 'files', limitation: LIMITATION }),
];
type Posted = { kind: string; threadId?: string; turnId?: string; path?: string; files?: { turnId: string; includeLater: boolean }; rewindBeforeTurnId?: string };

describe('browser: file checkpoints in the chat', function () {
  this.timeout(30_000);
  let page: Page;
  const chat = chatBrowser(thread);
  async function open(checkpoints: unknown[] | null, restoreAnswer?: unknown): Promise<void> {
    page = await chat.newPage();
    await page.addInitScript(([list, answer]) => {
      Object.assign(window, { __checkpoints: list ?? undefined, __restoreAnswer: answer });
    }, [checkpoints, restoreAnswer ?? null] as const);
    await page.goto(chat.url);
    await page.waitForSelector('.message.user');
  }
  afterEach(() => page?.close());

  const posted = (kind: string) => page.evaluate((k) => (window as unknown as { __posted: Posted[] }).__posted.filter((m) => m.kind === k), kind);
  const rowTexts = () => page.$$eval('.rows > .row > article', (nodes) => nodes.map((n) => n.className.split(' ').slice(0, 2).join(' ')));

  it('ends each turn that changed files with its files, +/− and binary marked; a file opens its diff and Undo names the turn', async () => {
    await open(CHECKPOINTS);
    const card = page.locator('.card.checkpoint:not(.restore)').first();
    await card.waitFor();
    assert.equal((await card.locator('.card-title').innerText()).replace(/\s+/g, ' ').trim(), '2 files changed +3 −1 undone');
    const files = await card.locator('button.checkpoint-file').allInnerTexts();
    assert.deepEqual(files.map((f) => f.replace(/\s+/g, ' ').trim()), ['M src/a.ts +3 −1', 'A logo.png binary']);
    assert.equal(await card.locator('button.checkpoint-file').first().getAttribute('aria-label'), 'src/a.ts, modified, 3 lines added, 1 removed: open its diff');

    await card.getByRole('button', { name: 'logo.png, added, binary: open its diff' }).click();
    await page.waitForFunction("window.__posted.some((m) => m.kind === 'openCheckpointDiff')");
    assert.deepEqual(await posted('openCheckpointDiff'), [{ kind: 'openCheckpointDiff', threadId, turnId: 't1', path: 'logo.png' }]);

    await card.getByRole('button', { name: "Undo this turn's changes to files" }).click();
    await page.waitForFunction("window.__posted.some((m) => m.kind === 'restoreCheckpoint')");
    const [restore] = await posted('restoreCheckpoint');
    assert.deepEqual({ ...restore, id: undefined }, { kind: 'restoreCheckpoint', id: undefined, threadId, files: { turnId: 't1', includeLater: false } });
  });

  it('shows a limitation as a muted note, and a restore as its own entry with Undo Restore, where it happened', async () => {
    await open(CHECKPOINTS);
    await page.locator('.card.checkpoint.restore').waitFor();
    // t1's summary, t2, the restore (made after t2 ended), then t3 and its summary.
    const order = (await rowTexts()).filter((c) => c.startsWith('card checkpoint') || c === 'message user');
    assert.deepEqual(order, ['message user', 'card checkpoint', 'message user', 'card checkpoint', 'message user', 'card checkpoint', 'message user']);
    const restore = page.locator('.card.checkpoint.restore');
    assert.equal((await restore.locator('.card-title').innerText()).trim(), 'Files restored to before “Add a greeting”');
    assert.equal(await page.locator('.card.checkpoint.undone').count(), 1, 'the undone turn says so; the restore itself is not undone');
    const limited = page.locator('.card.checkpoint', { hasText: 'notes.md' });
    assert.equal(await limited.locator('.checkpoint-note[role="note"]').innerText(), LIMITATION);

    await restore.getByRole('button', { name: 'Undo the restore: put the files back as they were before it' }).click();
    await page.waitForFunction("window.__posted.some((m) => m.kind === 'restoreCheckpoint')");
    const [sent] = await posted('restoreCheckpoint');
    assert.deepEqual(sent!.files, { turnId: 'restore:t1:1', includeLater: false });
  });

  it('offers restore, rewind or both on each request, from the keyboard; file restore only when it or a later turn changed files', async () => {
    await open(CHECKPOINTS);
    await page.locator('.card.checkpoint').first().waitFor();
    const offers = async (turnId: string) => {
      await page.locator(`[data-item-id="${turnId}-u"]`).hover();
      await page.locator(`[data-item-id="${turnId}-u"] .message-actions > summary`).click();
      // The entries are built when the menu opens (its toggle event): read them once they are there.
      await page.locator(`[data-item-id="${turnId}-u"] .message-actions[open] button`).first().waitFor();
      const texts = await page.locator(`[data-item-id="${turnId}-u"] .message-actions[open] button`).evaluateAll((nodes) => nodes.map((n) => n.textContent));
      await page.keyboard.press('Escape');
      return texts;
    };
    assert.equal(await page.textContent('[data-item-id="t2-u"]'), 'Explain the helper', 'closed, the message reads as the message');
    assert.deepEqual(await offers('t2'), ['Restore Files to Here', 'Rewind Conversation to Here', 'Restore Files and Rewind'], 't3 after it changed files');
    assert.deepEqual(await offers('t4'), ['Rewind Conversation to Here'], 'nothing changed files from t4 on');

    // Keyboard: focus the message's toggle, open it with Enter, Tab to the third entry, Enter.
    const toggle = page.locator('[data-item-id="t2-u"] .message-actions > summary');
    assert.equal(await toggle.getAttribute('aria-label'), 'Restore files or rewind the conversation to this message');
    await toggle.focus();
    assert.equal(await toggle.evaluate((n) => getComputedStyle(n.parentElement!).opacity), '1', 'shown while it has the focus');
    await page.keyboard.press('Enter');
    await page.locator('[data-item-id="t2-u"] .message-actions[open]').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('[data-item-id="t2-u"] .message-actions:not([open])').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'SUMMARY', 'Escape closes it and gives the focus back');
    await page.keyboard.press('Enter');
    await page.locator('[data-item-id="t2-u"] .message-actions[open] button').first().waitFor();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Restore Files and Rewind');
    await page.keyboard.press('Enter');
    await page.waitForFunction("window.__posted.some((m) => m.kind === 'restoreCheckpoint')");
    const [sent] = await posted('restoreCheckpoint');
    assert.deepEqual([sent!.files, sent!.rewindBeforeTurnId], [{ turnId: 't3', includeLater: true }, 't2']);
    await page.locator('[data-item-id="t2-u"] .message-actions:not([open])').waitFor();
  });

  it('puts a rewound request back in the composer, and opens the thread again when the server says it was rewound', async () => {
    await open(CHECKPOINTS, { restored: false, rewound: true });
    await page.locator('.card.checkpoint').first().waitFor();
    await page.locator('[data-item-id="t4-u"]').hover();
    await page.locator('[data-item-id="t4-u"] .message-actions > summary').click();
    await page.getByRole('button', { name: 'Rewind the conversation to before this message' }).click();
    await page.waitForFunction(() => document.querySelector('textarea')?.value === 'What changed?');
    const [sent] = await posted('restoreCheckpoint');
    assert.deepEqual([sent!.files, sent!.rewindBeforeTurnId], [undefined, 't4']);
    const resumes = async () => (await posted('request')).filter((m) => (m as { method?: string }).method === 'thread/resume').length;
    const before = await resumes();
    await pushNotification(page, 'thread/reverted', { threadId });
    await page.waitForFunction((n) => (window as unknown as { __posted: Array<{ method?: string }> }).__posted.filter((m) => m.method === 'thread/resume').length > n, before);
  });

  it('reads the checkpoints again when a turn completes, and hides the way back while a turn runs', async () => {
    await open(CHECKPOINTS);
    await page.locator('.card.checkpoint').first().waitFor();
    await pushNotification(page, 'turn/started', { threadId, turn: { id: 't5', items: [], itemsView: 'notLoaded', status: 'inProgress', error: null, startedAt: 41, completedAt: null, durationMs: null } });
    await page.waitForFunction(() => document.querySelector('.messages')?.classList.contains('checkpoint-actions-off'));
    assert.equal(await page.locator('.checkpoint-actions:visible').count(), 0);
    assert.equal(await page.locator('.message-actions:visible').count(), 0);

    await page.evaluate(() => {
      const w = window as unknown as { __checkpoints: unknown[] };
      w.__checkpoints = [...w.__checkpoints, { turnId: 't5', kind: 'turn', workspace: '/w', scope: 'workspace', limitation: null, files: [{ path: 'b.txt', oldPath: 'a.txt', status: 'renamed', additions: 0, deletions: 0, binary: false }], skipped: [], restoredTurnId: null, finished: true, createdAt: 41 }];
    });
    await pushNotification(page, 'turn/completed', { threadId, turn: { id: 't5', items: [], itemsView: 'notLoaded', status: 'completed', error: null, startedAt: 41, completedAt: 45, durationMs: 4000 } });
    const renamed = page.locator('.card.checkpoint', { hasText: 'a.txt → b.txt' });
    await renamed.waitFor();
    assert.equal((await renamed.locator('button.checkpoint-file').innerText()).replace(/\s+/g, ' ').trim(), 'R a.txt → b.txt +0 −0');
    assert.equal(await page.locator('.checkpoint-actions:visible').count(), 4, 'back once the turn has ended');
  });

  it('keeps the turn\'s diff line when the server has no checkpoints', async () => {
    await open(null);
    await pushNotification(page, 'turn/diff/updated', { threadId, turnId: 't4', diff: '--- a/x\n+++ b/x\n@@\n-a\n+b\n' });
    await page.locator('.turn-changes').waitFor();
    assert.equal(await page.locator('.card.checkpoint').count(), 0);
    assert.equal(await page.locator('.message-actions button', { hasText: 'Restore Files to Here' }).count(), 0);
  });
});
