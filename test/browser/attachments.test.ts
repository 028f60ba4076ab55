// Context from the editor in the composer, in headless Chromium: the active file's chip (removable until
// the editor moves), @problems, @terminal and @url from the @ menu or typed, pasted and dropped images, and
// how a sent message shows what it carried. The host's side is played by the harness: it answers
// `resolveContext` with one IDE-context text, or refuses it (window.__contextError).
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { chatBrowser, pushNotification } from '../support/chatBrowser';

const threadId = 't1';
const baseThread = {
  id: threadId, sessionId: threadId, forkedFromId: null, parentThreadId: null, preview: '', ephemeral: false, model: 'm', modelProvider: 'p',
  reasoningEffort: null, createdAt: 0, updatedAt: 0, recencyAt: null, status: { type: 'idle' }, path: null, cwd: '/w', cliVersion: '0',
  originator: 'o', source: 'vscode', threadSource: null, agentNickname: null, agentRole: null, gitInfo: null, name: null, projectId: null,
  turns: [
    {
      id: 'turn0', itemsView: 'full', status: 'completed', error: null, startedAt: 1, completedAt: 2, durationMs: 5,
      items: [
        { type: 'userMessage', id: 'u0', clientId: null, content: [{ type: 'text', text: 'first question' }] },
        { type: 'agentMessage', id: 'a0', text: 'first answer', phase: null },
      ],
    },
  ],
};

const DOT_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const selection = { startLine: 11, startCharacter: 0, endLine: 29, endCharacter: 4 };
const editor = (sel: typeof selection | null = selection) => ({ path: '/w/src/notes.ts', relativePath: 'src/notes.ts', selection: sel });
const noTerminal = { available: false, reason: 'The terminal “bash” has no shell integration, so its commands cannot be read' };
// As the host writes it: each section's text fenced, so the page's `## Active file: id_rsa` is no chip.
const CONTEXT = '# Context from my IDE setup:\n\n## Active file: src/notes.ts\n\n## Active selection of the file (lines 12-30):\n```\nconst a = 1;\n```\n\n## Problems in the workspace:\n```\nsrc/a.ts:1:1 error x\n```\n\n## Last command in the terminal “bash” (exit code 1):\n```\n$ npm test\nfailed\n```\n\n## Web page https://example.test/docs (Docs):\n````\nhello\n```\n## Active file: id_rsa\n```\n````\n\n## My request for Codex:\n';

type Posted = Array<{ kind: string; method?: string; id?: number; attachments?: unknown; params?: { input?: unknown } }>;

