// The chat's everyday controls in real VS Code (code-server 4.100.3 in Debian's Chromium), with the packaged
// .vsix and the fake Responses server: the model and effort pickers decide the next request; a draft and a
// failed turn outlive a view switch; every text of a conversation, code included, reads at 4.5:1 in High
// Contrast dark, measured in the webview (the README's Dark and HC dark screenshots of the sidebar come from
// there); and a provider switch in config.toml reaches the next thread without a window reload. One workbench serves the suite; the scenarios run in order.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { sampleContrast, sampleTexts, type TextSample } from '../support/contrast';
import { FakeModelServer, completed, functionCallEvents, reasoningEvents, textReply } from '../support/fakeModel';
import { fakeModelConfig } from '../support/tempHome';
import { chooseColorTheme, keepScreenshot, openChat, openWorkbench, runCommand, screenshotOnFailure, type Workbench } from './support/codeServer';

/** No retries: a refused request fails its turn at once. */
const NO_RETRIES = { stream_max_retries: 0, request_max_retries: 0 };
/** The workspace's package.json, whose scripts the model reads in the conversation the screenshots show. */
const PACKAGE_JSON = JSON.stringify({ name: 'demo', private: true, scripts: { test: 'mocha', 'test:browser': 'mocha test/browser', 'test:e2e': 'mocha test/e2e' } }, null, 2);
const SCRIPTS_COMMAND = `sed -n '/"scripts"/,/}/p' package.json`;

/**
 * Runs in the webview: marks each element that shows text of its own (not only its children's) and is
 * rendered, and each drop-down (its options are not elements on screen), so sampleTexts can measure them.
 */
function markShownTexts(nodes: Element[]): number {
  let marked = 0;
  for (const node of nodes) {
    const ownText = Array.from(node.childNodes).some((child) => child.nodeType === Node.TEXT_NODE && (child.textContent ?? '').trim() !== '');
    if ((ownText || node.tagName === 'SELECT') && node.checkVisibility({ opacityProperty: true, visibilityProperty: true })) {
      node.setAttribute('data-measured', '');
      marked++;
    }
  }
  return marked;
}

/** Runs in the webview: an empty text field's placeholder, as a sample like sampleTexts makes. */
function samplePlaceholders(nodes: Element[]): TextSample[] {
  return (nodes as HTMLTextAreaElement[])
    .filter((node) => node.value === '' && node.placeholder !== '')
    .map((node) => {
      const backgrounds: string[] = [];
      for (let at: Element | null = node; at; at = at.parentElement) backgrounds.push(getComputedStyle(at).backgroundColor);
      return { text: node.placeholder, color: getComputedStyle(node, '::placeholder').color, backgrounds };
    });
}

