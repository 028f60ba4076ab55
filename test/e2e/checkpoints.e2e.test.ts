// Undo from the chat in real VS Code (code-server): a turn writes a patch without review, its summary lists the
// files with +/−, *Undo This Turn* shows the restore in the multi-file changes editor and asks in VS Code's
// modal, and the files are back on disk; *Undo Restore* puts the turn's changes back. From a message, *Restore
// Files and Rewind* restores the files and takes the message out of the conversation (back in the composer).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { FakeModelServer, patchOf, textReply, toolCallReply } from '../support/fakeModel';
import { fakeModelConfig } from '../support/tempHome';
import { answerDialog, keepScreenshot, openChat, openWorkbench, readDialog, screenshotOnFailure, type Workbench } from './support/codeServer';

const ORIGINAL = 'alpha\nbeta\n';

describe('e2e: undoing a turn from the chat (code-server)', function () {
  this.timeout(180_000);
  let model: FakeModelServer;
  let bench: Workbench;
  let chat: FrameLocator;

  before(async function () {
    this.timeout(600_000);
    model = await new FakeModelServer().start();
    bench = await openWorkbench({
      // Patches are written at once, without the diff review: only the checkpoint can take them back.
      config: fakeModelConfig(model.baseUrl, { extraConfig: 'approval_policy = "never"\nsandbox_mode = "danger-full-access"\nreview_file_changes = false' }),
      files: { 'notes.txt': ORIGINAL },
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

  const file = (name: string) => path.join(bench.workspace, name);
  const read = (name: string) => (fs.existsSync(file(name)) ? fs.readFileSync(file(name), 'utf8') : null);
  async function until(check: () => boolean, what: string): Promise<void> {
    for (const deadline = Date.now() + 20_000; !check(); ) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  async function changeFiles(request: string, callId: string, newFile: string): Promise<void> {
    const patch = patchOf('*** Update File: notes.txt', '@@', ' alpha', '-beta', '+gamma', `*** Add File: ${newFile}`, '+# Added');
    model.enqueue(toolCallReply('apply_patch', { input: patch }, callId), textReply(`Changed the notes for ${callId}.`));
    await chat.locator('textarea').fill(request);
    await chat.locator('textarea').press('Enter');
    await chat.locator('.message.agent', { hasText: `Changed the notes for ${callId}.` }).waitFor();
    await chat.locator('button.stop').waitFor({ state: 'hidden' });
  }

  it('undoes a turn from its summary after showing the restore and asking, and the restore can be undone too', async () => {
    const { page } = bench;
    await changeFiles('Change the notes', 'call-undo', 'src/added.md');
    assert.equal(read('notes.txt'), 'alpha\ngamma\n', 'written without review');
    const summary = chat.locator('.card.checkpoint:not(.restore)').last();
    await summary.waitFor();
    const files = (await summary.locator('button.checkpoint-file').allInnerTexts()).map((f) => f.replace(/\s+/g, ' ').trim()).sort();
    assert.deepEqual(files, ['A src/added.md +1 −0', 'M notes.txt +1 −1']);
    await keepScreenshot(page, 'checkpoint-summary', page.locator('.part.sidebar'));

    await summary.getByRole('button', { name: "Undo this turn's changes to files" }).click();
    const restoreTab = page.locator('.tab', { hasText: 'Tandem: files to restore' });
    await restoreTab.waitFor();
    const dialog = await readDialog(page);
    assert.match(dialog.text, /Undo the changes this turn made to files\?/);
    assert.match(dialog.text, /Written back as they were: 1/);
    assert.match(dialog.text, /Removed: 1/);
    assert.ok(dialog.buttons.includes('Undo Changes'), dialog.buttons.join(', '));
    assert.ok(!dialog.buttons.includes('Overwrite Them Too'), 'nothing changed since the turn');
    await answerDialog(page, 'Undo Changes', 'checkpoint-undo-dialog');

    await until(() => read('notes.txt') === ORIGINAL && read('src/added.md') === null, 'the files are back as they were');
    await restoreTab.waitFor({ state: 'detached' });
    const restore = chat.locator('.card.checkpoint.restore').last();
    await restore.waitFor();
    assert.equal((await restore.locator('.card-title').innerText()).trim(), 'Files restored to before “Change the notes”');
    await summary.locator('.badge', { hasText: 'undone' }).waitFor();

    await restore.getByRole('button', { name: 'Undo the restore: put the files back as they were before it' }).click();
    assert.match((await readDialog(page)).text, /Undo the restore/);
    await answerDialog(page, 'Undo Restore');
    await until(() => read('notes.txt') === 'alpha\ngamma\n' && read('src/added.md') === '# Added\n', 'the turn\'s changes are back');
  });

  it('restores the files and rewinds the conversation to a message, which goes back to the composer', async () => {
    const { page } = bench;
    fs.writeFileSync(file('notes.txt'), ORIGINAL);
    fs.rmSync(file('src/added.md'), { force: true });
    await changeFiles('Change the notes again', 'call-rewind', 'again.md');
    assert.equal(read('again.md'), '# Added\n');
    const message = chat.locator('.message.user', { hasText: 'Change the notes again' });
    await chat.locator('.card.checkpoint', { hasText: 'again.md' }).waitFor();
    await message.hover();
    await message.locator('.message-actions > summary').click();
    await message.getByRole('button', { name: 'Restore files and rewind the conversation to before this message' }).click();
    const dialog = await readDialog(page);
    assert.match(dialog.text, /Restore the files and rewind the conversation to before this message\?/);
    await answerDialog(page, 'Restore and Rewind');

    await until(() => read('notes.txt') === ORIGINAL && read('again.md') === null, 'the files are restored');
    await message.waitFor({ state: 'detached' });
    assert.equal(await chat.locator('textarea').inputValue(), 'Change the notes again');
    // The earlier turns stay.
    await chat.locator('.message.user', { hasText: 'Change the notes' }).first().waitFor();
  });
});
