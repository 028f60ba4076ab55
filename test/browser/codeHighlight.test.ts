// Code blocks in the chat, highlighted with grammars registered on first use, look exactly as they did when
// every grammar was registered up front: a TypeScript template's HTML, a block named by an alias, HTML with
// style and script in it, and a language the chat does not know, which stays plain text.
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { chatBrowser } from '../support/chatBrowser';
import { eagerHighlight, eagerHighlighter } from '../support/eagerHighlight';

const BLOCKS: Array<{ language: string; code: string }> = [
  { language: 'ts', code: 'const view = html`<ul class="list"><li>${item}</li></ul>`;\nexport function f(x: number): string { return `${x}`; }\n' },
  { language: 'sh', code: 'echo "hi $HOME" | grep -c x && export A=1\n' },
  { language: 'HTML', code: '<style>p > a { color: red; }</style>\n<script>let a = 1; console.log(`${a}`);</script>\n' },
  { language: 'cobol', code: "DISPLAY 'X' <b>&amp;.\n" },
];

const text = BLOCKS.map((b) => `\`\`\`${b.language}\n${b.code}\`\`\``).join('\n\nand\n\n');
const thread = {
  id: 't1', sessionId: 't1', forkedFromId: null, parentThreadId: null, preview: 'code', ephemeral: false, model: 'm', modelProvider: 'p',
  reasoningEffort: null, createdAt: 0, updatedAt: 1_700_000_000, recencyAt: null, status: { type: 'idle' }, path: null, cwd: '/w', cliVersion: '0',
  originator: 'o', source: 'vscode', threadSource: null, agentNickname: null, agentRole: null, gitInfo: null, name: 'Code', projectId: null,
  turns: [{ id: 'turn0', itemsView: 'full', status: 'completed', error: null, startedAt: 1, completedAt: 2, durationMs: 5, items: [
    { type: 'userMessage', id: 'u0', clientId: null, content: [{ type: 'text', text: 'show me code' }] },
    { type: 'agentMessage', id: 'a0', phase: null, text },
  ] }],
};

describe('browser: highlighted code blocks', function () {
  this.timeout(30_000);
  // Fetched as JSON: the page's inline script would end at the </script> in the HTML block.
  const chat = chatBrowser(thread, { threadFromServer: true });
  let page: Page;
  afterEach(() => page?.close());

  it('highlights each block as before, grammars loading on demand, and leaves an unknown language plain', async () => {
    page = await chat.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(chat.url);
    await page.waitForSelector('.code-block pre code');
    // The thread's first screen shows code in grammars not used yet plain; they are highlighted once idle.
    await page.waitForFunction((known) => {
      const blocks = Array.from(document.querySelectorAll('.code-block pre code'));
      return blocks.length === known + 1 && blocks.slice(0, known).every((b) => b.querySelector('span'));
    }, BLOCKS.length - 1);
    const shown = await page.$$eval('.code-block', (blocks) => blocks.map((b) => ({ language: b.querySelector('.code-language')!.textContent, html: b.querySelector('pre code')!.innerHTML, text: b.querySelector('pre code')!.textContent })));
    assert.deepEqual(shown.map((b) => b.language), BLOCKS.map((b) => b.language));
    const eager = eagerHighlighter();
    for (const [i, block] of BLOCKS.entries()) {
      const before = eagerHighlight(eager, block.code, block.language);
      // The markup highlight.js wrote, as the page's parser reads it back (it writes quotes as entities, the DOM does not).
      const expected = await page.evaluate((html) => {
        const probe = document.createElement('code');
        probe.innerHTML = html;
        return probe.innerHTML;
      }, before ?? block.code.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
      assert.equal(shown[i]!.html, expected, block.language);
      assert.equal(shown[i]!.text, block.code, `${block.language}: the code reads as written`);
    }
    assert.equal(eagerHighlight(eager, BLOCKS[3]!.code, 'cobol'), undefined, 'cobol was never highlighted');
    assert.doesNotMatch(shown[3]!.html, /<span/, 'an unknown language stays plain');
    // The grammars a block embeds came with it: the template is HTML, the style CSS, the script JavaScript.
    assert.match(shown[0]!.html, /<span class="hljs-tag">&lt;<span class="hljs-name">ul<\/span>/);
    assert.match(shown[2]!.html, /<span class="hljs-attribute">color<\/span>/);
    assert.match(shown[2]!.html, /<span class="hljs-keyword">let<\/span>/);
    assert.match(shown[1]!.html, /<span class="hljs-built_in">echo<\/span>/);
    assert.deepEqual(errors, []);
  });

  it('loads highlight.js only once the thread is on screen, and shows code plain until it has come', async () => {
    page = await chat.newPage();
    // The time the first row was in the page, in the page's clock (text: tsx would wrap a function's names).
    await page.addInitScript(`new MutationObserver((_m, o) => { if (document.querySelector('.row')) { o.disconnect(); window.__rowAt = performance.now(); } }).observe(document, { childList: true, subtree: true });`);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked = false;
    await page.route('**/webview-highlighter.js', async (route) => {
      asked = true;
      await held;
      await route.continue();
    });
    await page.goto(chat.url);
    await page.waitForSelector('.code-block pre code');
    for (let i = 0; i < 100 && !asked; i++) await page.waitForTimeout(50);
    assert.ok(asked, 'the page asked for highlight.js');
    assert.equal(await page.$('.code-block pre code span'), null, 'nothing is highlighted before it has come');
    release();
    await page.waitForFunction((known) => Array.from(document.querySelectorAll('.code-block pre code')).slice(0, known).every((b) => b.querySelector('span')), BLOCKS.length - 1);
    const timing = await page.evaluate(() => ({
      rowAt: (window as unknown as { __rowAt: number }).__rowAt,
      askedAt: performance.getEntriesByType('resource').find((r) => r.name.endsWith('/webview-highlighter.js'))?.startTime,
    }));
    assert.ok(timing.askedAt !== undefined && timing.askedAt >= timing.rowAt, `asked for at ${timing.askedAt} ms, the thread shown at ${timing.rowAt} ms`);
  });
});
