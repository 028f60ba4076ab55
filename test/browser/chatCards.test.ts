// The chat's richer rendering in headless Chromium: markdown with highlighted, copyable code and
// host-opened links; command cards with ANSI output, exit code and duration; file-change cards that
// mirror a pending approval; the plan checklist; and the virtualised list (the history: history.test.ts).
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { chatBrowser, pushNotification } from '../support/chatBrowser';

const threadId = 't1';
export function makeThread(items: unknown[], extra: Record<string, unknown> = {}) {
  return {
    id: threadId, sessionId: threadId, forkedFromId: null, parentThreadId: null, preview: 'demo', ephemeral: false, model: 'm', modelProvider: 'p',
    reasoningEffort: null, createdAt: 0, updatedAt: 1_700_000_000, recencyAt: null, status: { type: 'idle' }, path: null, cwd: '/w', cliVersion: '0',
    originator: 'o', source: 'vscode', threadSource: null, agentNickname: null, agentRole: null, gitInfo: null, name: 'Demo thread', projectId: null,
    turns: [{ id: 'turn0', itemsView: 'full', status: 'completed', error: null, startedAt: 1, completedAt: 2, durationMs: 5, items }],
    ...extra,
  };
}
const turn = (id: string) => ({ id, items: [], itemsView: 'notLoaded', status: 'inProgress', error: null, startedAt: 3, completedAt: null, durationMs: null });
type Posted = { kind: string; method?: string; params?: Record<string, unknown>; itemId?: string; decision?: string; text?: string; url?: string; threadId?: string };

