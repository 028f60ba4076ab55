// The thread history in headless Chromium: each row's folder; this workspace's threads by default and every
// folder's on request; search; paging; archived threads listed, opened read only and unarchived; deleting
// through the host (which asks), with the list and the chat following the answer; keyboard use at 300px.
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { chatBrowser } from '../support/chatBrowser';

type Posted = { kind: string; id?: number; method?: string; params?: Record<string, unknown>; threadId?: string | null };
const userTurn = (text: string) => ({ id: `turn-${text}`, itemsView: 'full', status: 'completed', error: null, startedAt: 1, completedAt: 2, durationMs: 5, items: [{ type: 'userMessage', id: `u-${text}`, clientId: null, content: [{ type: 'text', text }] }] });
const shown = { id: 't1', name: 'Shown thread', preview: 'hello', cwd: '/w', updatedAt: 1_700_000_000, status: { type: 'idle' }, turns: [userTurn('hello')] };

describe('browser: thread history', function () {
  this.timeout(30_000);
  let page: Page;

  const chat = chatBrowser(shown);
  /** Opens the chat with `window.__threads` (and any other harness setting) set by `setup` first. */
  async function open(setup?: () => void, width = 420): Promise<void> {
    page = await chat.newPage();
    await page.setViewportSize({ width, height: 640 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    if (setup) await page.addInitScript(setup);
    await page.goto(chat.url);
    await page.waitForSelector('.row');
    assert.deepEqual(errors, []);
  }
  afterEach(() => page?.close());

  const posted = () => page.evaluate(() => (window as unknown as { __posted: Posted[] }).__posted);
  const waitPosted = (predicate: string) => page.waitForFunction(`window.__posted.some((m) => ${predicate})`);
  const lists = async () => (await posted()).filter((m) => m.method === 'thread/list').map((m) => m.params!);
  const names = () => page.$$eval('.history-name', (nodes) => nodes.map((n) => n.textContent));
  const entries = (count: number) => page.waitForFunction((n) => document.querySelectorAll('.history-entry').length === n, count);
  async function showHistory(): Promise<void> {
    await page.click('button.history-button');
    await page.waitForSelector('.history-entry');
  }

  it('lists, searches, renames, archives and resumes threads from the history view', async () => {
    await open(() => {
      // No helper functions in here: the page gets this function's source, without the test's helpers.
      (window as unknown as { __threads: unknown[] }).__threads = [
        { id: 'old-1', preview: 'fix the login bug', name: null, cwd: '/w', updatedAt: 1_700_000_000 },
        { id: 'old-2', preview: 'write the README', name: null, cwd: '/w', updatedAt: 1_700_000_000 },
      ];
    });
    await showHistory();
    assert.equal(await page.getAttribute('button.history-button', 'aria-expanded'), 'true');
    assert.deepEqual(await names(), ['fix the login bug', 'write the README']);
    await page.fill('.history-search', 'README');
    await entries(1);
    assert.ok((await lists()).some((p) => p.searchTerm === 'README'));
    await page.click('button[aria-label="Rename write the README"]');
    await page.fill('.history-rename input', 'Docs');
    await page.keyboard.press('Enter');
    await waitPosted("m.method === 'thread/name/set'");
    await page.waitForSelector('button[aria-label="Archive write the README"]');
    await page.click('button[aria-label="Archive write the README"]');
    await waitPosted("m.method === 'thread/archive'");
    await page.fill('.history-search', '');
    await entries(2);
    await page.click('button[aria-label="Resume fix the login bug"]');
    await waitPosted("m.kind === 'setActiveThread' && m.threadId === 'old-1'");
    const sent = (await posted()).filter((m) => ['thread/name/set', 'thread/archive'].includes(m.method ?? '') || m.kind === 'setActiveThread').map((m) => m.params ?? m.threadId);
    assert.deepEqual(sent, [{ threadId: 'old-2', name: 'Docs' }, { threadId: 'old-2' }, 'old-1']);
    assert.ok(await page.isHidden('.history'));
    assert.ok((await posted()).filter((m) => m.method === 'thread/resume').some((m) => m.params?.threadId === 'old-1'));
  });

  it("shows each thread's folder, this workspace's threads by default and every folder's with All folders", async () => {
    await open(() => {
      const w = window as unknown as { __threads: unknown[]; __roots: string[] };
      w.__roots = ['/w', '/v/api'];
      w.__threads = [
        { id: 'a', preview: 'in the root', name: null, cwd: '/w', updatedAt: 1_700_000_300 },
        { id: 'b', preview: 'in the other root', name: null, cwd: '/v/api', updatedAt: 1_700_000_200 },
        { id: 'c', preview: 'under home', name: null, cwd: '/home/me/notes', updatedAt: 1_700_000_100 },
        { id: 'h', preview: 'in home', name: null, cwd: '/home/me', updatedAt: 1_700_000_050 },
        { id: 'd', preview: 'elsewhere', name: null, cwd: '/srv/site', updatedAt: 1_700_000_000 },
      ];
    });
    await showHistory();
    assert.deepEqual(await names(), ['in the root', 'in the other root']);
    assert.deepEqual((await lists()).at(-1)?.cwd, ['/w', '/v/api'], 'one request for every workspace folder');
    assert.deepEqual(await page.$$eval('.history-folder', (nodes) => nodes.map((n) => [n.textContent, n.getAttribute('title')])), [['w', '/w'], ['api', '/v/api']]);
    await page.getByRole('checkbox', { name: 'All folders' }).check();
    await entries(5);
    assert.equal((await lists()).at(-1)?.cwd, undefined, 'every folder: no folder filter');
    assert.deepEqual(await page.$$eval('.history-folder', (nodes) => nodes.map((n) => n.textContent)), ['w', 'api', 'notes', '~', 'site']);
    // The folder and the time describe the row's button for a screen reader.
    const described = await page.$eval('button[aria-label="Resume under home"]', (b) => document.getElementById(b.getAttribute('aria-describedby')!)?.textContent ?? '');
    assert.match(described, /^notes.*2023/);
    await page.getByRole('checkbox', { name: 'All folders' }).uncheck();
    await entries(2);
  });

  it('lists every folder, and says so, when no workspace folder is open; a folder added narrows the list', async () => {
    await open(() => {
      const w = window as unknown as { __threads: unknown[]; __roots: string[] };
      w.__roots = [];
      w.__threads = [{ id: 'a', preview: 'anywhere', name: null, cwd: '/srv/site', updatedAt: 1_700_000_000 }];
    });
    await showHistory();
    const all = page.getByRole('checkbox', { name: 'All folders' });
    assert.equal(await all.isChecked(), true);
    assert.equal(await all.isDisabled(), true);
    assert.equal(await page.getAttribute('label.history-toggle', 'title'), 'No workspace folder is open');
    assert.equal((await lists()).at(-1)?.cwd, undefined);
    // A folder is added to the workspace: the list narrows to it.
    const state = { activeThreadId: 't1', workspaceName: 'demo', workspaceRoots: ['/srv/site'], notice: null, composerDisabledReason: null, pendingApprovals: [] };
    await page.evaluate((s) => (window as unknown as { __hostPost(d: unknown): void }).__hostPost({ kind: 'state', state: s }), state);
    await page.waitForFunction(() => (window as unknown as { __posted: Posted[] }).__posted.filter((m) => m.method === 'thread/list').length === 2);
    assert.deepEqual((await lists()).at(-1)?.cwd, ['/srv/site']);
    assert.equal(await all.isChecked(), false);
    assert.equal(await all.isDisabled(), false);
  });

  it('searches names as well as first messages, and says when nothing matches', async () => {
    await open(() => {
      (window as unknown as { __threads: unknown[] }).__threads = [
        { id: 'a', preview: 'write the README', name: 'Docs work', cwd: '/w', updatedAt: 1_700_000_100 },
        { id: 'b', preview: 'fix the login bug', name: null, cwd: '/w', updatedAt: 1_700_000_000 },
      ];
    });
    await showHistory();
    await page.fill('.history-search', 'Docs');
    await entries(1);
    assert.deepEqual(await names(), ['Docs work']);
    await page.fill('.history-search', 'nothing like it');
    await entries(0);
    assert.match((await page.textContent('.history-status'))!, /No threads in this workspace have “nothing like it” in their name or first message/);
  });

  it('says when a rename fails, and gives the focus back to the row after renaming or not', async () => {
    await open(() => {
      const w = window as unknown as { __threads: unknown[]; __renameError: string };
      w.__threads = [{ id: 'a', preview: 'fix the login bug', name: null, cwd: '/w', updatedAt: 1_700_000_000 }];
      w.__renameError = 'the name index cannot be written';
    });
    await showHistory();
    await page.click('button[aria-label="Rename fix the login bug"]');
    await page.fill('.history-rename input', 'Login');
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=Could not rename: the name index cannot be written');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Resume fix the login bug');
    await page.click('button[aria-label="Rename fix the login bug"]');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Resume fix the login bug');
    assert.equal(await page.isVisible('.history'), true, 'Esc in the rename box leaves the history open');
    assert.equal((await posted()).filter((m) => m.method === 'thread/name/set').length, 1, 'Esc renames nothing');
  });

  it('pages: Show more asks for the next page after the last one', async () => {
    await open(() => {
      (window as unknown as { __threads: unknown[] }).__threads = Array.from({ length: 60 }, (_, i) => ({ id: `p${i}`, preview: `thread ${i}`, name: null, cwd: '/w', updatedAt: 1_700_000_000 - i }));
    });
    await showHistory();
    await entries(50);
    await page.click('button.history-more');
    await entries(60);
    assert.equal((await lists()).at(-1)?.cursor, '50');
    assert.equal(await page.isHidden('button.history-more'), true);
    assert.equal(new Set(await names()).size, 60, 'no thread twice');
  });

  it('lists archived threads, opens one read only, and unarchives it to continue', async () => {
    await open(() => {
      (window as unknown as { __threads: unknown[] }).__threads = [
        { id: 'live', preview: 'still going', name: null, cwd: '/w', updatedAt: 1_700_000_100 },
        { id: 'old', preview: 'long done', name: null, cwd: '/w', updatedAt: 1_700_000_000, archived: true, status: { type: 'notLoaded' }, turns: [{ id: 'x', itemsView: 'full', status: 'completed', error: null, startedAt: 1, completedAt: 2, durationMs: 5, items: [{ type: 'userMessage', id: 'u', clientId: null, content: [{ type: 'text', text: 'long done' }] }] }] },
        { id: 'older', preview: 'even older', name: null, cwd: '/w', updatedAt: 1_699_000_000, archived: true },
      ];
    });
    await showHistory();
    assert.deepEqual(await names(), ['still going']);
    await page.getByRole('checkbox', { name: 'Show archived' }).check();
    await page.waitForSelector('.history-entry.archived');
    assert.deepEqual(await names(), ['long done', 'even older']);
    assert.equal((await lists()).at(-1)?.archived, true);
    assert.equal(await page.$('button[aria-label="Rename long done"]'), null, 'an archived thread is not renamed or archived again');
    await page.click('button[aria-label="Unarchive even older"]');
    await entries(1);
    await waitPosted("m.method === 'thread/unarchive' && m.params.threadId === 'older'");
    assert.equal(await page.textContent('.history-status'), 'Thread unarchived.');

    await page.click('button[aria-label="Open long done (archived, read only)"]');
    await page.waitForSelector('.archived-bar:not([hidden])');
    assert.ok((await posted()).some((m) => m.method === 'thread/read' && m.params?.threadId === 'old' && m.params?.includeTurns === true));
    assert.ok(!(await posted()).some((m) => m.method === 'thread/resume' && m.params?.threadId === 'old'), 'the server does not resume an archived thread');
    await waitPosted("m.kind === 'setActiveThread' && m.threadId === null");
    assert.equal(await page.textContent('.thread-title'), 'long done');
    assert.equal(await page.isDisabled('textarea'), true, 'nothing is sent to an archived thread');
    assert.equal(await page.textContent('.hint'), 'Unarchive this thread to continue it.');

    await page.click('button[aria-label="Unarchive this thread to continue it"]');
    await waitPosted("m.method === 'thread/resume' && m.params.threadId === 'old'");
    await page.waitForSelector('.archived-bar[hidden]', { state: 'attached' });
    // The bar hides and the composer comes back with the resumed thread, in separate renders (one may lag under load).
    await page.waitForSelector('textarea:not([disabled])');
    assert.equal(await page.isDisabled('textarea'), false);
    const tail = (await posted()).filter((m) => m.method === 'thread/unarchive' || (m.kind === 'setActiveThread' && m.threadId === 'old')).map((m) => m.method ?? m.kind);
    assert.deepEqual(tail, ['thread/unarchive', 'thread/unarchive', 'setActiveThread']);
  });

  it('keeps the shown thread on screen, read only, when it is archived from the history', async () => {
    await open(() => {
      (window as unknown as { __threads: unknown[] }).__threads = [
        { id: 't1', preview: 'hello', name: 'Shown thread', cwd: '/w', updatedAt: 1_700_000_100, status: { type: 'notLoaded' }, turns: [{ id: 'turn-hello', itemsView: 'full', status: 'completed', error: null, startedAt: 1, completedAt: 2, durationMs: 5, items: [{ type: 'userMessage', id: 'u-hello', clientId: null, content: [{ type: 'text', text: 'hello' }] }] }] },
        { id: 'other', preview: 'another one', name: null, cwd: '/w', updatedAt: 1_700_000_000 },
      ];
    });
    await showHistory();
    await page.click('button[aria-label="Archive another one"]');
    await entries(1);
    assert.equal(await page.isHidden('.archived-bar'), true, 'another thread archived: the chat carries on');
    assert.equal(await page.isDisabled('textarea'), false);

    await page.click('button[aria-label="Archive Shown thread"]');
    await entries(0);
    await page.waitForSelector('.archived-bar:not([hidden])');
    await waitPosted("m.kind === 'setActiveThread' && m.threadId === null");
    assert.ok((await posted()).some((m) => m.method === 'thread/read' && m.params?.threadId === 't1' && m.params?.includeTurns === true));
    assert.equal(await page.textContent('.thread-title'), 'Shown thread');
    assert.ok((await page.$$eval('.row', (rows) => rows.length)) > 0, 'its conversation stays on screen');
    assert.equal(await page.isDisabled('textarea'), true, 'nothing is sent to an archived thread');
    assert.equal(await page.textContent('.hint'), 'Unarchive this thread to continue it.');
  });

  it('deletes through the host, which asks: kept, failed or deleted, the list and the chat follow', async () => {
    await open(() => {
      const w = window as unknown as { __threads: unknown[]; __deleteAnswer: string };
      w.__threads = [
        { id: 't1', preview: 'hello', name: 'Shown thread', cwd: '/w', updatedAt: 1_700_000_200 },
        { id: 'other', preview: 'another one', name: null, cwd: '/w', updatedAt: 1_700_000_100 },
        { id: 'third', preview: 'a third', name: null, cwd: '/w', updatedAt: 1_700_000_000 },
      ];
      w.__deleteAnswer = 'kept';
    });
    assert.equal(await page.textContent('.thread-title'), 'Shown thread');
    await showHistory();
    await page.click('button[aria-label="Delete another one"]');
    await waitPosted("m.kind === 'deleteThread' && m.threadId === 'other'");
    assert.ok(!(await posted()).some((m) => m.method === 'thread/delete'), 'the page never deletes by itself');
    // Kept, then refused: the answers come in order, so once the refusal shows, the list has seen both.
    await page.evaluate(() => ((window as unknown as { __deleteAnswer: string }).__deleteAnswer = 'thread other has a turn running; interrupt it before deleting'));
    await page.click('button[aria-label="Delete another one"]');
    await page.waitForSelector('text=Could not delete: thread other has a turn running');
    assert.deepEqual(await names(), ['Shown thread', 'another one', 'a third']);

    await page.evaluate(() => ((window as unknown as { __deleteAnswer: string }).__deleteAnswer = 'deleted'));
    await page.focus('button[aria-label="Delete another one"]');
    await page.keyboard.press('Enter');
    await entries(2);
    assert.equal(await page.textContent('.history-status'), 'Thread deleted.');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Resume a third', 'the focus moves to the next thread');
    assert.equal(await page.textContent('.thread-title'), 'Shown thread', 'another thread was deleted: the chat stays');

    await page.click('button[aria-label="Delete Shown thread"]');
    await entries(1);
    await waitPosted("m.kind === 'setActiveThread' && m.threadId === null");
    await page.waitForFunction(() => document.querySelector('.thread-title')?.textContent === 'New thread');
    assert.equal(await page.$$eval('.row', (rows) => rows.length), 0, 'the chat shows a new, empty thread');
    assert.equal(await page.isVisible('.history'), true, 'the history stays open');
  });

  it('works from the keyboard and fits a 300px sidebar', async () => {
    await open(() => {
      const w = window as unknown as { __threads: unknown[]; __roots: string[] };
      w.__roots = ['/w/a-folder-with-a-name-far-too-long-for-a-narrow-sidebar-to-show-in-full'];
      w.__threads = [
        { id: 'a', preview: 'a request long enough to need cutting short in a narrow sidebar, and then some more words', name: null, cwd: w.__roots[0], updatedAt: 1_700_000_000 },
      ];
    }, 300);
    await page.focus('button.history-button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.history-entry');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'history-search', 'the search has the focus');
    const overflow = await page.$eval('.history', (panel) => panel.scrollWidth - panel.clientWidth);
    assert.ok(overflow <= 0, `the history does not scroll sideways (${overflow}px too wide)`);
    const row = await page.$eval('.history-entry', (li) => [li.getBoundingClientRect().right, ...[...li.querySelectorAll('button')].map((b) => b.getBoundingClientRect().right)]);
    assert.ok(row.every((right) => right <= 300), `every button of a row is on screen: ${row.join(', ')}`);
    assert.deepEqual(await page.$$eval('.history-entry button', (buttons) => buttons.map((b) => b.getAttribute('aria-label'))), [
      'Resume a request long enough to need cutting short in a narrow sidebar, and then some more words',
      'Rename a request long enough to need cutting short in a narrow sidebar, and then some more words',
      'Archive a request long enough to need cutting short in a narrow sidebar, and then some more words',
      'Delete a request long enough to need cutting short in a narrow sidebar, and then some more words',
    ]);
    // Tab past the close button to the switches; Space checks one.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).type), 'checkbox');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (window as unknown as { __posted: Posted[] }).__posted.filter((m) => m.method === 'thread/list').length === 2);
    assert.equal((await lists()).at(-1)?.cwd, undefined);
    await page.keyboard.press('Escape');
    assert.ok(await page.isHidden('.history'));
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('history-button')), true, 'the focus goes back to the History button');
  });
});
