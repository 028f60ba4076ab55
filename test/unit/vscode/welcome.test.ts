// The host side of the first-run welcome: the chat's choices reach the host (and malformed ones do not),
// local servers are asked once and again on request, and a model picked on the welcome is written with
// config/value/write — provider and model — before the status bar and composer read again.
import { strict as assert } from 'node:assert';
import Module from 'node:module';
import * as path from 'node:path';
import { silentLogger } from '../../../src/core/log';
import type { LocalModelServer, WebviewToHost } from '../../../src/protocol';
import { ChatBridge } from '../../../src/vscode/chatBridge';
import { LocalModelDetection } from '../../../src/vscode/welcome';

type Resolver = (request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolver };
type WelcomeMessage = Extract<WebviewToHost, { kind: 'welcome' }>;

describe('vscode/welcome', () => {
  it('passes the chat welcome choices to the host, and drops malformed ones', async () => {
    const chosen: WelcomeMessage[] = [];
    const host = { post() {}, state: () => { throw new Error('unused'); }, setActiveThread() {}, openLink() {}, showChange() {}, decideChange() {}, copy() {}, composerTyping() {}, reviewCommand() {}, openFile() {}, restricted: () => false, welcome: (m: WelcomeMessage) => chosen.push(m) };
    const bridge = new ChatBridge({ request: async () => ({}) }, host, silentLogger);
    await bridge.receive({ kind: 'welcome', action: 'useLocalModel', provider: 'ollama', model: 'qwen3:8b' });
    await bridge.receive({ kind: 'welcome', action: 'signInWithApiKey' });
    await bridge.receive({ kind: 'welcome', action: 'runSomething' });
    await bridge.receive({ kind: 'welcome', action: 'useLocalModel', provider: 'openai', model: 'x' });
    assert.deepEqual(chosen, [
      { kind: 'welcome', action: 'useLocalModel', provider: 'ollama', model: 'qwen3:8b' },
      { kind: 'welcome', action: 'signInWithApiKey' },
    ]);
  });

  it('asks the local servers when first shown, and again on request', async () => {
    const answers: LocalModelServer[][] = [[], [{ provider: 'ollama', name: 'Ollama', models: ['qwen3:8b'] }]];
    let asked = 0;
    let changes = 0;
    const detection = new LocalModelDetection(async () => answers[asked++]!, () => (changes += 1));
    assert.deepEqual(detection.current(), { detecting: true, localServers: [] });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(detection.current(), { detecting: false, localServers: [] });
    assert.equal(asked, 1, 'not asked again by reading the state');
    await detection.refresh();
    assert.deepEqual(detection.current(), { detecting: false, localServers: answers[1] });
    assert.equal(changes, 4, 'each start and end is sent to the chat');
  });

  describe('welcome actions (fake vscode module)', () => {
    const originalResolve = moduleInternals._resolveFilename;
    before(() => {
      moduleInternals._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
        if (request === 'vscode') return path.join(__dirname, '..', '..', 'support', 'fakeVscode.ts');
        return originalResolve.call(this, request, ...rest);
      };
    });
    after(() => (moduleInternals._resolveFilename = originalResolve));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const load = () => require('../../../src/vscode/localModelCommand') as typeof import('../../../src/vscode/localModelCommand');

    it('writes the model, then the provider, with config/value/write, then refreshes', async () => {
      const { welcomeAction } = load();
      const steps: string[] = [];
      const client = { request: async (method: string, params?: unknown) => (steps.push(`${method} ${JSON.stringify(params)}`), {}) };
      await welcomeAction({ kind: 'welcome', action: 'useLocalModel', provider: 'lmstudio', model: 'openai/gpt-oss-20b' }, { client, detectAgain: async () => undefined, applied: async () => void steps.push('applied'), logger: silentLogger });
      assert.deepEqual(steps, [
        'config/value/write {"keyPath":"model","value":"openai/gpt-oss-20b","mergeStrategy":"replace"}',
        'config/value/write {"keyPath":"model_provider","value":"lmstudio","mergeStrategy":"replace"}',
        'applied',
      ]);
    });

    it('says why when the write is refused, and does not refresh', async () => {
      const { welcomeAction } = load();
      const fake = require('../../support/fakeVscode') as typeof import('../../support/fakeVscode'); // eslint-disable-line @typescript-eslint/no-require-imports
      let applied = false;
      const client = { request: async () => Promise.reject(new Error('managed_config.toml sets model_provider')) };
      await welcomeAction({ kind: 'welcome', action: 'useLocalModel', provider: 'ollama', model: 'm' }, { client, detectAgain: async () => undefined, applied: async () => void (applied = true), logger: silentLogger });
      assert.equal(applied, false);
      assert.match(fake.recorded.messages.at(-1)!, /could not switch to m: managed_config\.toml sets model_provider/);
    });
  });
});
