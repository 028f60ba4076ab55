// The chat in a narrow sidebar (300 px), in headless Chromium, measured rather than looked at: wide tables
// scroll inside their own box, a code block's Copy button sits clear of the code, long commands wrap, long
// outputs collapse behind Show more, and reasoning summaries render as (sanitised) markdown.
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { chatBrowser, pushNotification } from '../support/chatBrowser';

const threadId = 't1';
const thread = { id: threadId, name: 'Narrow', status: { type: 'idle' }, turns: [{ id: 'turn0', status: 'completed', items: [{ type: 'userMessage', id: 'u0', clientId: null, content: [{ type: 'text', text: 'hello' }] }] }] };
const turn = (id: string) => ({ id, items: [], itemsView: 'notLoaded', status: 'inProgress', error: null, startedAt: 3, completedAt: null, durationMs: null });
const command = (id: string, script: string, extra: Record<string, unknown> = {}) => ({
  type: 'commandExecution', id, command: script, cwd: '/w', processId: null, status: 'completed', commandActions: [], aggregatedOutput: null, exitCode: 0, durationMs: 20, ...extra,
});
const lines = (count: number, prefix = 'line') => Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}`).join('\n') + '\n';

describe('browser: the chat in a 300 px sidebar', function () {
  this.timeout(30_000);
  let page: Page;

  const chat = chatBrowser(thread);
  beforeEach(async () => {
    page = await chat.newPage();
    await page.setViewportSize({ width: 300, height: 640 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(chat.url);
    await page.waitForSelector('.row');
    assert.deepEqual(errors, []);
    await push('turn/started', { threadId, turn: turn('t2') });
  });
  afterEach(() => page?.close());

  const push = (method: string, params: unknown) => pushNotification(page, method, params);
  const complete = (item: Record<string, unknown>) => push('item/completed', { threadId, turnId: 't2', item });
  const agentMessage = (id: string, text: string) => complete({ type: 'agentMessage', id, text, phase: null });

  /** Neither the page nor the conversation scrolls sideways: everything fits in 300 px or scrolls in its own box. */
  async function assertNoHorizontalOverflow(): Promise<void> {
    const sizes = await page.evaluate(() => {
      const messages = document.querySelector('.messages')!;
      const rows = Array.from(document.querySelectorAll('.row > article')).map((a) => ({ text: (a.textContent ?? '').slice(0, 40), scroll: a.scrollWidth, client: a.clientWidth }));
      return { page: document.documentElement.scrollWidth, viewport: window.innerWidth, messages: messages.scrollWidth, messagesClient: messages.clientWidth, rows };
    });
    assert.ok(sizes.page <= sizes.viewport, `the page is ${sizes.page} px wide in a ${sizes.viewport} px view`);
    assert.ok(sizes.messages <= sizes.messagesClient, `the conversation is ${sizes.messages} px wide in ${sizes.messagesClient} px`);
    for (const row of sizes.rows) assert.ok(row.scroll <= row.client, `row "${row.text}" is ${row.scroll} px wide in ${row.client} px`);
  }

  it('scrolls a wide table inside its own box, which the keyboard can reach', async () => {
    const header = `| ${Array.from({ length: 8 }, (_, i) => `Column${i + 1}`).join(' | ')} |`;
    const rule = `|${' --- |'.repeat(8)}`;
    const row = `| ${Array.from({ length: 8 }, (_, i) => `value-number-${i + 1}`).join(' | ')} |`;
    await agentMessage('a1', `Results:\n\n${header}\n${rule}\n${row}\n${row}\n\nThat is all.`);
    await page.waitForSelector('.message.agent table');
    await assertNoHorizontalOverflow();
    const wrapper = await page.evaluate(() => {
      const box = document.querySelector<HTMLElement>('.message.agent .table-scroll')!;
      const before = box.scrollWidth > box.clientWidth;
      box.scrollLeft = 60;
      return { overflows: before, scrolled: box.scrollLeft, tabIndex: box.tabIndex, label: box.getAttribute('aria-label'), holdsTable: box.firstElementChild?.tagName };
    });
    assert.deepEqual(wrapper, { overflows: true, scrolled: 60, tabIndex: 0, label: 'Table', holdsTable: 'TABLE' });
  });

  it('keeps the Copy button of a code block clear of the code, on its first line too', async () => {
    const code = `const aVeryLongVariableNameThatFillsTheFirstLine = computeSomethingExpensive(argumentOne, argumentTwo);\nreturn aVeryLongVariableNameThatFillsTheFirstLine;`;
    await agentMessage('a2', `Here:\n\n\`\`\`ts\n${code}\n\`\`\``);
    await page.waitForSelector('.code-block button.copy');
    await assertNoHorizontalOverflow();
    const boxes = await page.evaluate(() => {
      const block = document.querySelector('.code-block')!;
      const copy = block.querySelector('button.copy')!.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(block.querySelector('pre')!);
      // Only the code's visible part counts: the pre scrolls sideways and clips what is beyond its box.
      const pre = block.querySelector('pre')!.getBoundingClientRect();
      const text = Array.from(range.getClientRects())
        .filter((r) => r.width > 0 && r.left < pre.right && r.right > pre.left)
        .map((r) => ({ left: Math.max(r.left, pre.left), right: Math.min(r.right, pre.right), top: r.top, bottom: r.bottom }));
      return { copy: { left: copy.left, right: copy.right, top: copy.top, bottom: copy.bottom }, text };
    });
    assert.ok(boxes.text.length > 0, 'the code has visible text');
    for (const rect of boxes.text) {
      const overlaps = rect.left < boxes.copy.right && rect.right > boxes.copy.left && rect.top < boxes.copy.bottom && rect.bottom > boxes.copy.top;
      assert.equal(overlaps, false, `the Copy button ${JSON.stringify(boxes.copy)} covers code at ${JSON.stringify(rect)}`);
    }
    assert.equal(await page.textContent('.code-block .code-language'), 'ts');
  });

  it('wraps a long command without spaces, and long words in messages, instead of widening the page', async () => {
    const script = `/usr/local/bin/${'very-long-directory-name/'.repeat(12)}tool --flag=${'x'.repeat(120)}`;
    await complete(command('c1', script, { aggregatedOutput: `${'y'.repeat(400)}\n` }));
    await agentMessage('a3', `See https://example.com/${'path-segment/'.repeat(20)} and \`${'inline_code_'.repeat(15)}\`.`);
    await complete({ type: 'userMessage', id: 'u3', clientId: null, content: [{ type: 'text', text: 'z'.repeat(300) }] });
    await page.waitForSelector('.message.user >> nth=1');
    await assertNoHorizontalOverflow();
    const line = await page.evaluate(() => {
      const code = document.querySelector('.card.command .command-line')!;
      return { lines: code.getClientRects().length, text: code.textContent };
    });
    assert.equal(line.text, `$ ${script}`, 'the whole command is shown');
    assert.ok(line.lines > 3, `the command wraps over several lines (${line.lines})`);
  });

  it('wraps command output at spaces where it can, cutting only what has none', async () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i + 1}`).join(' ');
    await complete(command('c6', 'echo words', { aggregatedOutput: `${words}\n${'y'.repeat(300)}\n` }));
    await page.waitForSelector('.card.command pre.output');
    await assertNoHorizontalOverflow();
    const wrapped = await page.evaluate(() => {
      const text = document.querySelector('.card.command pre.output')!.firstChild!;
      const content = text.textContent!;
      const firstLine = content.indexOf('\n');
      const words = Array.from(content.matchAll(/word\d+/g), (m) => ({ name: m[0], start: m.index, end: m.index + m[0].length }));
      // How many lines each span of the text is drawn on (helpers would not survive the trip into the page).
      const [wordLines, longLines, ...perWord] = [{ start: 0, end: firstLine }, { start: firstLine + 1, end: content.length - 1 }, ...words].map(({ start, end }) => {
        const range = document.createRange();
        range.setStart(text, start);
        range.setEnd(text, end);
        return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
      });
      return { wordLines: wordLines ?? 0, longLines: longLines ?? 0, split: words.filter((_, i) => perWord[i]! > 1).map((w) => w.name) };
    });
    assert.ok(wrapped.wordLines > 2, `the words wrap over several lines (${wrapped.wordLines})`);
    assert.deepEqual(wrapped.split, [], 'no word is cut at a line end');
    assert.ok(wrapped.longLines > 2, `a line without spaces is cut to fit (${wrapped.longLines})`);
  });

  it('collapses a long output to its last lines behind Show more, which the keyboard expands and collapses', async () => {
    const output = lines(50);
    await complete(command('c2', 'npm test', { aggregatedOutput: output }));
    const toggle = page.locator('.card.command button.output-toggle');
    await toggle.waitFor();
    const pre = page.locator('.card.command pre.output');
    const collapsedText = await pre.textContent();
    assert.equal(collapsedText, lines(50).split('\n').slice(30).join('\n'), 'the last 20 lines show');
    assert.equal(await page.textContent('.card.command .output-note'), 'Last 20 of 50 lines');
    assert.equal(await toggle.textContent(), 'Show more');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await toggle.getAttribute('aria-controls'), await pre.getAttribute('id'));
    await assertNoHorizontalOverflow();

    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.card.command button.output-toggle')?.getAttribute('aria-expanded') === 'true');
    assert.equal(await pre.textContent(), output);
    assert.equal(await toggle.textContent(), 'Show less');
    assert.equal(await page.locator('.card.command .output-note').isVisible(), false, 'no note: the whole output shows');
    assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('output-toggle')), 'the focus stays on the button');

    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('.card.command button.output-toggle')?.getAttribute('aria-expanded') === 'false');
    assert.equal(await pre.textContent(), collapsedText);
    assert.equal(await toggle.textContent(), 'Show more');
  });

  it('collapses a few very long lines by size, leaves a short output alone, and keeps an expanded output expanded as it streams', async () => {
    await complete(command('c3', 'cat big.json', { aggregatedOutput: `${'{"k":"v"},'.repeat(400)}\n` }));
    await complete(command('c4', 'ls', { aggregatedOutput: lines(5, 'file') }));
    const big = page.locator('.card.command', { hasText: 'cat big.json' });
    await big.locator('button.output-toggle').waitFor();
    const [shown, total] = await page.evaluate(() => [(2000).toLocaleString(), (4001).toLocaleString()]);
    assert.equal(await big.locator('.output-note').textContent(), `Last ${shown} of ${total} characters`);
    assert.equal((await big.locator('pre.output').textContent())!.length, 2000);
    const small = page.locator('.card.command', { hasText: 'ls' });
    assert.equal(await small.locator('pre.output').textContent(), lines(5, 'file'));
    assert.equal(await small.locator('button.output-toggle').isVisible(), false, 'a short output has no Show more');
    assert.equal(await small.locator('.output-note').isVisible(), false);

    const running = command('c5', 'npm run build', { status: 'inProgress', exitCode: null, durationMs: null });
    await push('item/started', { threadId, turnId: 't2', item: running });
    await push('item/commandExecution/outputDelta', { threadId, turnId: 't2', itemId: 'c5', delta: lines(30, 'step') });
    const card = page.locator('.card.command', { hasText: 'npm run build' });
    await card.locator('button.output-toggle').click();
    await card.locator('button.output-toggle[aria-expanded="true"]').waitFor();
    await push('item/commandExecution/outputDelta', { threadId, turnId: 't2', itemId: 'c5', delta: 'step 31\n' });
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.card.command pre.output')).some((p) => p.textContent?.endsWith('step 31\n')));
    assert.equal(await card.locator('pre.output').textContent(), `${lines(30, 'step')}step 31\n`, 'still the whole output');
    assert.equal(await card.locator('button.output-toggle').getAttribute('aria-expanded'), 'true');
  });

  it('renders a reasoning summary as markdown, through the same sanitising path as agent messages', async () => {
    const summary = '**Plan** first\n\n- read `package.json`\n- run the tests\n\n<img src=x onerror="window.__pwned=1"> [x](javascript:alert(1))';
    await complete({ type: 'reasoning', id: 'r1', summary: [summary], content: [] });
    await page.click('.reasoning summary');
    const text = page.locator('.reasoning .reasoning-text');
    await text.locator('strong').waitFor();
    assert.equal(await text.locator('strong').textContent(), 'Plan');
    assert.deepEqual(await text.locator('li').allTextContents(), ['read package.json', 'run the tests']);
    assert.equal(await text.locator('code').textContent(), 'package.json');
    assert.equal(await text.locator('img').count(), 0, 'raw HTML is text, not markup');
    assert.match((await text.textContent())!, /<img src=x onerror/);
    assert.equal(await text.locator('a').count(), 0, 'javascript: is not a link');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    await assertNoHorizontalOverflow();
  });
});
