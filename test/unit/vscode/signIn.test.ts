// The sign-in commands against the fake vscode module: ChatGPT sign-in asks how (browser or device code),
// opens the issuer's page or shows the code, waits for the server's login/completed with cancellable
// progress, and cancelling cancels the login on the server.
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

  const BROWSER = '$(globe) Sign in in the browser';
  const DEVICE_CODE = '$(remote) Sign in with a device code (for remote machines)';

  function client(calls: Array<[string, unknown]>, refuse?: string) {
    return {
      request: async (method: string, params?: unknown) => {
        calls.push([method, params]);
        if (method === 'account/login/start' && refuse) throw new Error(refuse);
        if (method === 'account/login/start' && (params as { type: string }).type === 'chatgptDeviceCode') {
          return { type: 'chatgptDeviceCode', loginId: 'login-2', verificationUrl: 'https://auth.example.com/codex/device', userCode: 'ABCD-EFGH' };
        }
        if (method === 'account/login/start') return { type: 'chatgpt', loginId: 'login-1', authUrl: 'https://auth.example.com/authorize?x=1' };
        return {};
      },
    } as never;
  }

  beforeEach(() => {
    const { fake } = load();
    fake.pickAnswers.length = 0;
    fake.infoAnswers.length = 0;
    fake.env.remoteName = undefined;
  });
  /** Answers the "how do you want to sign in" pick. */
  const choose = (label: string) => load().fake.pickAnswers.push(label);

  it('opens the sign-in page and reports the outcome the server sends', async () => {
    const { signIn, fake } = load();
    choose(BROWSER);
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
    choose(BROWSER);
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
    choose(BROWSER);
    await signIn.signInWithChatGpt(client([]), async () => ({ success: false, error: 'the workspace is not allowed' }));
    assert.equal(fake.recorded.messages.at(-1), 'Tandem: ChatGPT sign-in failed: the workspace is not allowed');
  });

  it('offers the device code second on this machine and first in a remote window; dismissing starts nothing', async () => {
    const { signIn, fake } = load();
    const calls: Array<[string, unknown]> = [];
    await signIn.signInWithChatGpt(client(calls), () => new Promise(() => undefined));
    assert.deepEqual(fake.quickPicks.at(-1)!.items.map((item) => item.label), [BROWSER, DEVICE_CODE]);
    fake.env.remoteName = 'ssh-remote';
    await signIn.signInWithChatGpt(client(calls), () => new Promise(() => undefined));
    assert.deepEqual(fake.quickPicks.at(-1)!.items.map((item) => item.label), [DEVICE_CODE, BROWSER]);
    assert.deepEqual(calls, [], 'no sign-in without a choice');
  });

  it('shows the device code and the page, copies the code and opens the page, and reports success', async () => {
    const { signIn, fake } = load();
    choose(DEVICE_CODE);
    fake.infoAnswers.push(signIn.copyAndOpenTitle());
    const calls: Array<[string, unknown]> = [];
    let finish!: (outcome: { success: boolean; error: string | null }) => void;
    const done = signIn.signInWithChatGpt(client(calls), (loginId) => {
      assert.equal(loginId, 'login-2');
      return new Promise((resolve) => (finish = resolve));
    });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(calls, [['account/login/start', { type: 'chatgptDeviceCode' }]]);
    const shown = fake.recorded.messages.at(-1)!;
    assert.match(shown, /open https:\/\/auth\.example\.com\/codex\/device on any device/);
    assert.match(shown, /enter the code ABCD-EFGH/);
    assert.equal(fake.copied.at(-1), 'ABCD-EFGH');
    assert.equal(fake.opened.at(-1), 'https://auth.example.com/codex/device');
    finish({ success: true, error: null });
    await done;
    assert.equal(fake.recorded.messages.at(-1), 'Tandem: signed in with ChatGPT.');
  });

  it('cancels a device-code sign-in on the server, and reports an expired code', async () => {
    const { signIn, fake } = load();
    choose(DEVICE_CODE);
    fake.infoAnswers.push(signIn.copyCodeTitle());
    const opened = fake.opened.length;
    const calls: Array<[string, unknown]> = [];
    const waiting = signIn.signInWithChatGpt(client(calls), () => new Promise(() => undefined));
    await new Promise((r) => setImmediate(r));
    assert.equal(fake.copied.at(-1), 'ABCD-EFGH');
    assert.equal(fake.opened.length, opened, 'Copy Code opens nothing');
    fake.progressCancellers.at(-1)!();
    await waiting;
    assert.deepEqual(calls.at(-1), ['account/login/cancel', { loginId: 'login-2' }]);
    assert.equal(fake.recorded.messages.at(-1), 'Tandem: ChatGPT sign-in cancelled.');

    choose(DEVICE_CODE);
    await signIn.signInWithChatGpt(client([]), async () => ({ success: false, error: 'device auth timed out after 15 minutes' }));
    assert.equal(fake.recorded.messages.at(-1), 'Tandem: ChatGPT sign-in failed: device auth timed out after 15 minutes');
  });

  it('says why a device-code sign-in cannot start', async () => {
    const { signIn, fake } = load();
    choose(DEVICE_CODE);
    await signIn.signInWithChatGpt(client([], 'device code login is not enabled'), () => new Promise(() => undefined));
    assert.equal(fake.recorded.messages.at(-1), 'Tandem: cannot start ChatGPT sign-in with a device code: device code login is not enabled');
  });
});
