// The composer and the conversation around it, in headless Chromium: the draft outlives a reload (the
// webview's state), Esc stops a running turn, a failed turn stays as an entry with Retry, and code reads
// at 4.5:1 or better in the high-contrast themes.
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { chatBrowser, pushNotification } from '../support/chatBrowser';
import { sampleContrast, sampleTexts } from '../support/contrast';

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
        { type: 'agentMessage', id: 'a0', text: 'first answer', phase: null },
      ],
    },
  ],
};

type Posted = Array<{ kind: string; method?: string; params?: { input?: unknown; turnId?: string } }>;
const turn = (id: string, status: string, error: unknown = null) => ({ id, items: [], itemsView: 'notLoaded', status, error, startedAt: 3, completedAt: null, durationMs: null });
const userMessage = (id: string, text: string) => ({ type: 'userMessage', id, clientId: null, content: [{ type: 'text', text }] });

describe('browser: composer, failed turns and high contrast', function () {
  this.timeout(30_000);
  let page: Page;

  const chat = chatBrowser(baseThread);
  beforeEach(async () => {
    page = await chat.newPage();
    await page.goto(chat.url);
    await page.waitForSelector('.message.agent');
  });
  afterEach(() => page.close());

  const push = (method: string, params: unknown) => pushNotification(page, method, params);
  const posted = () => page.evaluate(() => (window as unknown as { __posted: Posted }).__posted);
  const waitForPosted = (method: string, count = 1) =>
    page.waitForFunction(([m, n]) => (window as unknown as { __posted: Posted }).__posted.filter((p) => p.method === m).length >= n, [method, count] as const);

  it('keeps the unsent draft across a reload, and forgets it once sent', async () => {
    await page.fill('textarea', 'half a thought');
    await page.reload();
    await page.waitForSelector('.message.agent');
    assert.equal(await page.inputValue('textarea'), 'half a thought');
    await page.focus('textarea');
    await page.keyboard.press('Enter');
    await waitForPosted('turn/start');
    await page.reload();
    await page.waitForSelector('.message.agent');
    assert.equal(await page.inputValue('textarea'), '');
  });

  it('stops the running turn with Esc in the composer, and does nothing when none runs', async () => {
    await page.focus('textarea');
    await page.keyboard.press('Escape');
    await push('turn/started', { threadId, turn: turn('turn1', 'inProgress') });
    await page.waitForSelector('button.stop:not([hidden])');
    assert.equal((await posted()).some((m) => m.method === 'turn/interrupt'), false);
    await page.focus('textarea');
    await page.keyboard.press('Escape');
    await waitForPosted('turn/interrupt');
    assert.deepEqual((await posted()).find((m) => m.method === 'turn/interrupt')!.params, { threadId, turnId: 'turn1' });
  });

  it('keeps a failed turn as an entry with Retry, which sends its request again, after later turns', async () => {
    await push('turn/started', { threadId, turn: turn('turn1', 'inProgress') });
    await push('item/started', { threadId, turnId: 'turn1', item: userMessage('u1', 'fix the build') });
    await push('turn/completed', { threadId, turn: turn('turn1', 'failed', { message: 'usage limit reached', codexErrorInfo: null, additionalDetails: null }) });
    await page.waitForSelector('.turn-failed');
    assert.equal(await page.textContent('.turn-failed-text'), 'usage limit reached');
    await page.fill('textarea', 'my next draft');
    await page.click('.turn-failed button.retry');
    await waitForPosted('turn/start');
    assert.deepEqual((await posted()).find((m) => m.method === 'turn/start')!.params!.input, [{ type: 'text', text: 'fix the build' }]);
    assert.equal(await page.inputValue('textarea'), 'my next draft', 'Retry leaves the draft alone');

    await push('turn/started', { threadId, turn: turn('turn2', 'inProgress') });
    await push('item/completed', { threadId, turnId: 'turn2', item: userMessage('u2', 'fix the build') });
    await push('turn/completed', { threadId, turn: turn('turn2', 'completed') });
    await page.waitForFunction(() => document.querySelectorAll('.message.user').length === 3);
    assert.equal(await page.isVisible('.banner'), false, 'the banner goes with the next turn');
    assert.equal(await page.textContent('.turn-failed-text'), 'usage limit reached', 'the entry stays');
  });

  // VS Code's colours for the two high-contrast themes, and its default `code` rule that made inline code black on black.
  const themes = {
    'vscode-high-contrast': '--vscode-foreground:#ffffff; --vscode-sideBar-background:#000000; --vscode-editor-background:#000000; --vscode-editor-foreground:#ffffff; --vscode-textPreformat-foreground:#000000; --vscode-textPreformat-background:#ffffff; --vscode-textCodeBlock-background:#000000; --vscode-contrastBorder:#6fc3df;',
    'vscode-high-contrast-light': '--vscode-foreground:#292929; --vscode-sideBar-background:#ffffff; --vscode-editor-background:#ffffff; --vscode-editor-foreground:#292929; --vscode-textPreformat-foreground:#ffffff; --vscode-textPreformat-background:#09345f; --vscode-textCodeBlock-background:#f2f2f2; --vscode-contrastBorder:#0f4a85;',
  };
  for (const [bodyClass, variables] of Object.entries(themes)) {
    it(`reads inline code and code blocks at 4.5:1 or better in ${bodyClass}`, async () => {
      await page.evaluate(([cls, vars]) => {
        const defaults = document.createElement('style');
        defaults.textContent = 'code { color: var(--vscode-textPreformat-foreground); background-color: var(--vscode-textPreformat-background); }';
        document.head.prepend(defaults);
        const theme = document.createElement('style');
        theme.textContent = `:root { ${vars} }`;
        document.head.append(theme);
        document.body.classList.add(cls!);
      }, [bodyClass, variables] as const);
      const text = 'Run `npm test` first.\n\n```ts\n// check\nconst answer = "yes";\n```';
      await push('item/completed', { threadId, turnId: 'turn0', item: { type: 'agentMessage', id: 'md', text, phase: null } });
      // The highlighted tokens are sampled too: highlight.js comes in a script of its own.
      await page.waitForSelector('.code-block pre .hljs-string');
      const samples = await page.$$eval('.markdown p code, .code-block pre, .code-block pre *, .code-language', sampleTexts);
      assert.ok(samples.some((p) => p.text === 'npm test') && samples.some((p) => p.text === 'ts') && samples.length > 3, JSON.stringify(samples));
      for (const sample of samples) {
        const { ratio, color, background } = sampleContrast(sample);
        assert.ok(ratio >= 4.5, `${sample.text}: ${color} on ${background} (${ratio.toFixed(2)}:1)`);
      }
    });
  }
});
