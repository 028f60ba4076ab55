// Tests that need a real extension host (run by test/electron/runTests.ts, which needs internet access to
// download VS Code): activation, contributed commands, the proposed-change documents, and the in-process
// server answering through the extension's API.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { TandemExtensionApi } from '../../../src/vscode/extension';

export function registerExtensionHostTests(): void {
  describe('extension host: Tandem', () => {
    let api: TandemExtensionApi;

    before(async () => {
      const extension = vscode.extensions.getExtension<TandemExtensionApi>('tandem.tandem');
      assert.ok(extension, 'the extension is installed');
      api = await extension.activate();
    });

    it('registers every contributed command', async () => {
      const commands = new Set(await vscode.commands.getCommands(true));
      const manifest = vscode.extensions.getExtension('tandem.tandem')!.packageJSON as { contributes: { commands: Array<{ command: string }> } };
      for (const { command } of manifest.contributes.commands) assert.ok(commands.has(command), command);
    });

    it('answers through its in-process app-server', async () => {
      assert.match(api.client.initializeResult.userAgent, /^tandem_vscode\//);
      const account = (await api.client.request('account/read', {})) as { account: unknown };
      assert.equal(account.account, null);
    });

    it('serves proposed-change documents read-only under the tandem-proposed scheme', async () => {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'tandem-proposed', path: '/none/proposed/file.ts' }));
      assert.equal(document.getText(), '');
      assert.equal(document.uri.scheme, 'tandem-proposed');
    });

    it('starts a thread in the workspace folder', async () => {
      const started = (await api.client.request('thread/start', {})) as { cwd: string };
      assert.equal(started.cwd, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
    });
  });
}