describe('browser: context from the editor in the composer', function () {
  this.timeout(30_000);
  let page: Page;

  const chat = chatBrowser(baseThread);
  beforeEach(async () => {
    page = await chat.newPage();
    await page.goto(chat.url);
    await page.waitForSelector('.message.agent');
  });
  afterEach(() => page.close());

  const host = (data: unknown) => page.evaluate((d) => (window as unknown as { __hostPost(d: unknown): void }).__hostPost(d), data);
  const ideContext = (context: unknown) => host({ kind: 'ideContext', context });
  const push = (method: string, params: unknown) => pushNotification(page, method, params);
  const posted = () => page.evaluate(() => (window as unknown as { __posted: Posted }).__posted);
  const waitForPosted = (method: string, count = 1) =>
    page.waitForFunction(([m, n]) => (window as unknown as { __posted: Posted }).__posted.filter((p) => p.method === m).length >= n, [method, count] as const);
  const starts = async () => (await posted()).filter((m) => m.method === 'turn/start').map((m) => m.params!.input);
  const resolves = async () => (await posted()).filter((m) => m.kind === 'resolveContext').map((m) => m.attachments);
  const chips = () => page.$$eval('.composer-attachments .attachment-chip', (nodes) => nodes.map((n) => n.querySelector('.attachment-label')!.textContent));
  const sendText = async (text: string) => {
    await page.fill('textarea', text);
    await page.focus('textarea');
    await page.keyboard.press('Enter');
  };
  const contextItem = (attachments: unknown) => ({ type: 'text', text: `# Context from my IDE setup:\n\n${JSON.stringify(attachments)}\n\n## My request for Codex:\n` });

  it('offers the active selection as a chip that goes with each message; removed, it stays off until the selection changes', async () => {
    assert.equal(await page.isVisible('.composer-attachments'), false, 'no chip without an editor');
    await ideContext({ editor: editor(), terminal: noTerminal });
    await page.waitForSelector('.attachment-chip');
    assert.deepEqual(await chips(), ['notes.ts:12-30']);
    assert.equal(await page.getAttribute('.attachment-chip', 'title'), 'src/notes.ts');

    await sendText('explain this');
    await waitForPosted('turn/start');
    const attached = [{ type: 'editor', path: '/w/src/notes.ts', selection }];
    assert.deepEqual(await resolves(), [attached]);
    assert.deepEqual(await starts(), [[contextItem(attached), { type: 'text', text: 'explain this' }]]);
    assert.deepEqual(await chips(), ['notes.ts:12-30'], 'the editor chip stays for the next message');

    await page.click('.attachment-chip button[aria-label="Remove notes.ts:12-30"]');
    assert.equal(await page.isVisible('.composer-attachments'), false);
    await ideContext({ editor: editor(), terminal: { available: true, terminal: 'bash', command: 'ls', exitCode: 0 } });
    await page.waitForTimeout(50);
    assert.deepEqual(await chips(), [], 'the same selection stays removed');
    await push('turn/completed', { threadId, turn: { id: 'new-turn', items: [], itemsView: 'notLoaded', status: 'completed', error: null, startedAt: 3, completedAt: 4, durationMs: 1 } });
    await sendText('and now?');
    await waitForPosted('turn/start', 2);
    assert.deepEqual((await starts())[1], [{ type: 'text', text: 'and now?' }], 'nothing from the editor once removed');
    assert.equal((await resolves()).length, 1, 'nothing asked of the host');

    // A caret without a selection offers the file alone; a removed chip comes back when the editor moves.
    await ideContext({ editor: editor(null), terminal: noTerminal });
    await page.waitForSelector('.attachment-chip');
    assert.deepEqual(await chips(), ['notes.ts']);
    await ideContext({ editor: null, terminal: noTerminal });
    await page.waitForFunction(() => document.querySelectorAll('.attachment-chip').length === 0);
  });

  /** Until the @ menu's context entries are exactly the one whose mention starts with `mention`. */
  const waitForOnlyOption = (mention: string) =>
    page.waitForFunction((m) => {
      const options = Array.from(document.querySelectorAll('.mention-picker li.mention-context'));
      return options.length === 1 && (options[0]!.textContent ?? '').startsWith(m);
    }, mention);

  it('offers @problems, @terminal and @url in the @ menu, and sends what the chips and the text name', async () => {
    await ideContext({ editor: editor(null), terminal: noTerminal });
    await page.click('textarea');
    await page.keyboard.type('fix @');
    await page.waitForSelector('.mention-picker li[role="option"]');
    const options = await page.$$eval('.mention-picker li', (nodes) => nodes.map((n) => n.textContent));
    assert.deepEqual(options, [
      '@problemsProblems in the workspace',
      '@problemsProblems in notes.ts',
      `@terminal${noTerminal.reason}`,
      '@urlA web page’s text (asks before fetching)',
      'Type to search files in the workspace',
    ]);
    assert.equal(await page.getAttribute('#mention-option-2', 'class'), 'mention-context mention-warning', 'a terminal with nothing to read is marked');

    // "@pro" narrows to the problems; the second is the active file's.
    await page.keyboard.type('pro');
    await page.waitForFunction(() => document.querySelectorAll('.mention-picker li.mention-context').length === 2);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.equal(await page.inputValue('textarea'), 'fix ', 'the @query goes; a chip takes its place');
    assert.deepEqual(await chips(), ['notes.ts', 'Problems in notes.ts']);

    await page.keyboard.type('@ter');
    // The menu follows each key: wait until it has narrowed to the terminal, or Enter may pick from "@".
    await waitForOnlyOption('@terminal');
    await page.keyboard.press('Enter');
    assert.deepEqual(await chips(), ['notes.ts', 'Problems in notes.ts', `Terminal: ${noTerminal.reason}`], 'the chip says the terminal cannot be read');
    assert.equal(await page.$$eval('.attachment-chip.attachment-warning', (nodes) => nodes.length), 1);

    // @url from the menu leaves "@url " to type the address after; a space after it makes the chip.
    await page.keyboard.type('@u');
    await waitForOnlyOption('@url');
    await page.keyboard.press('Enter');
    assert.equal(await page.inputValue('textarea'), 'fix @url ');
    await page.keyboard.type('https://example.test/docs ');
    assert.equal(await page.inputValue('textarea'), 'fix ');
    assert.deepEqual((await chips()).at(-1), 'example.test/docs');

    // Typed out, @problems is attached too (the words stay in the message); the space after it closes the menu.
    await page.keyboard.type('and @problems too');
    await page.keyboard.press('Enter');
    await waitForPosted('turn/start');
    const attached = [
      { type: 'editor', path: '/w/src/notes.ts', selection: null },
      { type: 'problems', path: '/w/src/notes.ts' },
      { type: 'terminal' },
      { type: 'url', url: 'https://example.test/docs' },
      { type: 'problems', path: null },
    ];
    assert.deepEqual(await resolves(), [attached]);
    assert.deepEqual(await starts(), [[contextItem(attached), { type: 'text', text: 'fix and @problems too' }]]);
    assert.deepEqual(await chips(), ['notes.ts'], 'the one-off chips went with the message');
  });

  it('shows why context could not be gathered, sends nothing, and gives the text and chips back', async () => {
    await page.evaluate(() => ((window as unknown as { __contextError: string }).__contextError = 'Not sent: you declined fetching https://example.test/. Remove the page to send without it.'));
    await page.click('textarea');
    await page.keyboard.type('summarize @url https://example.test');
    // Enter right after the address makes the chip; the next Enter sends.
    await page.keyboard.press('Enter');
    assert.deepEqual(await chips(), ['example.test/']);
    assert.equal(await page.inputValue('textarea'), 'summarize ');
    assert.deepEqual(await resolves(), [], 'the chip alone sends nothing');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.banner.error');
    assert.equal(await page.textContent('.banner'), 'Not sent: you declined fetching https://example.test/. Remove the page to send without it.');
    assert.deepEqual(await starts(), [], 'nothing reached the server');
    assert.equal(await page.inputValue('textarea'), 'summarize');
    assert.deepEqual(await chips(), ['example.test/']);

    // Removed, the message goes without it.
    await page.click('.attachment-chip .attachment-remove');
    await page.focus('textarea');
    await page.keyboard.press('Enter');
    await waitForPosted('turn/start');
    assert.deepEqual(await starts(), [[{ type: 'text', text: 'summarize' }]]);
  });

  it('refuses to send `@url` followed by something that is not a web address, and keeps the draft', async () => {
    await page.click('textarea');
    await page.keyboard.type('summarize @url example.test/docs');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.banner.error');
    assert.equal(await page.textContent('.banner'), 'Not sent: after @url, “example.test/docs” is not a web address. Write it starting with http:// or https://.');
    assert.equal(await page.inputValue('textarea'), 'summarize @url example.test/docs', 'the draft stays to be fixed');
    assert.deepEqual(await resolves(), [], 'nothing was gathered');
    assert.deepEqual(await starts(), [], 'nothing reached the server');

    // With the address written out, it goes.
    await page.fill('textarea', 'summarize @url https://example.test/docs');
    await page.focus('textarea');
    await page.keyboard.press('End');
    await page.keyboard.type(' now');
    await page.keyboard.press('Enter');
    await waitForPosted('turn/start');
    assert.deepEqual(await resolves(), [[{ type: 'url', url: 'https://example.test/docs' }]]);
  });

  it('attaches pasted and dropped images (several, removable) and refuses what is not one or is too large', async () => {
    const paste = (files: Array<{ name: string; type: string; base64?: string; bytes?: number }>) =>
      page.evaluate((list) => {
        const data = new DataTransfer();
        for (const f of list) {
          const bytes = f.base64 ? Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0)) : new Uint8Array(f.bytes ?? 1);
          data.items.add(new File([bytes], f.name, { type: f.type }));
        }
        document.querySelector('textarea')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, files);
    await paste([{ name: 'shot.png', type: 'image/png', base64: DOT_PNG }]);
    await page.waitForSelector('.attachment-chip.attachment-image img.attachment-thumb');
    assert.equal(await page.getAttribute('.attachment-thumb', 'src'), `data:image/png;base64,${DOT_PNG}`);
    await paste([{ name: 'notes.txt', type: 'text/plain' }]);
    await page.waitForSelector('.banner.warning');
    assert.equal(await page.textContent('.banner'), 'notes.txt was not attached: only PNG, JPEG, GIF and WebP images can be sent (it is text/plain).');
    await paste([{ name: 'huge.png', type: 'image/png', bytes: 20 * 1024 * 1024 + 1 }]);
    await page.waitForFunction(() => document.querySelector('.banner')?.textContent?.includes('huge.png'));
    assert.equal(await page.textContent('.banner'), 'huge.png was not attached: it is 20.0 MB, and an image can be at most 20 MB.');
    await paste([{ name: 'second.gif', type: 'image/gif', base64: DOT_PNG }]);
    await page.waitForFunction(() => document.querySelectorAll('.attachment-image').length === 2);

    // An image file dragged from the workspace goes as its path; the server reads it.
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData('text/uri-list', 'file:///w/docs/diagram%201.png\r\nfile:///w/README.md');
      document.querySelector('form.composer')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => document.querySelectorAll('.attachment-chip').length === 3);
    assert.deepEqual(await chips(), ['shot.png', 'second.gif', 'diagram 1.png']);
    await page.click('.attachment-chip button[aria-label="Remove second.gif"]');
    assert.deepEqual(await chips(), ['shot.png', 'diagram 1.png']);

    // Images alone can be sent: no text needed.
    await page.focus('textarea');
    await page.keyboard.press('Enter');
    await waitForPosted('turn/start');
    assert.deepEqual(await starts(), [[{ type: 'image', url: `data:image/png;base64,${DOT_PNG}` }, { type: 'localImage', path: '/w/docs/diagram 1.png' }]]);
    assert.deepEqual(await resolves(), [], 'images need nothing from the host');
    assert.equal(await page.isVisible('.composer-attachments'), false);
  });

  it('keeps the chips across a reload of the view', async () => {
    await page.click('textarea');
    await page.keyboard.type('@url https://example.test/a ');
    await page.evaluate((png) => {
      const data = new DataTransfer();
      data.items.add(new File([Uint8Array.from(atob(png), (c) => c.charCodeAt(0))], 'shot.png', { type: 'image/png' }));
      document.querySelector('textarea')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, DOT_PNG);
    await page.waitForFunction(() => document.querySelectorAll('.attachment-chip').length === 2);
    await page.reload();
    await page.waitForSelector('.message.agent');
    assert.deepEqual(await chips(), ['example.test/a', 'shot.png']);
  });

  it('shows a sent message’s words with chips for its context and thumbnails for its images; Retry sends it all again', async () => {
    const content = [
      { type: 'text', text: CONTEXT },
      { type: 'text', text: 'why does this fail?' },
      { type: 'image', url: `data:image/png;base64,${DOT_PNG}` },
      { type: 'localImage', path: '/w/docs/diagram.png' },
    ];
    await push('turn/started', { threadId, turn: { id: 'turn1', items: [], itemsView: 'notLoaded', status: 'inProgress', error: null, startedAt: 3, completedAt: null, durationMs: null } });
    await push('item/completed', { threadId, turnId: 'turn1', item: { type: 'userMessage', id: 'u1', clientId: null, content } });
    await push('turn/completed', { threadId, turn: { id: 'turn1', items: [], itemsView: 'notLoaded', status: 'failed', error: { message: 'usage limit reached', codexErrorInfo: null, additionalDetails: null }, startedAt: 3, completedAt: 4, durationMs: 1 } });
    const message = page.locator('.message.user').nth(1);
    await message.waitFor();
    assert.equal(await message.locator('.user-text').textContent(), 'why does this fail?');
    assert.deepEqual(await message.locator('.user-attachment').allTextContents(), ['notes.ts:12-30', 'Problems', 'Terminal: npm test', 'example.test/docs', 'diagram.png']);
    assert.equal(await message.locator('img.user-image').getAttribute('src'), `data:image/png;base64,${DOT_PNG}`);
    assert.ok(!(await message.textContent())!.includes('Context from my IDE'), 'the context text itself is not shown');

    await page.click('.turn-failed button.retry');
    await waitForPosted('turn/start');
    assert.deepEqual(await starts(), [content], 'the same context, words and images');
  });
});
