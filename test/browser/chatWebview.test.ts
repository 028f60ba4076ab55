// The built chat webview in headless Chromium (Debian's), fed by the harness: it rebuilds a thread,
// sends with Enter, renders streamed deltas, shows the stop button and banners, and escapes text.
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { chatBrowser, pushNotification } from '../support/chatBrowser';

const threadId = 't1';
const baseThread = {
  id: threadId, sessionId: threadId, forkedFromId: null, parentThreadId: null, preview: '', ephemeral: false, model: 'm', modelProvider: 'p',
  reasoningEffort: null, createdAt: 0, updatedAt: 0, recencyAt: null, status: { type: 'idle' }, path: null, cwd: '/w', cliVersion: '0',
  originator: 'o', source: 'vscode', threadSource: null, agentNickname: null, agentRole: null, gitInfo: null, name: 'Demo thread', projectId: null,
  turns: [
    {
      id: 'turn0', itemsView: 'full', status: 'completed', error: null, startedAt: 1, completedAt: 2, durationMs: 5,
      items: [
        { type: 'userMessage', id: 'u0', clientId: null, content: [{ type: 'text', text: 'first question' }] },
        { type: 'agentMessage', id: 'a0', text: '<img src=x onerror="window.__pwned=1"> first answer', phase: null },
      ],
    },
  ],
};

