// A change to several files reviewed in real VS Code (code-server): the multi-file changes editor labels each
// file as added, deleted or modified (never "R") with its workspace-relative path, the user accepts some files
// and rejects one from the title bar's *Choose Files to Accept…* picker, only those reach the disk, the card
// and the model say exactly what was applied, the notification closes, and *Open Diff* shows every file.
// Stopping the turn while a change waits cancels it: nothing is written and the review and notification close.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { FakeModelServer, patchOf, textReply, toolCallReply } from '../support/fakeModel';
import { fakeModelConfig } from '../support/tempHome';
import { keepScreenshot, openChat, openWorkbench, runCommand, screenshotOnFailure, type Workbench } from './support/codeServer';

const TEN_LINES = Array.from({ length: 10 }, (_, i) => `line ${i + 1}\n`).join('');

describe('e2e: reviewing a change to several files (code-server)', function () {
  this.timeout(180_000);
  let model: FakeModelServer;
  let bench: Workbench;
  let chat: FrameLocator;

  before(async function () {
    this.timeout(600_000);
    model = await new FakeModelServer().start();
    bench = await openWorkbench({
      config: fakeModelConfig(model.baseUrl, { extraConfig: 'approval_policy = "untrusted"\nsandbox_mode = "danger-full-access"' }),
      files: { 'notes.txt': 'alpha\nbeta\n', 'src/old.txt': 'legacy\n', 'hunks.txt': TEN_LINES },
      // The fake provider needs no sign-in: the status bar names the model once Tandem is ready.
      readyStatus: 'test-model',
    });
    chat = await openChat(bench.page);
  });
  after(async () => {
    await bench?.close();
    await model?.stop();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshotOnFailure(bench?.page, this.currentTest.fullTitle());
  });

  /** The files the changes editor shows: name, directory (its description) and status letter. */
  async function changesEditorFiles(page: Page): Promise<Array<[string, string, string]>> {
    // A closed changes editor's entries can stay in the page, hidden: only the showing editor's count.
    const entries = page.locator('.multiDiffEntry:visible');
    const files: Array<[string, string, string]> = [];
    for (let i = 0; i < (await entries.count()); i += 1) {
      const entry = entries.nth(i);
      const title = entry.locator('.title.modified').first();
      const name = (await title.locator('.label-name').first().innerText()).trim();
      const description = (await title.locator('.label-description').count()) > 0 ? (await title.locator('.label-description').first().innerText()).trim() : '';
      files.push([name, description, (await entry.locator('.status').first().innerText()).trim()]);
    }
    return files.sort((a, b) => a[0].localeCompare(b[0]));
  }

  it('accepts two files of three from the picker: only those are written, and the model is told which were rejected', async () => {
    const { page } = bench;
    const patch = patchOf('*** Update File: notes.txt', '@@', ' alpha', '-beta', '+gamma', '*** Add File: src/added.md', '+# Added', '*** Delete File: src/old.txt');
    model.enqueue(toolCallReply('apply_patch', { input: patch }, 'call-three'), textReply('Applied what you accepted.'));
    await chat.locator('textarea').fill('Change three files');
    await chat.locator('textarea').press('Enter');
    const card = chat.locator('.card.file-change').last();
    await card.locator('.badge.waiting').waitFor();
    const notification = page.locator('.notifications-toasts .notification-toast', { hasText: 'Tandem wants to change 3 files' });
    await notification.waitFor();

    // The changes editor: each file with its status as VS Code shows any change, never a rename.
    const proposedTab = page.locator('.tab', { hasText: 'Tandem: proposed change' });
    await proposedTab.waitFor();
    assert.equal((await proposedTab.locator('.label-name').innerText()).trim(), 'Tandem: proposed change (3 files)');
    await page.locator('.multiDiffEntry:visible').nth(2).waitFor();
    assert.deepEqual(await changesEditorFiles(page), [
      ['added.md', 'src', 'A'],
      ['notes.txt', '', ''],
      ['old.txt', 'src', 'D'],
    ]);
    await keepScreenshot(page, 'multi-file-review');

    // Choose Files to Accept…: every file checked; uncheck the added one, accept the rest.
    await page.locator('.editor-actions a.action-label[aria-label="Choose Files to Accept…"]').first().click();
    const picker = page.locator('.quick-input-widget');
    await picker.waitFor({ state: 'visible' });
    const row = (label: string) => picker.locator('.monaco-list-row', { hasText: label }).first();
    await row('src/added.md').waitFor();
    assert.equal(await picker.locator('.monaco-list-row').count(), 3);
    await row('src/added.md').click();
    await keepScreenshot(page, 'multi-file-review-choose');
    await page.keyboard.press('Enter');

    await card.locator('.badge.ok', { hasText: '2 of 3 files applied' }).waitFor();
    await chat.locator('button.stop').waitFor({ state: 'hidden' });
    assert.equal(fs.readFileSync(path.join(bench.workspace, 'notes.txt'), 'utf8'), 'alpha\ngamma\n', 'the accepted update is written');
    assert.equal(fs.existsSync(path.join(bench.workspace, 'src', 'old.txt')), false, 'the accepted delete is done');
    assert.equal(fs.existsSync(path.join(bench.workspace, 'src', 'added.md')), false, 'the rejected file is not written');
    assert.equal(await card.locator('details.file.rejected').count(), 1);
    await proposedTab.waitFor({ state: 'detached' });
    await notification.waitFor({ state: 'detached' });

    const told = model.turnRequests.flatMap((r) => r.body.input as Array<{ type: string; call_id?: string; output?: string }>).find((i) => i.call_id === 'call-three' && i.type.endsWith('_output'));
    assert.equal(
      told?.output,
      [
        'Partly applied: the user accepted 2 of the 3 files of this patch.',
        'Updated the following files:',
        'M notes.txt',
        'D src/old.txt',
        'Rejected by the user, not changed:',
        'A src/added.md',
        'Do not make the rejected changes another way (another patch, a command); if they are still needed, ask the user.',
        '',
      ].join('\n'),
    );

    // Open Diff shows every file the change wrote, in one changes editor.
    await card.locator('button', { hasText: 'Open Diff' }).click();
    const appliedTab = page.locator('.tab', { hasText: "Tandem's change" });
    await appliedTab.waitFor();
    assert.equal((await appliedTab.locator('.label-name').innerText()).trim(), "Tandem's change (2 files)");
    await page.locator('.multiDiffEntry:visible').nth(1).waitFor();
    assert.deepEqual(await changesEditorFiles(page), [
      ['notes.txt', '', ''],
      ['old.txt', 'src', 'D'],
    ]);
  });

  it('reviews a change part by part: one part kept, the other discarded; only the kept part is written and the model is told', async () => {
    const { page } = bench;
    const patch = patchOf('*** Update File: hunks.txt', '@@', '-line 1', '+first line', '@@', ' line 9', '-line 10', '+last line');
    model.enqueue(toolCallReply('apply_patch', { input: patch }, 'call-hunks'), textReply('Noted what you kept.'));
    await chat.locator('textarea').fill('Change two places');
    await chat.locator('textarea').press('Enter');
    const card = chat.locator('.card.file-change').last();
    await card.locator('.badge.waiting').waitFor();
    const proposedTab = page.locator('.tab', { hasText: 'hunks.txt (proposed)' });
    await proposedTab.waitFor();
    await page.locator('.editor .monaco-diff-editor').first().waitFor();
    await keepScreenshot(page, 'hunk-review');

    // The first part (at the cursor) is kept from the palette, which moves on to the second; that one is
    // discarded from the editor's title bar.
    await runCommand(page, 'Tandem: Keep This Part of the Change');
    await page.locator('.editor-actions a.action-label[aria-label="Discard This Part of the Change"]').first().click();
    await page.locator('.editor-actions a.action-label[aria-label="Accept Change"]').first().click();

    await card.locator('.badge.ok').waitFor();
    await chat.locator('button.stop').waitFor({ state: 'hidden' });
    await proposedTab.waitFor({ state: 'detached' });
    assert.equal(fs.readFileSync(path.join(bench.workspace, 'hunks.txt'), 'utf8'), TEN_LINES.replace('line 1\n', 'first line\n'), 'only the kept part is written');
    const told = model.turnRequests.flatMap((r) => r.body.input as Array<{ type: string; call_id?: string; output?: string }>).find((i) => i.call_id === 'call-hunks' && i.type.endsWith('_output'));
    assert.match(told?.output ?? '', /^Success\. Updated the following files:\nM hunks\.txt\nThe user reviewed this patch and changed one file/);
    assert.match(told?.output ?? '', /\n-last line\n\+line 10\n/, 'the model reads what the user put back');
  });

  it('cancels a waiting change when the turn is stopped: nothing written, the review and its notification close', async () => {
    const { page } = bench;
    const patch = patchOf('*** Update File: notes.txt', '@@', ' alpha', '-gamma', '+delta', '*** Add File: stopped.md', '+# Stopped');
    model.enqueue(toolCallReply('apply_patch', { input: patch }, 'call-stopped'));
    await chat.locator('textarea').fill('Change two files');
    await chat.locator('textarea').press('Enter');
    const card = chat.locator('.card.file-change').last();
    await card.locator('.badge.waiting').waitFor();
    const notification = page.locator('.notifications-toasts .notification-toast', { hasText: 'Tandem wants to change 2 files' });
    await notification.waitFor();
    const proposedTab = page.locator('.tab', { hasText: 'Tandem: proposed change' });
    await proposedTab.waitFor();

    await chat.locator('button.stop').click();
    await card.locator('.badge', { hasText: 'cancelled' }).waitFor();
    await proposedTab.waitFor({ state: 'detached' });
    await notification.waitFor({ state: 'detached' });
    assert.equal(fs.readFileSync(path.join(bench.workspace, 'notes.txt'), 'utf8'), 'alpha\ngamma\n');
    assert.equal(fs.existsSync(path.join(bench.workspace, 'stopped.md')), false);
  });
});
