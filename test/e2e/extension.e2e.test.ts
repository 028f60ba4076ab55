// Tandem in real VS Code (code-server 4.100.3 in Debian's Chromium), installed from its .vsix, talking to
// the fake Responses server. One workbench serves the suite; each scenario is its own test and keeps a
// screenshot in test-results/e2e when it fails.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { FakeModelServer, textReply, toolCallReply } from '../support/fakeModel';
import { writeRollout } from '../support/rollouts';
import { fakeModelConfig } from '../support/tempHome';
import { answerDialog, filesContaining, keepScreenshot, openChat, openWorkbench, readDialog, runCommand, screenshotOnFailure, type Workbench } from './support/codeServer';

const API_KEY = 'sk-e2e-secret-4b1d3c9e';

describe('e2e: Tandem in VS Code (code-server)', function () {
  this.timeout(180_000);
  let model: FakeModelServer;
  let bench: Workbench;
  let chat: FrameLocator;

  before(async function () {
    this.timeout(600_000);
    model = await new FakeModelServer().start();
    bench = await openWorkbench({
      config: fakeModelConfig(model.baseUrl, {
        // Ask before every command that is not known-safe and every patch, so the native approvals show.
        extraConfig: 'approval_policy = "untrusted"\nsandbox_mode = "danger-full-access"',
        provider: { requires_openai_auth: true, stream_max_retries: 0, stream_idle_timeout_ms: undefined, request_max_retries: undefined },
      }),
      files: { 'notes.txt': 'alpha\nbeta\n' },
    });
    await writeRollout(bench.home, { createdAt: new Date(Date.now() - 86_400_000), preview: 'An older conversation about flaky tests', cwd: bench.workspace });
    chat = await openChat(bench.page);
  });
  after(async () => {
    await bench?.close();
    await model?.stop();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshotOnFailure(bench?.page, this.currentTest.fullTitle());
  });

  const agentText = () => chat.locator('.message.agent').last();
  const send = async (text: string) => {
    await chat.locator('textarea').fill(text);
    await chat.locator('textarea').press('Enter');
    await chat.locator('.message.user', { hasText: text }).waitFor();
  };
  const turnDone = () => chat.locator('button.stop').waitFor({ state: 'hidden' });
  const outputFor = (callId: string) => {
    for (const request of model.requests) {
      const found = (request.body.input as Array<{ type: string; call_id?: string; output?: string }>).find((i) => i.type.endsWith('_output') && i.call_id === callId);
      if (found) return String(found.output);
    }
    throw new Error(`the model never got the output of ${callId}`);
  };
  const patch = (body: string) => `*** Begin Patch\n*** Update File: notes.txt\n${body}\n*** End Patch`;
  const editorAction = (label: string) => bench.page.locator(`.editor-actions a.action-label[aria-label="${label}"]`).first();

  it('signs in with an API key from the Command Palette; the key is kept only in SecretStorage', async () => {
    const { page } = bench;
    await chat.locator('.hint', { hasText: 'Sign in or choose a local model to send' }).waitFor();
    await chat.locator('.welcome', { hasText: 'Use an API key' }).waitFor();
    await runCommand(page, 'Tandem: Sign In with API Key');
    const input = page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ state: 'visible' });
    await input.fill(API_KEY);
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts', { hasText: 'signed in with an API key' }).waitFor();
    await chat.locator('textarea:not([disabled])').waitFor();
    assert.deepEqual(filesContaining(bench.home, API_KEY), [], 'no file in TANDEM_HOME holds the key');
    assert.deepEqual(filesContaining(bench.userDataDir, API_KEY), [], 'no file in the user-data dir holds the key');
  });

  it('sends a message and streams the reply', async () => {
    model.enqueue(textReply('Hello from the **fake model**, streamed in pieces.', { chunks: 8, delayMs: 80 }));
    await chat.locator('textarea').fill('Say hello');
    await chat.locator('textarea').press('Enter');
    await chat.locator('.message.user', { hasText: 'Say hello' }).waitFor();
    await chat.locator('.message.agent strong', { hasText: 'fake model' }).waitFor();
    await chat.locator('button.stop').waitFor({ state: 'hidden' });
    assert.equal((await agentText().innerText()).trim(), 'Hello from the fake model, streamed in pieces.');
    assert.equal(model.requests.at(-1)!.headers.authorization, `Bearer ${API_KEY}`, 'the model was called with the signed-in key');
    await keepScreenshot(bench.page, 'chat');
  });

  it('runs a command after the modal approval and shows its output card', async () => {
    model.enqueue(toolCallReply('exec_command', { cmd: 'printf "tandem-e2e-output\\n" > made-by-command.txt && cat made-by-command.txt' }, 'call-cmd'), textReply('Done.'));
    await chat.locator('textarea').fill('Run it');
    await chat.locator('textarea').press('Enter');
    await chat.locator('.card.command').last().locator('.badge.waiting').waitFor();
    const dialog = await answerDialog(bench.page, 'Run', 'command-approval');
    assert.match(dialog, /Tandem wants to run a command/);
    assert.match(dialog, /made-by-command\.txt/);
    assert.match(dialog, /No sandbox: the command runs with your full permissions\./, 'the dialog states the thread\'s sandbox');
    await chat.locator('.card.command').last().locator('.badge.ok', { hasText: 'exit 0' }).waitFor();
    assert.match(await chat.locator('.card.command').last().locator('pre.output').innerText(), /tandem-e2e-output/);
    assert.ok(fs.existsSync(path.join(bench.workspace, 'made-by-command.txt')));
    await chat.locator('button.stop').waitFor({ state: 'hidden' });
  });

  it('holds a command approval back while the user types: a stray Enter runs nothing, and Enter in the dialog is not Run', async () => {
    const { page } = bench;
    const marker = path.join(bench.workspace, 'wiped.txt');
    const dialog = page.locator('.monaco-dialog-box');
    model.enqueue(toolCallReply('exec_command', { cmd: 'touch wiped.txt' }, 'call-stray'), textReply('Left the workspace as it was.'));
    const input = chat.locator('textarea');
    const card = chat.locator('.card.command', { hasText: 'touch wiped.txt' });
    await input.click();
    await input.pressSequentially('Tidy up the workspace', { delay: 30 });
    await input.press('Enter');
    // The user goes on typing the next message while the model's command arrives: key after key, no pause
    // near the 2 s quiet period, until the card shows the approval, then a few more keys and Enter.
    const words = 'and after that update the changelog too ';
    let typed = '';
    while (!(await card.locator('.badge.waiting').isVisible())) {
      if (typed.length > 600) throw new Error('the approval never showed on the card');
      const key = words[typed.length % words.length]!;
      await input.press(key === ' ' ? 'Space' : key);
      typed += key;
    }
    for (const key of 'now') {
      await input.press(key);
      typed += key;
    }
    assert.equal(await input.inputValue(), typed, 'every keystroke reached the composer');
    assert.equal(await dialog.count(), 0, 'no modal took the keyboard while the user typed');
    await input.press('Enter');
    // That Enter was for the composer: it steered the turn, and answered nothing.
    await chat.locator('textarea:not([disabled])').waitFor();
    assert.equal(await input.inputValue(), '', 'the composer sent the message');
    assert.equal(await dialog.count(), 0);
    assert.equal(fs.existsSync(marker), false, 'the command did not run');
    assert.equal(await card.locator('.badge.waiting').count(), 1, 'the card shows the command still waits');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'waiting for your approval to run: touch wiped.txt' });
    await toast.waitFor();
    await keepScreenshot(page, 'command-approval-held-back');

    // Quiet now: the dialog opens by itself, with Not Now (which decides nothing) under Enter.
    let shown = await readDialog(page);
    assert.match(shown.text, /touch wiped\.txt/);
    for (const button of ['Not Now', 'Run', 'Run for This Session', 'Deny']) assert.ok(shown.buttons.includes(button), `${button} is offered (${shown.buttons.join(', ')})`);
    assert.equal(shown.focused, 'Not Now', 'Enter presses Not Now');
    await keepScreenshot(page, 'command-approval');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(fs.existsSync(marker), false, 'Enter in the dialog did not run the command');
    assert.equal(await card.locator('.badge.waiting').count(), 1, 'still waiting');

    // The card opens it again; Enter again is not Run; Escape neither.
    await card.getByRole('button', { name: 'Review the command touch wiped.txt and decide whether to run it' }).click();
    shown = await readDialog(page);
    assert.equal(shown.focused, 'Not Now');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await card.getByRole('button', { name: /^Review the command/ }).click();
    await readDialog(page);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(fs.existsSync(marker), false, 'neither Enter nor Escape ran the command');
    assert.equal(await card.locator('.badge.waiting').count(), 1);

    // The notification opens it too; only an explicit choice decides.
    await toast.locator('.monaco-button', { hasText: 'Review…' }).click();
    await answerDialog(page, 'Deny');
    await card.locator('.badge.declined').waitFor();
    await turnDone();
    assert.equal(fs.existsSync(marker), false);
    assert.match(outputFor('call-stray'), /declined/);
    await chat.locator('.message.user', { hasText: typed.trim() }).waitFor();
  });

  it('reviews a patch in the diff editor and writes it on Accept', async () => {
    model.enqueue(toolCallReply('apply_patch', { input: patch('@@\n alpha\n-beta\n+gamma') }, 'call-accept'), textReply('Patched.'));
    await send('Change beta to gamma');
    await chat.locator('.card.file-change').last().locator('.badge.waiting').waitFor();
    const { page } = bench;
    await page.locator('.tab', { hasText: 'notes.txt (proposed)' }).waitFor();
    await page.locator('.monaco-diff-editor .editor.modified .view-lines', { hasText: 'gamma' }).waitFor();
    assert.equal(fs.readFileSync(path.join(bench.workspace, 'notes.txt'), 'utf8'), 'alpha\nbeta\n', 'nothing is written before the decision');
    await keepScreenshot(page, 'patch-review');
    await editorAction('Accept Change').click();
    await chat.locator('.card.file-change').last().locator('.badge.ok').waitFor();
    await turnDone();
    assert.equal(fs.readFileSync(path.join(bench.workspace, 'notes.txt'), 'utf8'), 'alpha\ngamma\n');
    await page.locator('.tab', { hasText: 'notes.txt (proposed)' }).waitFor({ state: 'detached' });
    assert.match(outputFor('call-accept'), /notes\.txt/);
    // The card shows the written change again: the content before it (reconstructed) against the file now.
    await chat.locator('.card.file-change').last().locator('button', { hasText: 'Open Diff' }).click();
    const applied = page.locator('.tab', { hasText: "notes.txt (Tandem's change)" });
    await applied.waitFor();
    await page.locator('.monaco-diff-editor .editor.original .view-lines', { hasText: 'beta' }).waitFor();
    await applied.locator('.codicon-close').click();
    await applied.waitFor({ state: 'detached' });
  });

  it('keeps a closed review pending, reopens it from the chat, and on Reject leaves the file and tells the model', async () => {
    model.enqueue(toolCallReply('apply_patch', { input: patch('@@\n alpha\n-gamma\n+delta') }, 'call-reject'), textReply('Understood.'));
    await send('Change gamma to delta');
    await chat.locator('.card.file-change').last().locator('.badge.waiting').waitFor();
    const proposedTab = bench.page.locator('.tab', { hasText: 'notes.txt (proposed)' });
    await proposedTab.waitFor();
    // Closing the diff leaves the change pending; the chat card opens it again.
    await proposedTab.locator('.codicon-close').click();
    await proposedTab.waitFor({ state: 'detached' });
    assert.equal(await chat.locator('.card.file-change').last().locator('.badge.waiting').count(), 1, 'still waiting');
    await chat.locator('.card.file-change').last().locator('button', { hasText: 'Review in Diff Editor' }).click();
    await proposedTab.waitFor();
    await editorAction('Reject Change').click();
    await chat.locator('.card.file-change').last().locator('.badge.declined').waitFor();
    await turnDone();
    assert.equal(fs.readFileSync(path.join(bench.workspace, 'notes.txt'), 'utf8'), 'alpha\ngamma\n');
    assert.match(outputFor('call-reject'), /declined/);
  });

  it('reviews a change to several files in the multi-file changes editor', async () => {
    const twoFiles = '*** Begin Patch\n*** Update File: notes.txt\n@@\n alpha\n-gamma\n+epsilon\n*** Add File: added.md\n+# Added\n*** End Patch';
    model.enqueue(toolCallReply('apply_patch', { input: twoFiles }, 'call-multi'), textReply('Both changed.'));
    await send('Change two files');
    await chat.locator('.card.file-change').last().locator('.badge.waiting').waitFor();
    const { page } = bench;
    await page.locator('.tab', { hasText: 'Tandem: proposed change' }).waitFor();
    await page.locator('.monaco-diff-editor .editor.modified .view-lines', { hasText: 'epsilon' }).first().waitFor();
    await page.locator('.monaco-diff-editor .editor.modified .view-lines', { hasText: '# Added' }).first().waitFor();
    await editorAction('Accept Change').click();
    await chat.locator('.card.file-change').last().locator('.badge.ok').waitFor();
    await turnDone();
    assert.equal(fs.readFileSync(path.join(bench.workspace, 'notes.txt'), 'utf8'), 'alpha\nepsilon\n');
    assert.equal(fs.readFileSync(path.join(bench.workspace, 'added.md'), 'utf8'), '# Added\n');
    await page.locator('.tab', { hasText: 'Tandem: proposed change' }).waitFor({ state: 'detached' });
  });

  it('interrupts a running turn from the stop button', async () => {
    model.enqueue(textReply('This reply is long and slow. '.repeat(20), { chunks: 40, delayMs: 150 }));
    await send('Talk slowly');
    await chat.locator('.message.agent', { hasText: 'This reply is long' }).last().waitFor();
    await chat.locator('button.stop').click();
    await chat.locator('.marker', { hasText: 'Turn interrupted.' }).waitFor();
    await turnDone();
    assert.ok(!(await agentText().innerText()).includes('slow. '.repeat(20)), 'the reply stopped early');
  });

  it('restores the chat after a window reload mid-turn, and the turn completes', async () => {
    // The first reply is cut off by the reload; the new extension host asks the model again.
    model.enqueue(textReply('Reload-proof answer, one piece at a time, until the very end.', { chunks: 30, delayMs: 200 }), textReply('Reload-proof answer, until the very end.', { chunks: 4, delayMs: 50 }));
    const before = model.requests.length;
    await send('Survive a reload');
    await chat.locator('.message.agent', { hasText: 'Reload-proof' }).last().waitFor();
    await bench.page.reload();
    await bench.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    chat = await openChat(bench.page);
    await chat.locator('.message.user', { hasText: 'Survive a reload' }).waitFor({ timeout: 60_000 });
    await chat.locator('.message.agent', { hasText: 'until the very end.' }).waitFor({ timeout: 60_000 });
    await turnDone();
    assert.equal(await chat.locator('.message.user', { hasText: 'Survive a reload' }).count(), 1, 'the message is not sent twice');
    assert.equal(await chat.locator('.marker', { hasText: 'Turn interrupted.' }).count(), 1, 'only the earlier, deliberate interrupt is marked');
    assert.equal(model.requests.length, before + 2, 'the turn was picked up by the new extension host');
  });

  it('resumes an old thread from the history view', async () => {
    await chat.locator('button.history-button').click();
    const entry = chat.locator('button.history-open', { hasText: 'An older conversation about flaky tests' });
    await entry.waitFor();
    await keepScreenshot(bench.page, 'history');
    await entry.click();
    await chat.locator('.message.user', { hasText: 'An older conversation about flaky tests' }).waitFor();
    assert.equal(await chat.locator('.message.user', { hasText: 'Say hello' }).count(), 0, 'the other thread is no longer shown');
    model.enqueue(textReply('Picking up where we left off.'));
    await send('Continue');
    await chat.locator('.message.agent', { hasText: 'Picking up where we left off.' }).waitFor();
    const input = model.requests.at(-1)!.body.input as Array<{ role?: string; content?: Array<{ text?: string }> }>;
    assert.ok(input.some((i) => i.role === 'user' && i.content?.some((c) => c.text === 'An older conversation about flaky tests')), 'the model sees the old thread');
  });
});
