// The model, effort and mode pickers under the composer, and the header that says the same in plain words.
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { chatBrowser, pushNotification } from '../support/chatBrowser';

const threadId = 't1';
const thread = { id: threadId, name: 'Demo', status: { type: 'idle' }, turns: [] };

type Posted = { kind: string; method?: string; params?: Record<string, unknown>; defaults?: unknown };

describe('browser: chat pickers', function () {
  this.timeout(30_000);
  let page: Page;

  const chat = chatBrowser(thread);
  afterEach(() => page?.close());

  async function open(init?: () => void): Promise<void> {
    page = await chat.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    if (init) await page.addInitScript(init);
    await page.goto(chat.url);
    await page.waitForSelector('.model-picker option', { state: 'attached' });
    await page.waitForFunction(() => document.querySelector('.thread-settings')?.textContent !== '');
    assert.deepEqual(errors, []);
  }
  const posted = () => page.evaluate(() => (window as unknown as { __posted: Posted[] }).__posted);
  const push = (method: string, params: unknown) => pushNotification(page, method, params);
  const options = (selector: string) => page.$$eval(`${selector} option`, (nodes) => nodes.map((n) => n.textContent));
  async function send(text: string): Promise<Record<string, unknown>> {
    const before = (await posted()).filter((m) => m.method === 'turn/start').length;
    await page.fill('textarea', text);
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => (window as unknown as { __posted: Posted[] }).__posted.filter((m) => m.method === 'turn/start').length > n, before);
    return (await posted()).filter((m) => m.method === 'turn/start').at(-1)!.params!;
  }

  it('shows the thread’s model, effort and mode, in plain words in the header too', async () => {
    await open();
    assert.equal(await page.textContent('.thread-settings'), 'gpt-5.5 · Review changes');
    assert.deepEqual(await options('.model-picker'), ['GPT-5.5', 'Mini']);
    assert.equal(await page.inputValue('.model-picker'), 'gpt-5.5');
    assert.deepEqual(await options('.effort-picker'), ['Default effort (medium)', 'low effort', 'medium effort', 'high effort']);
    assert.deepEqual(await options('.mode-picker'), ['Read only', 'Review changes', 'Auto', 'Full access']);
    assert.equal(await page.inputValue('.mode-picker'), 'review');
  });

  it('applies a choice to the next turn only, as turn/start overrides; the header follows the server', async () => {
    await open();
    await page.selectOption('.model-picker', 'mini');
    await page.selectOption('.effort-picker', 'low');
    await page.selectOption('.mode-picker', 'auto');
    const params = await send('go');
    assert.deepEqual(params, {
      threadId,
      input: [{ type: 'text', text: 'go' }],
      model: 'mini',
      effort: 'low',
      approvalPolicy: 'on-request',
      permissions: ':workspace',
      reviewFileChanges: false,
    });
    await push('thread/settings/updated', { threadId, threadSettings: { model: 'mini', effort: 'low', approvalPolicy: 'on-request', sandboxPolicy: { type: 'workspaceWrite' }, reviewFileChanges: false } });
    await page.waitForFunction(() => document.querySelector('.thread-settings')?.textContent === 'mini · low effort · Auto');
    assert.equal(await page.inputValue('.mode-picker'), 'auto');
    // Nothing chosen since: the next turn sends no overrides.
    const next = await send('again');
    assert.deepEqual(next, { threadId, input: [{ type: 'text', text: 'again' }] });
  });

  it('drops an effort the new model does not support', async () => {
    await open();
    await page.selectOption('.effort-picker', 'high');
    await page.selectOption('.model-picker', 'mini');
    assert.deepEqual(await options('.effort-picker'), ['Default effort (low)', 'low effort']);
    assert.equal(await page.inputValue('.effort-picker'), '');
  });

  it('asks the host before Full access, and keeps the mode when the warning is declined', async () => {
    await open();
    await page.selectOption('.mode-picker', 'fullAccess');
    await page.waitForFunction(() => (window as unknown as { __posted: Posted[] }).__posted.some((m) => m.kind === 'confirmFullAccess'));
    await page.waitForFunction(() => (document.querySelector('.mode-picker') as HTMLSelectElement).value === 'review');
    assert.deepEqual(await send('x'), { threadId, input: [{ type: 'text', text: 'x' }] });
  });

  it('sends Full access once the warning is accepted', async () => {
    await open(() => Object.assign(window, { __fullAccess: true }));
    await page.selectOption('.mode-picker', 'fullAccess');
    await page.waitForFunction(() => (document.querySelector('.mode-picker') as HTMLSelectElement).value === 'fullAccess');
    const params = await send('do it');
    assert.equal(params.approvalPolicy, 'never');
    assert.equal(params.permissions, ':danger-full-access');
  });

  it('saves what the pickers show with Set as default', async () => {
    await open();
    await page.selectOption('.mode-picker', 'readOnly');
    await page.click('button.save-defaults');
    await page.waitForSelector('.picker-status:text("Saved")');
    const save = (await posted()).find((m) => m.kind === 'saveDefaults')!;
    assert.deepEqual(save.defaults, { model: 'gpt-5.5', effort: null, mode: 'readOnly' });
  });

  it('offers only Read only in an untrusted folder, and sends no mode', async () => {
    await open(() => Object.assign(window, { __restricted: true }));
    assert.deepEqual(await options('.mode-picker'), ['Read only']);
    assert.equal(await page.isDisabled('.mode-picker'), true);
    assert.deepEqual(await send('look'), { threadId, input: [{ type: 'text', text: 'look' }] });
  });

  it('says a combination that is no mode in plain words', async () => {
    await open();
    await push('thread/settings/updated', { threadId, threadSettings: { model: 'gpt-5.5', effort: null, approvalPolicy: 'untrusted', sandboxPolicy: { type: 'workspaceWrite' } } });
    await page.waitForFunction(() => document.querySelector('.thread-settings')?.textContent === 'gpt-5.5 · Writes in the workspace, asks before every command and change');
    assert.equal(await page.inputValue('.mode-picker'), '');
    assert.equal((await options('.mode-picker'))[0], 'Writes in the workspace, asks before every command and change');
  });
});
