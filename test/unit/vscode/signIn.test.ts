// The sign-in commands against the fake vscode module: ChatGPT sign-in opens the issuer's page, waits for
// the server's login/completed with cancellable progress, and cancelling cancels the login on the server.
import { strict as assert } from 'node:assert';
import Module from 'node:module';
import * as path from 'node:path';

type Resolver = (request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolver };

describe('vscode/signIn (fake vscode module)', () => {
  const originalResolve = moduleInternals._resolveFilename;
  before(() => {
    moduleInternals._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
      if (request === 'vscode') return path.join(__dirname, '..', '..', 'support', 'fakeVscode.ts');
      return originalResolve.call(this, request, ...rest);
    };
  });
  after(() => (moduleInternals._resolveFilename = originalResolve));

  /* eslint-disable @typescript-eslint/no-require-imports */
  const load = () => ({
    signIn: require('../../../src/vscode/signIn') as typeof import('../../../src/vscode/signIn'),
    fake: require('../../support/fakeVscode') as typeof import('../../support/fakeVscode'),
  });
  /* eslint-enable @typescript-eslint/no-require-imports */

  function client(calls: Array<[string, unknown]>) {
    return {
      request: async (method: string, params?: unknown) => {
        calls.push([method, params]);
        if (method === 'account/login/start') return { type: 'chatgpt', loginId: 'login-1', authUrl: 'https://auth.example.com/authorize?x=1' };
        return {};
      },
    } as never;
  }

  it('opens the sign-in page and reports the outcome the server sends', async () => {
    const { signIn, fake } = load();
    const calls: Array<[string, unknown]> = [];
    let finish!: (outcome: { success: boolean; error: string | null }) => void;
    const done = signIn.signInWithChatGpt(client(calls), (loginId) => {
      assert.equal(loginId, 'login-1');
      return new Promise((resolve) => (finish = resolve));
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(fake.opened.at(-1), 'https://auth.example.com/authorize?x=1');
    finish({ success: true, error: null });
    await done;
    assert.equal(fake.recorded.messages.at(-1), 'Tandem: signed in with ChatGPT.');
    assert.deepEqual(calls, [['account/login/start', { type: 'chatgpt' }]]);
  });

  it('cancels the login on the server when the progress notification is cancelled', async () => {
    const { signIn, fake } = load();
    const calls: Array<[string, unknown]> = [];
    const done = signIn.signInWithChatGpt(client(calls), () => new Promise(() => undefined));
    await new Promise((r) => setImmediate(r));
    fake.progressCancellers.at(-1)!();
    await done;
    assert.deepEqual(calls.at(-1), ['account/login/cancel', { loginId: 'login-1' }]);
    assert.equal(fake.recorded.messages.at(-1), 'Tandem: ChatGPT sign-in cancelled.');
  });

  it('says why when the sign-in fails', async () => {
    const { signIn, fake } = load();
    await signIn.signInWithChatGpt(client([]), async () => ({ success: false, error: 'the workspace is not allowed' }));
    assert.equal(fake.recorded.messages.at(-1), 'Tandem: ChatGPT sign-in failed: the workspace is not allowed');
  });
});