describe('browser: chat webview', function () {
  this.timeout(30_000);
  let page: Page;

  const chat = chatBrowser(baseThread);
  beforeEach(async () => {
    page = await chat.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(chat.url);
    await page.waitForSelector('.message.agent');
    assert.deepEqual(errors, []);
  });
  afterEach(() => page.close());

  const push = (method: string, params: unknown) => pushNotification(page, method, params);
  const posted = () => page.evaluate(() => (window as unknown as { __posted: Array<{ kind: string; method?: string; params?: unknown }> }).__posted);

  it('rebuilds the thread from thread/resume and shows text, never markup', async () => {
    assert.equal(await page.textContent('.thread-title'), 'Demo thread');
    assert.deepEqual(await page.$$eval('.message', (nodes) => nodes.map((n) => n.textContent?.trim())), ['first question', '<img src=x onerror="window.__pwned=1"> first answer']);
    assert.equal(await page.$('.message img'), null);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.deepEqual((await posted()).slice(0, 2).map((m) => m.method ?? m.kind), ['ready', 'thread/resume']);
  });

  it('sends with Enter, keeps Shift+Enter as a new line, and streams the reply', async () => {
    await page.fill('textarea', 'line one');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('line two');
    assert.equal(await page.inputValue('textarea'), 'line one\nline two');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as unknown as { __posted: Array<{ method?: string }> }).__posted.some((m) => m.method === 'turn/start'));
    const start = (await posted()).find((m) => m.method === 'turn/start')!;
    assert.deepEqual(start.params, { threadId, input: [{ type: 'text', text: 'line one\nline two' }] });
    assert.equal(await page.inputValue('textarea'), '');

    await push('turn/started', { threadId, turn: { id: 'turn1', items: [], itemsView: 'notLoaded', status: 'inProgress', error: null, startedAt: 3, completedAt: null, durationMs: null } });
    await push('item/started', { threadId, turnId: 'turn1', item: { type: 'agentMessage', id: 'a1', text: '', phase: null } });
    for (const delta of ['Str', 'eam', 'ing']) await push('item/agentMessage/delta', { threadId, turnId: 'turn1', itemId: 'a1', delta });
    await page.waitForFunction(() => document.querySelectorAll('.message.agent')[1]?.textContent?.trim() === 'Streaming');
    assert.equal(await page.isVisible('button.stop'), true);
    assert.equal(await page.textContent('button.send'), 'Steer');

    await push('error', { threadId, turnId: 'turn1', willRetry: true, error: { message: 'Reconnecting (1/5)…', codexErrorInfo: null, additionalDetails: null } });
    await page.waitForSelector('.banner.retrying');
    await push('turn/completed', { threadId, turn: { id: 'turn1', items: [], itemsView: 'full', status: 'completed', error: null, startedAt: 3, completedAt: 4, durationMs: 9 } });
    await page.waitForFunction(() => (document.querySelector('button.stop') as HTMLButtonElement).hidden);
    assert.equal(await page.isVisible('.banner'), false, 'the retry banner clears when the turn completes');
  });

  it('interrupts the running turn with the stop button', async () => {
    await push('turn/started', { threadId, turn: { id: 'turn2', items: [], itemsView: 'notLoaded', status: 'inProgress', error: null, startedAt: 3, completedAt: null, durationMs: null } });
    await page.click('button.stop');
    await page.waitForFunction(() => (window as unknown as { __posted: Array<{ method?: string }> }).__posted.some((m) => m.method === 'turn/interrupt'));
    const interrupt = (await posted()).find((m) => m.method === 'turn/interrupt')!;
    assert.deepEqual(interrupt.params, { threadId, turnId: 'turn2' });
  });

  it('ignores notifications for other threads', async () => {
    await push('item/started', { threadId: 'other', turnId: 'x', item: { type: 'agentMessage', id: 'zz', text: 'not mine', phase: null } });
    await page.waitForTimeout(50);
    assert.equal(await page.$$eval('.message', (nodes) => nodes.length), 2);
  });

  it('mentions a file with @: a keyboard-driven picker with highlighted matches puts the path into the message', async () => {
    await page.click('textarea');
    await page.keyboard.type('explain @');
    await page.waitForSelector('.mention-picker .mention-empty');
    // Before a file is searched, the picker offers context (@problems, @terminal, @url) and says what to type.
    assert.equal(await page.textContent('.mention-picker .mention-empty'), 'Type to search files in the workspace');
    assert.deepEqual(await page.$$eval('.mention-picker li[role="option"] .mention-name', (nodes) => nodes.map((n) => n.textContent)), ['@problems', '@terminal', '@url']);
    await page.keyboard.type('main');
    // Under load the picker may still show the answer to a shorter query: wait for the one to "main".
    await page.waitForFunction(() => [...document.querySelectorAll('.mention-picker li[role="option"]')].some((n) => n.textContent === 'webview/main.ts' && [...n.querySelectorAll('mark')].map((m) => m.textContent).join('') === 'main'));
    assert.equal(await page.getAttribute('textarea', 'aria-expanded'), 'true');
    const search = (await posted()).filter((m) => m.method === 'fuzzyFileSearch').at(-1)!;
    assert.deepEqual(search.params, { query: 'main', roots: ['/w'], cancellationToken: 'composer-mention' });
    const options = await page.$$eval('.mention-picker li[role="option"]', (nodes) => nodes.map((n) => ({ text: n.textContent, marks: [...n.querySelectorAll('mark')].map((m) => m.textContent) })));
    assert.ok(options.some((o) => o.text === 'webview/main.ts' && o.marks.join('') === 'main'), 'matched characters are highlighted');

    // Arrow keys move the selection; Enter picks instead of sending.
    const index = options.findIndex((o) => o.text === 'webview/main.ts');
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    assert.equal(await page.getAttribute('textarea', 'aria-activedescendant'), `mention-option-${index}`);
    await page.keyboard.press('Enter');
    assert.equal(await page.inputValue('textarea'), 'explain @webview/main.ts ');
    assert.equal(await page.isVisible('.mention-picker'), false);
    assert.ok(!(await posted()).some((m) => m.method === 'turn/start'), 'choosing a file does not send');

    await page.keyboard.type('please');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as unknown as { __posted: Array<{ method?: string }> }).__posted.some((m) => m.method === 'turn/start'));
    const start = (await posted()).find((m) => m.method === 'turn/start')!;
    assert.deepEqual(start.params, { threadId, input: [{ type: 'text', text: 'explain @webview/main.ts please' }] });
  });

  it('closes the mention picker with Escape and says when nothing matches', async () => {
    await page.click('textarea');
    await page.keyboard.type('@zzzz');
    await page.waitForSelector('.mention-picker .mention-empty');
    // A slow machine may show the answer for "zzz" first: wait for the query typed last to be answered.
    await page.waitForFunction(() => document.querySelector('.mention-picker')?.textContent?.includes('zzzz'));
    assert.equal(await page.textContent('.mention-picker'), 'No files match “zzzz”');
    await page.keyboard.press('Escape');
    assert.equal(await page.isVisible('.mention-picker'), false);
    assert.equal(await page.getAttribute('textarea', 'aria-expanded'), 'false');
  });

  it('keeps what the user types while a new thread starts: the composer clears as it sends, not after', async () => {
    const fresh = await chat.newPage();
    await fresh.addInitScript(() => Object.assign(window, { __thread: null, __startDelayMs: 400 }));
    await fresh.goto(chat.url);
    await fresh.waitForSelector('.empty');
    await fresh.click('textarea');
    await fresh.keyboard.type('first message');
    await fresh.keyboard.press('Enter');
    await fresh.keyboard.type('the next one');
    await fresh.waitForFunction(() => (window as unknown as { __posted: Array<{ method?: string }> }).__posted.some((m) => m.method === 'turn/start'));
    const sent = await fresh.evaluate(() => (window as unknown as { __posted: Array<{ method?: string; params?: unknown }> }).__posted.filter((m) => m.method === 'thread/start' || m.method === 'turn/start').map((m) => m.method));
    assert.deepEqual(sent, ['thread/start', 'turn/start']);
    const start = await fresh.evaluate(() => (window as unknown as { __posted: Array<{ method?: string; params?: unknown }> }).__posted.find((m) => m.method === 'turn/start')!.params);
    assert.deepEqual(start, { threadId: 'started-1', input: [{ type: 'text', text: 'first message' }] });
    assert.equal(await fresh.inputValue('textarea'), 'the next one', 'typed while the thread started, and kept');
    await fresh.close();
  });
});
