// The thread history in real VS Code (code-server): the workspace's threads by default, each with its folder,
// every folder's with *All folders*; *Delete* asks in VS Code's own modal dialog and deletes only on *Delete*;
// an archived thread is listed under *Show archived*, opens read only and is unarchived from the chat.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { FakeModelServer } from '../support/fakeModel';
import { writeRollout } from '../support/rollouts';
import { fakeModelConfig } from '../support/tempHome';
import { answerDialog, keepScreenshot, openChat, openWorkbench, readDialog, screenshotOnFailure, type Workbench } from './support/codeServer';

describe('e2e: thread history (code-server)', function () {
  this.timeout(180_000);
  let model: FakeModelServer;
  let bench: Workbench;
  let chat: FrameLocator;
  let elsewhere: string;
  const rollouts: Record<string, string> = {};

  before(async function () {
    this.timeout(600_000);
    model = await new FakeModelServer().start();
    bench = await openWorkbench({
      config: fakeModelConfig(model.baseUrl),
      // The fake provider needs no sign-in: the status bar names the model once Tandem is ready.
      readyStatus: 'test-model',
    });
    elsewhere = path.join(bench.root, 'elsewhere');
    const day = 86_400_000;
    const seeds: Array<[string, string, number]> = [
      ['Plan the release', bench.workspace, 1],
      ['Remove the old logger', bench.workspace, 2],
      ['Tidy another project', elsewhere, 3],
    ];
    for (const [preview, cwd, daysAgo] of seeds) rollouts[preview] = (await writeRollout(bench.home, { createdAt: new Date(Date.now() - daysAgo * day), preview, cwd })).path;
    chat = await openChat(bench.page);
  });
  after(async () => {
    await bench?.close();
    await model?.stop();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshotOnFailure(bench?.page, this.currentTest.fullTitle());
  });

  const names = () => chat.locator('.history-name').allInnerTexts();
  const entries = (count: number) => chat.locator('.history-entry').nth(count - 1).waitFor().then(() => chat.locator('.history-entry').nth(count).waitFor({ state: 'detached' }));

  it("lists this workspace's threads with their folder, and every folder's with All folders", async () => {
    await chat.locator('button.history-button').click();
    await entries(2);
    assert.deepEqual(await names(), ['Plan the release', 'Remove the old logger']);
    assert.deepEqual(await chat.locator('.history-folder').allInnerTexts(), ['workspace', 'workspace'], 'named by the workspace folder');
    await chat.getByRole('checkbox', { name: 'All folders' }).check();
    await entries(3);
    assert.deepEqual(await names(), ['Plan the release', 'Remove the old logger', 'Tidy another project']);
    assert.equal(await chat.locator('.history-folder').nth(2).getAttribute('title'), elsewhere);
    assert.equal(await chat.locator('.history-folder').nth(2).innerText(), 'elsewhere', 'named by its own name; the tooltip has the path');
    await keepScreenshot(bench.page, 'history-all-folders');
    await chat.getByRole('checkbox', { name: 'All folders' }).uncheck();
    await entries(2);
  });

  it('asks in a modal dialog before deleting, and deletes nothing on Cancel', async () => {
    await chat.locator('button[aria-label="Delete Remove the old logger"]').click();
    const dialog = await readDialog(bench.page);
    assert.match(dialog.text, /Delete the thread “Remove the old logger”\?/);
    assert.match(dialog.text, /cannot be undone/);
    assert.ok(dialog.buttons.includes('Delete'), dialog.buttons.join(', '));
    await answerDialog(bench.page, 'Cancel');
    assert.ok(fs.existsSync(rollouts['Remove the old logger']!), 'kept on disk');
    assert.deepEqual(await names(), ['Plan the release', 'Remove the old logger']);

    await chat.locator('button[aria-label="Delete Remove the old logger"]').click();
    await answerDialog(bench.page, 'Delete', 'history-delete-dialog');
    await entries(1);
    assert.equal(await chat.locator('.history-status').innerText(), 'Thread deleted.');
    assert.ok(!fs.existsSync(rollouts['Remove the old logger']!), 'gone from disk');
  });

  it('archives a thread, opens it read only from Show archived, and unarchives it from the chat', async () => {
    await chat.locator('button[aria-label="Archive Plan the release"]').click();
    // Said once the row is gone.
    await chat.locator('.history-status', { hasText: 'Thread archived.' }).waitFor();
    assert.equal(await chat.locator('.history-entry').count(), 0);
    await chat.getByRole('checkbox', { name: 'Show archived' }).check();
    await chat.locator('.history-entry.archived').waitFor();
    assert.deepEqual(await names(), ['Plan the release']);
    await chat.locator('button[aria-label="Open Plan the release (archived, read only)"]').click();
    await chat.locator('.archived-bar').waitFor();
    await chat.locator('.message.user', { hasText: 'Plan the release' }).waitFor();
    assert.equal(await chat.locator('textarea').isDisabled(), true, 'nothing is sent to an archived thread');

    await chat.locator('button[aria-label="Unarchive this thread to continue it"]').click();
    await chat.locator('.archived-bar').waitFor({ state: 'hidden' });
    await chat.locator('textarea:not([disabled])').waitFor();
    assert.ok(fs.existsSync(rollouts['Plan the release']!), 'back among the sessions');
    assert.equal(await chat.locator('.message.user', { hasText: 'Plan the release' }).count(), 1, 'the chat shows it, resumed');
  });
});
