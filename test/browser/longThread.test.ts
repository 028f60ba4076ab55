// A long thread in the virtualised conversation: it opens at its end with only the rows on screen built, the
// rows around them follow while the page is idle, and scrolling up with the wheel or the keyboard shows the
// older items without gaps and without moving what is on screen. Code in a language not highlighted yet
// shows plain at first and is highlighted once the page is idle.
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { chatBrowser } from '../support/chatBrowser';

const ITEMS = 2000;
/** Messages of varied heights: every fifth answer is long, every seventh has a TypeScript block. */
function items(): unknown[] {
  return Array.from({ length: ITEMS }, (_, i) => {
    if (i % 2 === 0) return { type: 'userMessage', id: `u${i}`, clientId: null, content: [{ type: 'text', text: `question ${i}` }] };
    const long = i % 5 === 0 ? `\n\n${'A longer paragraph that wraps over several lines in the sidebar. '.repeat(6)}` : '';
    const code = i % 7 === 0 ? `\n\n\`\`\`ts\nconst answer${i}: number = ${i};\n\`\`\`` : '';
    return { type: 'agentMessage', id: `a${i}`, phase: null, text: `answer **${i}**${long}${code}` };
  });
}
const thread = {
  id: 't1', sessionId: 't1', forkedFromId: null, parentThreadId: null, preview: 'long', ephemeral: false, model: 'm', modelProvider: 'p',
  reasoningEffort: null, createdAt: 0, updatedAt: 1_700_000_000, recencyAt: null, status: { type: 'idle' }, path: null, cwd: '/w', cliVersion: '0',
  originator: 'o', source: 'vscode', threadSource: null, agentNickname: null, agentRole: null, gitInfo: null, name: 'Long', projectId: null,
  turns: [{ id: 'turn0', itemsView: 'full', status: 'completed', error: null, startedAt: 1, completedAt: 2, durationMs: 5, items: items() }],
};

/** What the page showed when the conversation's first rows went in, before anything else ran. */
interface FirstScreen {
  rows: number;
  lastText: string;
  codeHighlighted: boolean | null;
}

describe('browser: a long thread in the virtualised conversation', function () {
  this.timeout(30_000);
  const chat = chatBrowser(thread, { threadFromServer: true });
  let page: Page;
  afterEach(() => page?.close());

  async function open(): Promise<void> {
    page = await chat.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(() => {
      new MutationObserver((_records, observer) => {
        const rows = document.querySelectorAll('.row');
        if (rows.length === 0) return;
        observer.disconnect();
        const code = document.querySelector('.row .code-block code');
        (window as unknown as { __firstScreen: FirstScreen }).__firstScreen = {
          rows: rows.length,
          lastText: rows[rows.length - 1]!.textContent ?? '',
          codeHighlighted: code ? code.querySelector('span') !== null : null,
        };
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(chat.url);
    await page.waitForFunction(() => document.querySelector('.row:last-child')?.textContent?.includes(`answer 1999`));
    assert.deepEqual(errors, []);
  }
  const firstScreen = () => page.evaluate(() => (window as unknown as { __firstScreen: FirstScreen }).__firstScreen);
  const rowCount = () => page.$$eval('.row', (rows) => rows.length);
  const frames = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  /** The text of the rows at the top, middle and bottom of the conversation's box: null where no row is. */
  const shownAt = () =>
    page.evaluate(() => {
      const box = document.querySelector('.messages')!.getBoundingClientRect();
      return [box.top + 12, (box.top + box.bottom) / 2, box.bottom - 12].map((y) => document.elementFromPoint(box.left + box.width / 2, y)?.closest('.row')?.textContent ?? null);
    });

  it('opens at its end with only the rows on screen, then builds the rows around them while idle', async () => {
    await open();
    const first = await firstScreen();
    assert.match(first.lastText, /answer 1999/, 'the end of the thread comes first');
    assert.ok(first.rows >= 3 && first.rows <= 15, `only the rows on screen are built first (${first.rows})`);
    // The rows above the screen, which scrolling up needs next, follow without anything asking for them.
    await page.waitForFunction((n) => document.querySelectorAll('.row').length > n + 5, first.rows);
    const above = await page.evaluate(() => {
      const box = document.querySelector('.messages')!.getBoundingClientRect();
      return Array.from(document.querySelectorAll('.row')).filter((row) => row.getBoundingClientRect().bottom < box.top).length;
    });
    assert.ok(above > 3, `rows above the screen are ready (${above})`);
    assert.ok((await rowCount()) < 120, 'still only the rows near the screen');
    const atEnd = await page.$eval('.messages', (m) => m.scrollHeight - m.scrollTop - m.clientHeight <= 1);
    assert.ok(atEnd, 'the conversation stays at its end');
  });

  it('shows older items without gaps as the wheel scrolls up, and keeps what is on screen in place', async () => {
    await open();
    const box = (await page.$('.messages'))!;
    const { x, y, width, height } = (await box.boundingBox())!;
    await page.mouse.move(x + width / 2, y + height / 2);
    let previousTop = '';
    for (let step = 0; step < 8; step++) {
      await page.mouse.wheel(0, -700);
      await frames();
      const shown = await shownAt();
      assert.ok(shown.every((text) => text !== null), `step ${step}: rows cover the screen (${JSON.stringify(shown)})`);
      assert.notEqual(shown[0], previousTop, `step ${step}: the wheel moved the conversation`);
      previousTop = shown[0]!;
      // Once idle, the rows built above the screen do not move what the user is reading.
      await page.waitForTimeout(150);
      assert.deepEqual(await shownAt(), shown, `step ${step}: the screen stays put while rows are built around it`);
    }
    const numbers = (await shownAt()).map((text) => Number(/(?:question|answer) (\d+)/.exec(text!)![1]));
    assert.ok(numbers[0]! < 1990, `older items are on screen (${numbers.join(', ')})`);
  });

  it('scrolls up a page at a time and to the start with the keyboard', async () => {
    await open();
    await page.focus('.messages');
    const before = await shownAt();
    await page.keyboard.press('PageUp');
    await page.waitForTimeout(300);
    await page.keyboard.press('PageUp');
    await page.waitForTimeout(300);
    const after = await shownAt();
    assert.ok(after.every((text) => text !== null), `rows cover the screen after Page Up (${JSON.stringify(after)})`);
    assert.ok(!after.includes(before[2]!), `Page Up left the end of the conversation (${JSON.stringify(before)} → ${JSON.stringify(after)})`);
    await page.keyboard.press('Home');
    await page.waitForFunction(() => document.querySelector('.row')?.textContent === 'question 0');
    await frames();
    assert.equal((await shownAt())[0], 'question 0');
    assert.ok((await rowCount()) < 120);
  });

  it('shows code in a language not used yet plain as the thread opens, and highlights it once idle', async () => {
    await open();
    assert.equal((await firstScreen()).codeHighlighted, false, 'the first screen does not wait for the grammar');
    await page.waitForSelector('.row .code-block code .hljs-keyword');
    const code = await page.$$eval('.row .code-block code', (blocks) => blocks.map((b) => ({ text: b.textContent, spans: b.querySelectorAll('span').length })));
    assert.ok(code.length > 0 && code.every((b) => b.spans > 0), 'every block shown is highlighted');
    assert.ok(code.every((b) => /^const answer\d+: number = \d+;\n$/.test(b.text ?? '')), 'the code reads as written');
  });
});