describe('browser: chat cards and the virtualised list', function () {
  this.timeout(30_000);
  let page: Page;

  const chat = chatBrowser(makeThread([{ type: 'userMessage', id: 'u0', clientId: null, content: [{ type: 'text', text: 'hello' }] }]));
  async function open(setup?: () => void): Promise<void> {
    page = await chat.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    if (setup) await page.addInitScript(setup);
    await page.goto(chat.url);
    await page.waitForSelector('.row');
    assert.deepEqual(errors, []);
  }
  afterEach(() => page?.close());

  const push = (method: string, params: unknown) => pushNotification(page, method, params);
  const hostPost = (data: unknown) => page.evaluate((d) => (window as unknown as { __hostPost(d: unknown): void }).__hostPost(d), data);
  const posted = () => page.evaluate(() => (window as unknown as { __posted: Posted[] }).__posted);
  const waitPosted = (predicate: string) => page.waitForFunction(`window.__posted.some((m) => ${predicate})`);

  it('decodes HTML entities in a message into text (their table loads on first use), never into markup', async () => {
    await open();
    await push('turn/started', { threadId, turn: turn('t3') });
    const text = 'Copyright &copy; 2024 &amp; &lt;b&gt;not bold&lt;/b&gt; &#x41;&#66; [a link](https://example.com/?a=1&amp;b=2)';
    await push('item/completed', { threadId, turnId: 't3', item: { type: 'agentMessage', id: 'a3', text, phase: null } });
    await page.waitForSelector('.message.agent a');
    assert.equal(await page.textContent('.message.agent p'), 'Copyright © 2024 & <b>not bold</b> AB a link');
    assert.equal(await page.$('.message.agent b'), null);
    assert.equal(await page.getAttribute('.message.agent a', 'href'), 'https://example.com/?a=1&b=2');
  });

  it('renders markdown with highlighted code, copies code through the host, and leaves links to the host', async () => {
    await open();
    await push('turn/started', { threadId, turn: turn('t2') });
    const text = 'Use **this**:\n\n```ts\nconst x = 1;\n```\n\nSee [the docs](https://example.com/docs) or [bad](javascript:alert(1)).';
    await push('item/completed', { threadId, turnId: 't2', item: { type: 'agentMessage', id: 'a1', text, phase: null } });
    await page.waitForSelector('.message.agent strong');
    assert.equal(await page.textContent('.message.agent strong'), 'this');
    // Highlighted as it is shown, or as soon as highlight.js (a script of its own) has come.
    await page.waitForSelector('.code-block pre .hljs-keyword', { timeout: 5_000 });
    await page.click('.code-block button.copy');
    await waitPosted("m.kind === 'copy'");
    assert.equal((await posted()).find((m) => m.kind === 'copy')!.text, 'const x = 1;\n');
    assert.deepEqual(await page.$$eval('.message.agent a', (links) => links.map((a) => a.getAttribute('href'))), ['https://example.com/docs'], 'javascript: is not a link');
    await page.click('.message.agent a');
    await waitPosted("m.kind === 'openLink'");
    assert.equal((await posted()).find((m) => m.kind === 'openLink')!.url, 'https://example.com/docs');
    assert.equal(page.url(), chat.url, 'the page itself never navigates');
  });

  it('streams a command card with ANSI colours, then shows its exit code and duration', async () => {
    await open();
    await push('turn/started', { threadId, turn: turn('t3') });
    const command = { type: 'commandExecution', id: 'c1', command: 'npm test', cwd: '/w', processId: null, status: 'inProgress', commandActions: [], aggregatedOutput: null, exitCode: null, durationMs: null };
    await push('item/started', { threadId, turnId: 't3', item: command });
    await page.waitForSelector('.card.command .badge.running');
    await push('item/commandExecution/outputDelta', { threadId, turnId: 't3', itemId: 'c1', delta: '\u001b[31mFAIL\u001b[0m one\n' });
    await push('item/commandExecution/outputDelta', { threadId, turnId: 't3', itemId: 'c1', delta: '\u001b[1;32mPASS\u001b[0m two\n' });
    await page.waitForSelector('.card.command pre.output .ansi-green-fg');
    assert.equal(await page.textContent('.card.command pre.output .ansi-red-fg'), 'FAIL');
    assert.equal(await page.textContent('.card.command pre.output'), 'FAIL one\nPASS two\n');
    await push('item/completed', { threadId, turnId: 't3', item: { ...command, status: 'completed', aggregatedOutput: 'FAIL one\nPASS two\n', exitCode: 1, durationMs: 1234 } });
    await page.waitForSelector('.card.command .badge.failed');
    assert.equal(await page.textContent('.card.command .badge.failed'), 'exit 1');
    assert.equal(await page.textContent('.card.command .duration'), '1.2 s');
    assert.equal(await page.getAttribute('.card.command', 'aria-label'), 'Command: npm test');
  });

  it('shows a command its turn left running as stopped once the turn is interrupted', async () => {
    await open();
    await push('turn/started', { threadId, turn: turn('t6') });
    const command = { type: 'commandExecution', id: 'c6', command: 'sleep 60', cwd: '/w', processId: null, status: 'inProgress', commandActions: [], aggregatedOutput: null, exitCode: null, durationMs: null };
    await push('item/started', { threadId, turnId: 't6', item: command });
    await page.waitForSelector('.card.command .badge.running');
    await push('turn/completed', { threadId, turn: { ...turn('t6'), status: 'interrupted', completedAt: 4, durationMs: 10 } });
    await page.waitForSelector('.card.command .badge.declined');
    assert.equal(await page.textContent('.card.command .badge.declined'), 'stopped');
    assert.equal(await page.textContent('.marker'), 'Turn interrupted.');
  });

  it('mirrors a pending patch approval on its card and sends review and decisions to the host', async () => {
    await open();
    await push('turn/started', { threadId, turn: turn('t4') });
    const change = { type: 'fileChange', id: 'f1', status: 'inProgress', changes: [{ path: '/w/src/a.ts', kind: { type: 'update', move_path: null }, diff: '--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n' }] };
    await push('item/started', { threadId, turnId: 't4', item: change });
    await hostPost({ kind: 'approvals', pending: [{ itemId: 'f1', threadId, kind: 'patch' }] });
    await page.waitForSelector('.card.file-change .badge.waiting');
    assert.equal(await page.textContent('.hint'), 'Waiting for your approval…');
    assert.equal(await page.textContent('.card.file-change summary'), 'M src/a.ts +1 -1');
    assert.deepEqual(await page.$$eval('.card.file-change pre.diff .diff-line', (lines) => lines.map((l) => `${l.className.split(' ')[1]}:${l.textContent}`)), ['hunk:@@ -1 +1 @@\n', 'del:-old\n', 'add:+new\n', 'ctx:\n']);
    await page.click('text=Review in Diff Editor');
    await waitPosted("m.kind === 'showChange'");
    await page.click('.card.file-change button[data-decision="accept"]');
    await waitPosted("m.kind === 'decideChange'");
    const decided = (await posted()).filter((m) => m.kind === 'showChange' || m.kind === 'decideChange').map((m) => [m.kind, m.itemId, m.decision]);
    assert.deepEqual(decided, [['showChange', 'f1', undefined], ['decideChange', 'f1', 'accept']]);
    await hostPost({ kind: 'approvals', pending: [] });
    await push('item/completed', { threadId, turnId: 't4', item: { ...change, status: 'completed' } });
    await page.waitForSelector('text=Open Diff');
    assert.equal(await page.$('.card.file-change .badge.waiting'), null);
  });

  it('gives every control an accessible name', async () => {
    await open();
    await push('turn/started', { threadId, turn: turn('t7') });
    await push('item/completed', { threadId, turnId: 't7', item: { type: 'agentMessage', id: 'a7', text: '```sh\nls\n```', phase: null } });
    const change = { type: 'fileChange', id: 'f7', status: 'inProgress', changes: [{ path: '/w/a.ts', kind: { type: 'add' }, diff: 'x\n' }] };
    await push('item/started', { threadId, turnId: 't7', item: change });
    await hostPost({ kind: 'approvals', pending: [{ itemId: 'f7', threadId, kind: 'patch' }] });
    await page.waitForSelector('.card.file-change .badge.waiting');
    await page.click('button.history-button');
    const unnamed = await page.$$eval('button, input, textarea, select, [tabindex]', (controls) =>
      controls
        .filter((c) => (c as HTMLElement).offsetParent !== null)
        .filter((c) => !(c.getAttribute('aria-label') || c.textContent?.trim() || (c as HTMLInputElement).placeholder))
        .map((c) => c.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(unnamed, []);
  });

  it('shows the plan as a checklist that follows turn/plan/updated', async () => {
    await open();
    await push('turn/started', { threadId, turn: turn('t5') });
    const plan = (statuses: string[]) => ({ threadId, turnId: 't5', explanation: 'Three steps', plan: ['Read', 'Change', 'Test'].map((step, i) => ({ step, status: statuses[i] })) });
    await push('turn/plan/updated', plan(['completed', 'inProgress', 'pending']));
    await page.waitForSelector('.card.plan');
    assert.equal(await page.textContent('.card.plan .card-title'), 'Plan · 1 of 3 done');
    await push('turn/plan/updated', plan(['completed', 'completed', 'inProgress']));
    await page.waitForFunction(() => document.querySelector('.card.plan .card-title')?.textContent === 'Plan · 2 of 3 done');
    assert.deepEqual(await page.$$eval('.plan-step', (steps) => steps.map((s) => s.getAttribute('aria-label'))), ['Read: completed', 'Change: completed', 'Test: in progress']);
    assert.equal(await page.$$eval('.card.plan', (cards) => cards.length), 1, 'one checklist per turn');
  });

  it('says under a turn what it changed in the workspace, following turn/diff/updated', async () => {
    await open();
    await push('turn/started', { threadId, turn: turn('t9') });
    await push('turn/diff/updated', { threadId, turnId: 't9', diff: ['--- a.ts', '+++ a.ts', '@@ -1 +1,2 @@', '-one', '+two', '+three'].join('\n') });
    await page.waitForSelector('.turn-changes');
    assert.equal((await page.textContent('.turn-changes'))?.replace(/\s+/g, ' '), '1 file changed +2 -1');
    await push('turn/diff/updated', { threadId, turnId: 't9', diff: ['--- a.ts', '+++ a.ts', '@@ -1 +1 @@', '-one', '+two', '--- b.ts', '+++ b.ts', '@@ -0,0 +1 @@', '+b'].join('\n') });
    await page.waitForFunction(() => document.querySelector('.turn-changes')?.textContent?.startsWith('2 files changed'));
    assert.equal(await page.$$eval('.turn-changes', (rows) => rows.length), 1, 'one summary per turn');
  });

  it('calls an unnamed thread by its first request in the header, with the model and the mode in plain words', async () => {
    await open(() => {
      (window as unknown as { __thread: unknown }).__thread = {
        id: 't1', name: null, status: { type: 'idle' },
        turns: [{ id: 'turn0', status: 'completed', items: [{ type: 'userMessage', id: 'u0', clientId: null, content: [{ type: 'text', text: 'fix the flaky login test' }] }] }],
      };
    });
    assert.equal(await page.textContent('.thread-title'), 'fix the flaky login test');
    assert.equal(await page.textContent('.thread-settings'), 'gpt-5.5 · Review changes');
  });

  it('gives a pending command a Review… button that asks the host for its dialog; it never decides by itself', async () => {
    await open();
    await push('turn/started', { threadId, turn: turn('t7') });
    const command = { type: 'commandExecution', id: 'c7', command: 'touch wiped.txt', cwd: '/w', processId: null, status: 'inProgress', commandActions: [], aggregatedOutput: null, exitCode: null, durationMs: null };
    await push('item/started', { threadId, turnId: 't7', item: command });
    await hostPost({ kind: 'approvals', pending: [{ itemId: 'c7', threadId, kind: 'command' }] });
    await page.waitForSelector('.card.command .badge.waiting');
    const review = page.getByRole('button', { name: 'Review the command touch wiped.txt and decide whether to run it' });
    assert.equal(await review.textContent(), 'Review…');
    assert.equal(await page.textContent('.hint'), 'Waiting for your approval…');
    await review.click();
    await waitPosted("m.kind === 'reviewCommand'");
    assert.deepEqual((await posted()).filter((m) => m.kind === 'reviewCommand' || m.kind === 'decideChange').map((m) => [m.kind, m.itemId]), [['reviewCommand', 'c7']]);
    await hostPost({ kind: 'approvals', pending: [] });
    await page.waitForSelector('.card.command .badge.running');
    assert.equal(await page.$('.card.command button'), null, 'no longer waiting: no Review… button');
  });

  it('shows why a command the policy or sandbox refused was not run, and a user-declined one as declined', async () => {
    await open();
    await push('turn/started', { threadId, turn: turn('t8') });
    const base = { type: 'commandExecution', cwd: '/w', processId: null, commandActions: [], exitCode: null, durationMs: 0 };
    await push('item/completed', { threadId, turnId: 't8', item: { ...base, id: 'c8', command: 'curl https://example.com', status: 'declined', aggregatedOutput: 'not run: the network is off in this sandbox' } });
    await push('item/completed', { threadId, turnId: 't8', item: { ...base, id: 'c9', command: 'rm -rf build', status: 'declined', aggregatedOutput: null } });
    const refused = page.locator('.card.command', { hasText: 'curl' });
    await refused.locator('.not-run-reason').waitFor();
    assert.equal(await refused.locator('.badge').textContent(), 'not run');
    assert.equal(await refused.locator('.not-run-reason').textContent(), 'the network is off in this sandbox');
    assert.ok(await refused.locator('.not-run-reason').isVisible());
    assert.equal(await refused.getByRole('note', { name: 'Not run: the network is off in this sandbox' }).count(), 1);
    const declined = page.locator('.card.command', { hasText: 'rm -rf build' });
    assert.equal(await declined.locator('.badge').textContent(), 'declined');
    assert.equal(await declined.locator('.not-run-reason').count(), 0);
  });

  it('shows a warning about the thread as a row next to the refused patch, and not one about another thread', async () => {
    await open();
    await push('turn/started', { threadId, turn: turn('t9') });
    const change = { type: 'fileChange', id: 'f9', status: 'inProgress', changes: [{ path: '/etc/hosts', kind: { type: 'update', move_path: null }, diff: '@@ -1 +1 @@\n-a\n+b\n' }] };
    await push('item/started', { threadId, turnId: 't9', item: change });
    await push('item/completed', { threadId, turnId: 't9', item: { ...change, status: 'declined' } });
    await push('warning', { threadId: 'someone-else', message: 'Not applied: not for this thread' });
    await push('warning', { threadId, message: 'Not applied: /etc/hosts is outside the workspace' });
    await push('item/completed', { threadId, turnId: 't9', item: { type: 'agentMessage', id: 'a9', text: 'I could not change it.', phase: null } });
    await page.waitForSelector('.inline-warning');
    const rows = await page.$$eval('.row > article', (nodes) => nodes.map((n) => n.className.split(' ')[0]));
    assert.deepEqual(rows.slice(-3), ['card', 'inline-warning', 'message'], 'the notice sits right after the patch card');
    assert.equal(await page.textContent('.inline-warning'), 'Not applied: /etc/hosts is outside the workspace');
    assert.equal(await page.getAttribute('.inline-warning', 'role'), 'note');
    assert.equal(await page.locator('.card.file-change .badge').textContent(), 'declined');
    assert.equal(await page.locator('.inline-warning').count(), 1, 'the other thread\'s warning is not shown');
    assert.equal(await page.textContent('.banner'), 'Not applied: /etc/hosts is outside the workspace');
  });

  it('stays at the end of the conversation when a banner appears above the composer and shrinks the list', async () => {
    await open();
    await page.setViewportSize({ width: 300, height: 420 });
    await push('turn/started', { threadId, turn: turn('t10') });
    for (let i = 0; i < 4; i += 1) await push('item/completed', { threadId, turnId: 't10', item: { type: 'agentMessage', id: `a10-${i}`, text: `Reply ${i}: ${'words '.repeat(30)}`, phase: null } });
    await push('warning', { threadId, message: `Not applied: ${'a long reason '.repeat(12)}` });
    await page.waitForSelector('.banner:not([hidden])');
    await page.waitForFunction(() => {
      const list = document.querySelector('.messages') as HTMLElement;
      return list.scrollHeight - list.scrollTop - list.clientHeight <= 1;
    }, undefined, { timeout: 2_000 });
  });

  it('tells the host the user is typing in the composer, throttled', async () => {
    await open();
    await page.click('textarea');
    await page.keyboard.type('a message typed quickly, one key at a time', { delay: 10 });
    await waitPosted("m.kind === 'composerTyping'");
    const count = (await posted()).filter((m) => m.kind === 'composerTyping').length;
    // ~45 keys in well under 2 s: a handful of reports, not one per key (keydown and input both count).
    assert.ok(count >= 1 && count <= 6, `${count} typing reports`);
    assert.ok(!(await posted()).some((m) => m.method === 'turn/start'), 'typing sends nothing else');
  });

  it('keeps only the rows near the viewport in the DOM for a 5,000-item thread', async () => {
    await open(() => {
      const items = Array.from({ length: 5000 }, (_, i) => (i % 2 === 0 ? { type: 'userMessage', id: `u${i}`, clientId: null, content: [{ type: 'text', text: `question ${i}` }] } : { type: 'agentMessage', id: `a${i}`, text: `answer **${i}**`, phase: null }));
      (window as unknown as { __thread: unknown }).__thread = { id: 't1', name: 'Long', status: { type: 'idle' }, turns: [{ id: 'turn0', status: 'completed', items }] };
    });
    await page.waitForFunction(() => document.querySelector('.row:last-child')?.textContent?.includes('answer 4999'));
    const mounted = await page.$$eval('.row', (rows) => rows.length);
    assert.ok(mounted > 5 && mounted < 120, `only rows near the viewport are mounted (${mounted})`);
    await page.evaluate(() => (document.querySelector('.messages')!.scrollTop = 0));
    await page.waitForFunction(() => document.querySelector('.row')?.textContent === 'question 0');
    assert.ok((await page.$$eval('.row', (rows) => rows.length)) < 120);
  });
});
