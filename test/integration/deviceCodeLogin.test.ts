import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FakeIssuer } from '../support/fakeIssuer';
import { Fixture } from '../support/fixture';

// The device-code sign-in (for machines a browser cannot call back to) against the fake issuer: the
// code and the page to enter it on, the polls, and every way the wait can end.
describe('integration: ChatGPT device-code sign-in against a fake issuer', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  let issuer: FakeIssuer;
  beforeEach(async () => (issuer = await new FakeIssuer().start()));
  afterEach(async () => {
    await fixture.close();
    await issuer.stop();
  });
  const signIn = (extra = '') => ({ provider: { requires_openai_auth: true }, tables: `[chatgpt_auth]\nissuer = "${issuer.url}"\n${extra}` });
  const authFile = () => path.join(fixture.temp.home, 'auth.json');
  const polls = () => issuer.deviceRequests.filter((r) => r.endpoint === 'token').length;

  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async function start() {
    const started = await fixture.server.client.request('account/login/start', { type: 'chatgptDeviceCode' });
    assert.equal(started.error, undefined, JSON.stringify(started.error));
    return started.result as { type: string; loginId: string; verificationUrl: string; userCode: string };
  }

  const completedFor = (loginId: string) => fixture.server.client.waitFor((m) => m.method === 'account/login/completed' && m.params.loginId === loginId);

  it('shows the code and the page, polls until the code is entered, then stores the tokens', async () => {
    const { server } = await fixture.boot(signIn());
    const started = await start();
    assert.deepEqual(started, { type: 'chatgptDeviceCode', loginId: started.loginId, verificationUrl: `${issuer.url}/codex/device`, userCode: 'ABCD-EFGH' });
    assert.match(started.loginId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(issuer.deviceRequests[0], { endpoint: 'usercode', body: { client_id: 'app_EMoamEEZ73f0CkXaXp7hrann' } });

    await until(() => polls() >= 1);
    assert.ok(!fs.existsSync(authFile()), 'nothing is stored while the code waits');
    issuer.device.decision = 'approved';
    assert.deepEqual((await completedFor(started.loginId)).params, { loginId: started.loginId, success: true, error: null });
    assert.deepEqual((await server.client.waitFor((m) => m.method === 'account/updated')).params, { authMode: 'chatgpt', planType: 'plus' });

    assert.deepEqual(issuer.deviceRequests.at(-1), { endpoint: 'token', body: { device_auth_id: 'deviceauth-1', user_code: 'ABCD-EFGH' } });
    assert.equal(polls(), 2, 'one poll while pending, one after the interval');
    assert.deepEqual(issuer.exchanges.at(-1), { grant_type: 'authorization_code', code: 'device-code', redirect_uri: `${issuer.url}/deviceauth/callback`, client_id: 'app_EMoamEEZ73f0CkXaXp7hrann', code_verifier: 'device-verifier' });
    assert.deepEqual((await server.client.request('account/read', {})).result, { account: { type: 'chatgpt', email: 'dev@example.com', planType: 'plus' }, requiresOpenaiAuth: true });
    const stored = JSON.parse(fs.readFileSync(authFile(), 'utf8'));
    assert.equal(stored.auth_mode, 'chatgpt');
    assert.equal(stored.tokens.account_id, 'ws-123');
  });

  it('reports a refusal and an expired code, and stores nothing', async () => {
    const { temp } = await fixture.boot(signIn());
    const refused = await start();
    await until(() => polls() >= 1);
    issuer.device.decision = 'denied';
    assert.deepEqual((await completedFor(refused.loginId)).params, { loginId: refused.loginId, success: false, error: 'device auth failed with status 400 Bad Request' });
    assert.equal(issuer.exchanges.length, 0);

    await fixture.server.close();
    fs.appendFileSync(path.join(temp.home, 'config.toml'), 'device_code_timeout_ms = 300\n');
    await fixture.spawn();
    issuer.device.decision = 'pending';
    const expired = await start();
    const completed = await completedFor(expired.loginId);
    assert.deepEqual(completed.params, { loginId: expired.loginId, success: false, error: 'device auth timed out after 1 minute' });
    assert.ok(!fs.existsSync(authFile()));
    assert.equal(fixture.server.client.received.filter((m) => m.method === 'account/updated').length, 0, 'no account change is announced');
  });

  it('cancels: the wait stops, a second cancel finds nothing, and a later approval stores nothing', async () => {
    await fixture.boot(signIn());
    const started = await start();
    await until(() => polls() >= 1);
    assert.deepEqual((await fixture.server.client.request('account/login/cancel', { loginId: started.loginId })).result, { status: 'canceled' });
    assert.deepEqual((await completedFor(started.loginId)).params, { loginId: started.loginId, success: false, error: 'Login was not completed' });
    assert.deepEqual((await fixture.server.client.request('account/login/cancel', { loginId: started.loginId })).result, { status: 'notFound' });
    const pollsAtCancel = polls();
    issuer.device.decision = 'approved';
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    assert.equal(polls(), pollsAtCancel, 'no poll after the cancel');
    assert.ok(!fs.existsSync(authFile()));
  });

  it('a new sign-in replaces the one waiting, and logout cancels it', async () => {
    await fixture.boot(signIn());
    const first = await start();
    const second = await start();
    assert.deepEqual((await completedFor(first.loginId)).params, { loginId: first.loginId, success: false, error: 'a new sign-in was started' });
    await fixture.server.client.request('account/logout');
    assert.deepEqual((await completedFor(second.loginId)).params, { loginId: second.loginId, success: false, error: 'signed out' });
  });

  it('says so when the issuer has no device-code sign-in, and when forced_login_method is api', async () => {
    const { temp } = await fixture.boot(signIn());
    issuer.device.enabled = false;
    const disabled = await fixture.server.client.request('account/login/start', { type: 'chatgptDeviceCode' });
    assert.deepEqual(disabled.error, { code: -32600, message: 'device code login is not enabled for this Codex server. Use the browser login or verify the server URL.' });
    await fixture.server.close();
    fs.writeFileSync(path.join(temp.home, 'config.toml'), `forced_login_method = "api"\n${fs.readFileSync(path.join(temp.home, 'config.toml'), 'utf8')}`);
    await fixture.spawn();
    const forced = await fixture.server.client.request('account/login/start', { type: 'chatgptDeviceCode' });
    assert.deepEqual(forced.error, { code: -32600, message: 'ChatGPT login is disabled. Use API key login instead.' });
  });

  it('refuses an account outside forced_chatgpt_workspace_id', async () => {
    await fixture.boot({ ...signIn(), extraConfig: 'forced_chatgpt_workspace_id = "ws-allowed"' });
    issuer.device.decision = 'approved';
    const started = await start();
    const completed = await completedFor(started.loginId);
    assert.equal(completed.params.success, false);
    assert.match(completed.params.error, /Sign in with the ChatGPT workspace ws-allowed/);
    assert.ok(!fs.existsSync(authFile()));
  });
});