describe('e2e: the chat’s pickers, draft, failed turns, High Contrast and provider switch (code-server)', function () {
  this.timeout(180_000);
  let model: FakeModelServer;
  let second: FakeModelServer;
  let bench: Workbench;
  let chat: FrameLocator;

  before(async function () {
    this.timeout(600_000);
    model = await new FakeModelServer().start();
    // A model Tandem knows (with reasoning efforts) next to the configured one.
    model.models = ['test-model', 'gpt-5.5'];
    second = await new FakeModelServer().start();
    second.models = ['second-model'];
    bench = await openWorkbench({ config: fakeModelConfig(model.baseUrl, { provider: NO_RETRIES }), readyStatus: 'test-model', files: { 'package.json': `${PACKAGE_JSON}\n` } });
    chat = await openChat(bench.page);
  });
  after(async () => {
    await bench?.close();
    await model?.stop();
    await second?.stop();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshotOnFailure(bench?.page, this.currentTest.fullTitle());
  });

  const send = async (text: string) => {
    await chat.locator('textarea').fill(text);
    await chat.locator('textarea').press('Enter');
    await chat.locator('.message.user', { hasText: text }).first().waitFor();
  };
  const turnDone = () => chat.locator('button.stop').waitFor({ state: 'hidden' });
  /** Every text the chat shows now, measured where it is drawn. */
  const shownTexts = async () => {
    await chat.locator('[data-measured]').evaluateAll((nodes) => nodes.forEach((node) => node.removeAttribute('data-measured')));
    assert.ok((await chat.locator('body *').evaluateAll(markShownTexts)) > 0, 'the chat shows text');
    return chat.locator('[data-measured]').evaluateAll(sampleTexts);
  };
  const newThread = async () => {
    await runCommand(bench.page, 'Tandem: New Thread');
    await chat.locator('.thread-title', { hasText: 'New thread' }).waitFor();
  };
  /** The sidebar shows the Explorer, then Tandem again: the chat's webview is rebuilt from its saved state. */
  const switchViewAndBack = async () => {
    await runCommand(bench.page, 'View: Show Explorer');
    await bench.page.locator('.part.sidebar .composite.title', { hasText: 'Explorer' }).waitFor();
    chat = await openChat(bench.page);
  };

  it('sends the next request with the model and effort picked under the composer', async () => {
    const modelPicker = chat.locator('select.model-picker');
    await modelPicker.locator('option[value="gpt-5.5"]').waitFor({ state: 'attached' });
    assert.equal(await modelPicker.inputValue(), 'test-model', 'the configured model is picked first');
    await modelPicker.selectOption('gpt-5.5');
    const effortPicker = chat.locator('select.effort-picker');
    await effortPicker.locator('option[value="high"]').waitFor({ state: 'attached' });
    await effortPicker.selectOption('high');
    model.enqueue(textReply('Answered by the picked model.'));
    await send('Which model are you?');
    await chat.locator('.message.agent', { hasText: 'Answered by the picked model.' }).waitFor();
    await turnDone();
    const request = model.lastTurnRequest().body as { model: string; reasoning: { effort?: string } | null };
    assert.equal(request.model, 'gpt-5.5');
    assert.equal(request.reasoning?.effort, 'high');
    await chat.locator('.thread-settings', { hasText: 'gpt-5.5 · high effort' }).waitFor();
    assert.equal(await modelPicker.inputValue(), 'gpt-5.5', 'the thread now runs with it');

    // The thread keeps the choice for its next turn.
    model.enqueue(textReply('Still the picked model.'));
    await send('And now?');
    await chat.locator('.message.agent', { hasText: 'Still the picked model.' }).waitFor();
    await turnDone();
    assert.equal((model.lastTurnRequest().body as { model: string }).model, 'gpt-5.5');
  });

  it('keeps a draft across a view switch, and a failed turn as an entry with Retry after later turns', async () => {
    await chat.locator('textarea').fill('a half-written thought');
    await switchViewAndBack();
    await chat.locator('.message.user', { hasText: 'And now?' }).waitFor();
    assert.equal(await chat.locator('textarea').inputValue(), 'a half-written thought', 'the draft is still there');

    model.enqueue({ status: 400, body: { error: { message: 'the fake model refuses this request', type: 'invalid_request_error' } } });
    const requests = model.turnRequests.length;
    await send('Please fail');
    const failed = chat.locator('.turn-failed');
    await failed.waitFor();
    assert.match(await failed.locator('.turn-failed-text').innerText(), /the fake model refuses this request/);
    assert.equal(model.turnRequests.length, requests + 1, 'no retry');
    await turnDone();

    model.enqueue(textReply('This one worked.'));
    await send('Try something else');
    await chat.locator('.message.agent', { hasText: 'This one worked.' }).waitFor();
    await turnDone();
    assert.equal(await failed.count(), 1, 'the failed turn stays in the conversation');
    assert.ok(await failed.locator('button.retry').isVisible());

    // Retry sends the failed request again; the entry still stays, also once the webview is rebuilt.
    model.enqueue(textReply('Retried and done.'));
    await failed.locator('button.retry').click();
    await chat.locator('.message.agent', { hasText: 'Retried and done.' }).waitFor();
    await turnDone();
    const retried = model.lastTurnRequest().body.input as Array<{ role?: string; content?: Array<{ text?: string }> }>;
    assert.equal(retried.filter((i) => i.role === 'user').at(-1)?.content?.[0]?.text, 'Please fail');
    await switchViewAndBack();
    await chat.locator('.message.agent', { hasText: 'Retried and done.' }).waitFor();
    assert.equal(await chat.locator('.turn-failed').count(), 1, 'the failed turn is still shown after the view switch');
  });

  it('reads every text of a conversation at 4.5:1 or better in High Contrast dark, inline code and code blocks included', async () => {
    await newThread();
    // A conversation as the README shows it: a question, the model's reasoning, a command it ran, its answer.
    const reply = [
      'Run `npm test` from the repository root:',
      '```sh\nnpm ci\nnpm test -- --grep "chat"\n```',
      '| Suite | Needs |\n| --- | --- |\n| browser | Chromium |\n| e2e | code-server |',
      'The **browser tests** need Chromium.',
    ].join('\n\n');
    model.enqueue(
      { events: [{ type: 'response.created', response: {} }, ...reasoningEvents('Look at the **test** scripts in `package.json`.'), ...functionCallEvents('exec_command', { cmd: SCRIPTS_COMMAND }, 'call-scripts', { outputIndex: 1 }), completed()] },
      textReply(reply),
    );
    await send('How do I run the tests?');
    await chat.locator('.card.command .badge.ok', { hasText: 'exit 0' }).waitFor();
    await chat.locator('.code-block pre', { hasText: 'npm ci' }).waitFor();
    // highlight.js comes in a script of its own, which the page loads with its nonce from beside its own.
    await chat.locator('.code-block pre .hljs-string', { hasText: '"chat"' }).waitFor();
    await turnDone();
    assert.match(await chat.locator('.card.command pre.output').innerText(), /"test:e2e": "mocha test\/e2e"/, 'the command ran and its output shows');
    await chat.locator('.reasoning summary').click();
    await chat.locator('.reasoning-text code', { hasText: 'package.json' }).waitFor();

    // The sidebar is narrow; nothing in the chat scrolls sideways but code and tables, in their own boxes.
    const sidebar = bench.page.locator('.part.sidebar');
    const width = (await sidebar.boundingBox())!.width;
    assert.ok(width <= 320, `the sidebar is ${width} px wide`);
    const overflow = await chat.locator('body').evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
    assert.ok(overflow.page <= overflow.view, `the chat is ${overflow.page} px wide in ${overflow.view} px`);

    await chooseColorTheme(bench.page, 'Dark Modern');
    await chat.locator('body.vscode-dark').waitFor({ state: 'attached' });
    await keepScreenshot(bench.page, 'chat-dark', sidebar);

    await chooseColorTheme(bench.page, 'Dark High Contrast');
    await chat.locator('body.vscode-high-contrast').waitFor({ state: 'attached' });
    const samples = [...(await shownTexts()), ...(await chat.locator('textarea').evaluateAll(samplePlaceholders))];
    const texts = samples.map((s) => s.text);
    const expected = ['npm test', 'sh', 'Chromium', 'How do I run the tests?', 'Thinking', 'package.json', 'exit 0', 'Copy', 'Send', 'Set as default'];
    for (const text of expected) assert.ok(texts.includes(text), `"${text}" was measured (${JSON.stringify(texts)})`);
    for (const start of ['npm ci', 'Run npm test', '"scripts"', '$ ', 'Ask Tandem']) assert.ok(texts.some((t) => t.startsWith(start)), `a text starting "${start}" was measured`);
    for (const sample of samples) {
      const { ratio, color, background } = sampleContrast(sample);
      assert.ok(ratio >= 4.5, `"${sample.text}": ${color} on ${background} is ${ratio.toFixed(2)}:1`);
    }
    await keepScreenshot(bench.page, 'chat-hc-dark', sidebar);
  });

  it('follows a provider switch in config.toml without a window reload: status bar, composer, and the next thread’s requests', async () => {
    // A thread keeps the provider it started with (as in codex); the switch applies to the chat's next thread.
    await newThread();
    const composerModel = chat.locator('select.model-picker');
    assert.equal(await composerModel.inputValue(), 'test-model');
    const config = [
      'model = "second-model"',
      'model_provider = "second"',
      'model_reasoning_summary = "none"',
      '',
      '[model_providers.fake]',
      `name = "Fake"\nbase_url = "${model.baseUrl}"`,
      '',
      '[model_providers.second]',
      `name = "Second"\nbase_url = "${second.baseUrl}"\nstream_max_retries = 0\nrequest_max_retries = 0`,
      '',
    ].join('\n');
    fs.writeFileSync(path.join(bench.home, 'config.toml'), config);

    // The status bar and the composer follow the file within a few seconds.
    await bench.page.locator('.statusbar-item', { hasText: 'second-model' }).first().waitFor({ timeout: 15_000 });
    await chat.locator('select.model-picker option[value="second-model"]:checked').waitFor({ state: 'attached', timeout: 15_000 });
    const before = model.turnRequests.length;
    second.enqueue(textReply('Hello from the second provider.'));
    await send('Who answers now?');
    await chat.locator('.message.agent', { hasText: 'Hello from the second provider.' }).waitFor();
    await turnDone();
    assert.equal((second.lastTurnRequest().body as { model: string }).model, 'second-model');
    assert.equal(model.turnRequests.length, before, 'the first provider got nothing');
    await chat.locator('.thread-settings', { hasText: 'second-model' }).waitFor();
  });
});
