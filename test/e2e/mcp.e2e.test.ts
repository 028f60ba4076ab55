// MCP servers in real VS Code (code-server 4.100.3 in Debian's Chromium), with the packaged .vsix, the fake
// Responses server and the SDK-built test MCP server over stdio: the model calls the destructive
// `write_note`, the native modal asks (its card waits meanwhile), Allow runs it and the card shows the
// result; a read-only tool's image reaches the card without a dialog; *Tandem: MCP Servers* lists the
// server with its tools.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { FakeModelServer, textReply } from '../support/fakeModel';
import { namespacedCall, stdioServerToml } from '../support/mcpScenario';
import { bundledMcpStdioCommand } from '../support/mcpTestServerBundle';
import { RED_DOT_PNG_BASE64 } from '../support/mcpTestServer';
import { fakeModelConfig } from '../support/tempHome';
import { answerDialog, keepScreenshot, openChat, openWorkbench, readDialog, runCommand, screenshotOnFailure, type Workbench } from './support/codeServer';

describe('e2e: MCP tool calls in VS Code (code-server)', function () {
  this.timeout(180_000);
  let model: FakeModelServer;
  let bench: Workbench;
  let chat: FrameLocator;
  let notesDir: string;
  let notes: string;

  before(async function () {
    this.timeout(600_000);
    model = await new FakeModelServer().start();
    notesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-mcp-'));
    notes = path.join(notesDir, 'notes.txt');
    const command = await bundledMcpStdioCommand();
    const server = stdioServerToml('notes', command, [`env = { TANDEM_MCP_NOTES = ${JSON.stringify(notes)} }`]);
    // A server the user defined for VS Code itself, offered because the setting says so.
    const mcpJson = { servers: { vsnotes: { type: 'stdio', command: command.command, args: [...command.args, '--name', 'vs-notes'], env: { TANDEM_MCP_NOTES: '${workspaceFolder}/vs-notes.txt' } } } };
    bench = await openWorkbench({
      files: { '.vscode/mcp.json': `// VS Code's own MCP servers\n${JSON.stringify(mcpJson, null, 2)}\n` },
      settings: { 'tandem.mcp.includeVsCodeServers': true },
      // Ask as the tools' annotations say: a destructive tool asks, a read-only one does not.
      config: fakeModelConfig(model.baseUrl, { extraConfig: 'approval_policy = "on-request"\nsandbox_mode = "workspace-write"', provider: { stream_max_retries: 0, request_max_retries: 0 }, tables: server }),
      readyStatus: 'test-model',
    });
    chat = await openChat(bench.page);
  });
  after(async () => {
    await bench?.close();
    await model?.stop();
    if (notesDir) fs.rmSync(notesDir, { recursive: true, force: true });
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
  const card = (tool: string) => chat.locator('.card.mcp-tool', { hasText: `notes · ${tool}` }).last();

  it('asks in the native modal before a destructive MCP tool runs, and shows its result once allowed', async () => {
    model.enqueue(namespacedCall('mcp__notes', 'write_note', { text: 'written from VS Code' }, 'call-note'), textReply('The note is saved.'));
    await send('Save a note');
    await card('write_note').locator('.badge.waiting').waitFor({ timeout: 60_000 });
    assert.equal(fs.existsSync(notes), false, 'nothing ran before the decision');
    const shown = await readDialog(bench.page);
    assert.match(shown.text, /Allow the notes MCP server to run “write_note”\?/);
    assert.match(shown.text, /text: "written from VS Code"/);
    assert.match(shown.text, /Saves a note\./);
    // The dialog lays its buttons out in the platform's order; what matters is which are offered and which Enter presses.
    assert.deepEqual(shown.buttons.filter((b) => b !== 'Cancel').sort(), ['Allow', 'Allow for This Session', 'Decline', 'Not Now']);
    assert.equal(shown.focused, 'Not Now', 'Enter presses Not Now, which decides nothing');
    await answerDialog(bench.page, 'Allow', 'mcp-approval');
    const done = card('write_note');
    await done.locator('.badge.ok').waitFor();
    assert.equal((await done.locator('pre.mcp-text').innerText()).trim(), 'saved');
    await done.locator('details.mcp-arguments summary').click();
    assert.match(await done.locator('details.mcp-arguments pre').innerText(), /"text": "written from VS Code"/);
    await chat.locator('.message.agent', { hasText: 'The note is saved.' }).waitFor();
    await turnDone();
    assert.equal(fs.readFileSync(notes, 'utf8'), 'written from VS Code\n');
    await keepScreenshot(bench.page, 'mcp-tool-card');
  });

  it("runs a read-only tool without asking and shows the image it returns from the block's own data", async () => {
    model.enqueue(namespacedCall('mcp__notes', 'image', {}, 'call-image'), textReply('A red dot.'));
    await send('Show me the dot');
    const done = card('image');
    await done.locator('.badge.ok').waitFor({ timeout: 60_000 });
    assert.equal(await bench.page.locator('.monaco-dialog-box').count(), 0, 'a read-only tool asks nothing');
    assert.equal(await done.locator('img.mcp-image').getAttribute('src'), `data:image/png;base64,${RED_DOT_PNG_BASE64}`);
    assert.equal(await done.locator('img.mcp-image').evaluate((img) => (img as HTMLImageElement).naturalWidth), 1, 'the image loaded under the webview policy');
    await turnDone();
  });

  it('runs a server from .vscode/mcp.json beside config.toml’s when the setting is on, once the user agrees to start it', async () => {
    // The workspace names the program: nothing starts until the user says so.
    const ask = bench.page.locator('.notifications-toasts .notification-toast', { hasText: 'defines the MCP server vsnotes' });
    await ask.waitFor({ timeout: 60_000 });
    assert.match(await ask.innerText(), /runs: .*node.* --name vs-notes/);
    await ask.locator('.monaco-button', { hasText: 'Start It' }).click();
    model.enqueue(namespacedCall('mcp__vsnotes', 'echo', { text: 'from mcp.json' }, 'call-vs'), textReply('Echoed.'));
    await send('Echo through the VS Code server');
    const done = chat.locator('.card.mcp-tool', { hasText: 'vsnotes · echo' }).last();
    await done.locator('.badge.ok').waitFor({ timeout: 60_000 });
    assert.equal((await done.locator('pre.mcp-text').innerText()).trim(), 'from mcp.json');
    await turnDone();
    const tools = (model.turnRequests.at(-2)!.body.tools as Array<{ type: string; name?: string }>).filter((t) => t.type === 'namespace').map((t) => t.name);
    assert.deepEqual(tools, ['mcp__notes', 'mcp__vsnotes']);
  });

  it('lists the server, its status and its tools in Tandem: MCP Servers', async () => {
    const { page } = bench;
    await runCommand(page, 'Tandem: MCP Servers');
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'notes' }).first();
    await row.waitFor({ timeout: 60_000 });
    assert.match(await row.innerText(), /running · \d+ tools/);
    assert.match(await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'vsnotes' }).first().innerText(), /running · \d+ tools/);
    await row.click();
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Show Tools' }).first().click();
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'echo' }).first().waitFor();
    // The list is virtualised: filter it down to the tool.
    await page.locator('.quick-input-widget input').fill('write_note');
    const tool = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'write_note' }).first();
    await tool.waitFor();
    assert.match(await tool.innerText(), /Saves a note\./);
    await page.keyboard.press('Escape');
  });
});
