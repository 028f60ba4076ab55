// The chat in another display language: the host writes VS Code's bundle into the page (the harness writes
// it with the host's own writer) and the built webview says its words from it, arguments filled in, from
// its first frame. Without a bundle it speaks English, which every other browser test checks.
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { chatBrowser } from '../support/chatBrowser';

/** A pseudo-translation, as VS Code's "qps-ploc" language would give: every word still recognisable, none English. */
const PSEUDO = {
  'Ask Tandem… (Enter to send, Shift+Enter for a new line)': 'Àšķ Ţàñðéɱ… (Éñţéŕ ţö šéñð)',
  Send: 'Šéñð',
  'Set as default': 'Šéţ àš ðéƒàûľţ',
  'Review changes': 'Ŕéṽîéŵ çĥàñĝéš',
  '{0} files changed': '{0} ƒîľéš çĥàñĝéð',
  // A translation is text, never markup: this must neither end the page's data block nor run.
  Stop: '</script><script>window.__pwned = 1</script>Šţöþ',
};

const threadId = 't1';
const change = (path: string) => ({ path, kind: { type: 'add' }, diff: 'x\n' });
const thread = {
  id: threadId, sessionId: threadId, forkedFromId: null, parentThreadId: null, preview: 'demo', ephemeral: false, model: 'm', modelProvider: 'p',
  reasoningEffort: null, createdAt: 0, updatedAt: 1_700_000_000, recencyAt: null, status: { type: 'idle' }, path: null, cwd: '/w', cliVersion: '0',
  originator: 'o', source: 'vscode', threadSource: null, agentNickname: null, agentRole: null, gitInfo: null, name: 'Demo thread', projectId: null,
  turns: [{
    id: 'turn0', itemsView: 'full', status: 'completed', error: null, startedAt: 1, completedAt: 2, durationMs: 5,
    items: [{ type: 'fileChange', id: 'f1', status: 'completed', changes: [change('/w/a.ts'), change('/w/b.ts')] }],
  }],
};

describe('browser: the chat in the display language', function () {
  this.timeout(30_000);
  let page: Page;
  const errors: string[] = [];

  const chat = chatBrowser(thread, { translations: PSEUDO });
  beforeEach(async () => {
    errors.length = 0;
    page = await chat.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(chat.url);
    await page.waitForSelector('.card.file-change');
  });
  afterEach(() => page.close());

  it('shows the translated composer, buttons and mode, and fills a translation\'s arguments', async () => {
    assert.equal(await page.getAttribute('textarea', 'placeholder'), PSEUDO['Ask Tandem… (Enter to send, Shift+Enter for a new line)']);
    assert.equal(await page.textContent('button.send .label'), 'Šéñð');
    assert.equal(await page.textContent('button.save-defaults'), 'Šéţ àš ðéƒàûľţ');
    await page.waitForFunction(() => (document.querySelector('.mode-picker') as HTMLSelectElement | null)?.selectedOptions[0]?.textContent === 'Ŕéṽîéŵ çĥàñĝéš');
    assert.equal(await page.textContent('.card.file-change .card-title'), '2 ƒîľéš çĥàñĝéð');
    // Words the bundle does not translate stay English rather than going missing.
    assert.equal(await page.textContent('.card.file-change .badge'), 'completed');
    assert.deepEqual(errors, []);
  });

  it('shows a translation as text: markup in it never ends the page\'s data block nor runs', async () => {
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.$eval('button.stop .label', (label) => label.textContent), PSEUDO.Stop);
    assert.deepEqual(errors, []);
  });
});
