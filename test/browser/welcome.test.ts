// The first-run welcome in the built chat webview: shown while the host says there are no credentials,
// with the three paths; a local model the host found is one click; when the host's state says the
// provider is ready (a sign-in, a config edit), the welcome goes and the composer enables — no reload.
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { chatBrowser } from '../support/chatBrowser';

const base = { activeThreadId: null, workspaceName: 'demo', workspaceRoots: ['/w'], notice: null, pendingApprovals: [] };
const signedOut = (welcome: unknown) => ({ kind: 'state', state: { ...base, composerDisabledReason: 'Sign in or choose a local model to send.', welcome } });

describe('browser: first-run welcome', function () {
  this.timeout(30_000);
  let page: Page;

  const chat = chatBrowser(null);
  beforeEach(async () => {
    page = await chat.newPage();
    await page.goto(chat.url);
    await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
  });
  afterEach(() => page.close());

  const hostPost = (data: unknown) => page.evaluate((d) => (window as unknown as { __hostPost(d: unknown): void }).__hostPost(d), data);
  const welcomes = () => page.evaluate(() => (window as unknown as { __posted: Array<{ kind: string }> }).__posted.filter((m) => m.kind === 'welcome'));

  it('is hidden while the provider has what it needs', async () => {
    assert.equal(await page.isVisible('.welcome'), false);
  });

  it('offers the three paths and says how to start a local server when none answered', async () => {
    await hostPost(signedOut({ detecting: true, localServers: [] }));
    await page.waitForSelector('.welcome:not([hidden])');
    assert.match((await page.textContent('.welcome-local'))!, /Looking for Ollama and LM Studio/);
    await hostPost(signedOut({ detecting: false, localServers: [] }));
    await page.waitForSelector('text=No local model server answered');
    assert.deepEqual(await page.$$eval('.welcome-choice .label', (nodes) => nodes.map((n) => n.textContent)), ['Sign in with ChatGPT', 'Use an API key', 'Look again']);
    assert.equal(await page.isDisabled('textarea'), true);
    await page.click('text=Sign in with ChatGPT');
    await page.click('text=Use an API key');
    await page.click('button:has-text("Look again")');
    assert.deepEqual(await welcomes(), [
      { kind: 'welcome', action: 'signInWithChatGpt' },
      { kind: 'welcome', action: 'signInWithApiKey' },
      { kind: 'welcome', action: 'detectLocalModels' },
    ]);
  });

  it('lists the models local servers serve, as text, and picks one', async () => {
    const many = Array.from({ length: 10 }, (_, i) => `model-${i}`);
    await hostPost(signedOut({ detecting: false, localServers: [
      { provider: 'ollama', name: 'Ollama', models: ['<img src=x onerror="window.__pwned=1">', 'qwen3:8b'] },
      { provider: 'lmstudio', name: 'LM Studio', models: many },
    ] }));
    await page.waitForSelector('text=qwen3:8b');
    assert.equal(await page.$('.welcome img'), null);
    assert.match((await page.textContent('.welcome'))!, /Ollama serves:.*LM Studio serves:.*All 10 models…/);
    await page.click('text=qwen3:8b');
    await page.click('text=All 10 models…');
    assert.deepEqual(await welcomes(), [
      { kind: 'welcome', action: 'useLocalModel', provider: 'ollama', model: 'qwen3:8b' },
      { kind: 'welcome', action: 'useLocalModel' },
    ]);
  });

  it('goes away and enables the composer when the host says the provider is ready', async () => {
    await hostPost(signedOut({ detecting: false, localServers: [] }));
    await page.waitForSelector('.welcome:not([hidden])');
    await hostPost({ kind: 'state', state: { ...base, composerDisabledReason: null, welcome: null } });
    await page.waitForSelector('.welcome', { state: 'hidden' });
    await page.waitForFunction(() => !(document.querySelector('textarea') as HTMLTextAreaElement).disabled);
  });
});
