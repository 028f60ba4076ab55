// Activation outside VS Code, against a fake vscode module: the extension must create its "Tandem" log
// channel, start the in-process server, register its view and commands, and shut down on deactivate.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

type Resolver = (request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolver };

describe('vscode/extension activation (fake vscode module)', () => {
  const originalResolve = moduleInternals._resolveFilename;
  const previousHome = process.env.TANDEM_HOME;

  before(() => {
    moduleInternals._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
      if (request === 'vscode') return path.join(__dirname, '..', '..', 'support', 'fakeVscode.ts');
      return originalResolve.call(this, request, ...rest);
    };
    process.env.TANDEM_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-activate-'));
  });
  after(() => {
    moduleInternals._resolveFilename = originalResolve;
    if (previousHome === undefined) delete process.env.TANDEM_HOME;
    else process.env.TANDEM_HOME = previousHome;
  });

  it('starts the in-process server, logs to the Tandem channel, registers the view and commands, and stops', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const extension = require('../../../src/vscode/extension') as typeof import('../../../src/vscode/extension');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { recorded } = require('../../support/fakeVscode') as typeof import('../../support/fakeVscode');
    const subscriptions: Array<{ dispose(): void }> = [];
    const store = new Map<string, string>();
    const context = {
      subscriptions,
      extensionUri: { fsPath: '/ext' },
      globalStorageUri: { fsPath: '/user-data/User/globalStorage/tandem' },
      workspaceState: { get: () => undefined, update: async () => undefined },
      secrets: { get: async (k: string) => store.get(k), store: async (k: string, v: string) => void store.set(k, v), delete: async (k: string) => void store.delete(k) },
    };
    const api = await extension.activate(context as never);
    const channel = recorded.channels.find((c) => c.name === 'Tandem');
    assert.ok(channel, 'a channel named Tandem');
    assert.deepEqual(channel.options, { log: true });
    assert.ok(channel.lines.some((l) => /started its in-process app-server/.test(l)));
    assert.match(api.client.initializeResult.userAgent, /^tandem_vscode\//);
    assert.deepEqual(recorded.views, ['tandem.chat']);
    // Every command the manifest contributes has a handler.
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string }> } };
    for (const { command } of manifest.contributes.commands) assert.ok(recorded.commands.has(command), command);
    const account = (await api.client.request('account/read', {})) as { account: unknown };
    assert.equal(account.account, null);
    await api.client.request('account/login/start', { type: 'apiKey', apiKey: 'sk-in-secret-storage' });
    assert.match(store.get('tandem.credentials') ?? '', /sk-in-secret-storage/, 'credentials go to SecretStorage');
    assert.ok(!fs.existsSync(path.join(process.env.TANDEM_HOME!, 'auth.json')), 'and not to a file');
    // The status bar follows the account: refreshed on account/updated.
    const { statusBarItems } = require('../../support/fakeVscode') as typeof import('../../support/fakeVscode'); // eslint-disable-line @typescript-eslint/no-require-imports
    const item = statusBarItems.at(-1)!;
    for (let i = 0; i < 100 && !/API key/.test(item.tooltip); i++) await new Promise((r) => setTimeout(r, 10));
    assert.match(item.tooltip, /signed in with API key/);
    assert.ok(item.visible);
    const started = Date.now();
    await extension.deactivate();
    assert.ok(Date.now() - started < 5_000);
    await assert.rejects(api.client.request('account/read', {}), /shut down/);
  });
});
