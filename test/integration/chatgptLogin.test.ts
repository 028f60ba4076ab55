import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FakeIssuer } from '../support/fakeIssuer';
import { FakeModelServer, textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn, startThread } from '../support/session';

describe('integration: ChatGPT sign-in against a fake issuer', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  let issuer: FakeIssuer;
  beforeEach(async () => (issuer = await new FakeIssuer().start()));
  afterEach(async () => {
    await fixture.close();
    await issuer.stop();
  });
  /** Sign-in against the fake issuer; `[chatgpt_auth]` comes last, so a line appended to config.toml belongs to it. */
  const signIn = () => ({ provider: { requires_openai_auth: true }, tables: `[chatgpt_auth]\nissuer = "${issuer.url}"\ncallback_port = 0` });

  async function startLogin() {
    const start = await fixture.server.client.request('account/login/start', { type: 'chatgpt' });
    const authUrl = new URL(start.result.authUrl);
    issuer.expectedChallenge = authUrl.searchParams.get('code_challenge') ?? undefined;
    return { loginId: start.result.loginId as string, authUrl };
  }

  it('signs in through the browser flow, then sends the tokens and refreshes them on a 401', async () => {
    const { model, temp, server } = await fixture.boot(signIn());
    const { loginId, authUrl } = await startLogin();
    assert.equal(`${authUrl.origin}${authUrl.pathname}`, `${issuer.url}/oauth/authorize`);
    assert.equal(authUrl.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authUrl.searchParams.get('originator'), 'tandem_test');
    const redirect = authUrl.searchParams.get('redirect_uri')!;
    assert.match(redirect, /^http:\/\/localhost:\d+\/auth\/callback$/);

    const stale = await fetch(`${redirect}?code=good-code&state=wrong`, { redirect: 'manual' });
    assert.equal(stale.status, 400, 'a callback with another state is refused');
    // Follow the browser's redirect to the callback.
    const callback = await fetch(`${redirect}?code=good-code&state=${authUrl.searchParams.get('state')}`, { redirect: 'manual' });
    assert.equal(callback.status, 302);
    assert.equal(callback.headers.get('location'), '/success');
    const completed = await server.client.waitFor((m) => m.method === 'account/login/completed');
    assert.deepEqual(completed.params, { loginId, success: true, error: null });
    assert.deepEqual((await server.client.waitFor((m) => m.method === 'account/updated')).params, { authMode: 'chatgpt', planType: 'plus' });
    assert.deepEqual((await server.client.request('account/read', {})).result, { account: { type: 'chatgpt', email: 'dev@example.com', planType: 'plus' }, requiresOpenaiAuth: true });
    assert.equal(issuer.exchanges.length, 1);
    assert.equal(JSON.parse(fs.readFileSync(path.join(temp.home, 'auth.json'), 'utf8')).auth_mode, 'chatgpt');

    const limits = await server.client.request('account/rateLimits/read');
    assert.deepEqual(limits.result.rateLimits, { limitId: 'codex', limitName: null, primary: { usedPercent: 13, windowDurationMins: 300, resetsAt: 1800000000 }, secondary: null, credits: null, planType: 'plus' });
    assert.equal(model.usageRequests[0]!['chatgpt-account-id'], 'ws-123', 'the usage endpoint is asked with the sign-in');

    model.enqueue({ status: 401, body: { error: { message: 'token expired' } } }, textReply('after refresh'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'hello');
    assert.equal(done.params.turn.status, 'completed');
    assert.equal(issuer.refreshes, 1);
    const [first, second] = model.requests;
    assert.equal(first!.headers['chatgpt-account-id'], 'ws-123');
    assert.notEqual(first!.headers.authorization, second!.headers.authorization, 'the retry carries the refreshed token');
  });

  it('cancels, times out, and a new login replaces the old one', async () => {
    const { temp } = await fixture.boot(signIn());
    let server = fixture.server;
    const first = await startLogin();
    const second = await startLogin();
    const replaced = await server.client.waitFor((m) => m.method === 'account/login/completed' && m.params.loginId === first.loginId);
    assert.deepEqual(replaced.params, { loginId: first.loginId, success: false, error: 'a new sign-in was started' });
    assert.deepEqual((await server.client.request('account/login/cancel', { loginId: second.loginId })).result, { status: 'canceled' });
    const cancelled = await server.client.waitFor((m) => m.method === 'account/login/completed' && m.params.loginId === second.loginId);
    assert.equal(cancelled.params.success, false);
    assert.deepEqual((await server.client.request('account/login/cancel', { loginId: second.loginId })).result, { status: 'notFound' }, 'a second cancel finds nothing');
    assert.deepEqual((await server.client.request('account/login/cancel', { loginId: 'nope' })).error, { code: -32600, message: 'invalid login id: nope' });
    await server.close();
    fs.appendFileSync(path.join(temp.home, 'config.toml'), 'login_timeout_ms = 300\n');
    server = await fixture.spawn();
    const slow = await startLogin();
    const timedOut = await server.client.waitFor((m) => m.method === 'account/login/completed' && m.params.loginId === slow.loginId);
    assert.match(timedOut.params.error, /timed out/);
  });

  it('refuses ChatGPT sign-in when forced_login_method is api, and logout cancels a sign-in under way', async () => {
    const { temp } = await fixture.boot(signIn());
    let server = fixture.server;
    const { loginId } = await startLogin();
    await server.client.request('account/logout');
    const cancelled = await server.client.waitFor((m) => m.method === 'account/login/completed' && m.params.loginId === loginId);
    assert.deepEqual(cancelled.params, { loginId, success: false, error: 'signed out' });
    await server.close();
    fs.writeFileSync(path.join(temp.home, 'config.toml'), 'forced_login_method = "api"\n');
    server = await fixture.spawn();
    const refused = await server.client.request('account/login/start', { type: 'chatgpt' });
    assert.deepEqual(refused.error, { code: -32600, message: 'ChatGPT login is disabled. Use API key login instead.' });
  });

  it('refuses an account outside forced_chatgpt_workspace_id', async () => {
    const { temp, server } = await fixture.boot({ ...signIn(), extraConfig: 'forced_chatgpt_workspace_id = "ws-allowed"' });
    const { authUrl } = await startLogin();
    await fetch(`${authUrl.searchParams.get('redirect_uri')}?code=good-code&state=${authUrl.searchParams.get('state')}`, { redirect: 'manual' });
    const completed = await server.client.waitFor((m) => m.method === 'account/login/completed');
    assert.equal(completed.params.success, false);
    assert.match(completed.params.error, /Sign in with the ChatGPT workspace ws-allowed/);
    assert.ok(!fs.existsSync(path.join(temp.home, 'auth.json')));
  });

  it('reads the usage from chatgpt_base_url when the config sets it', async () => {
    const backend = await new FakeModelServer().start();
    try {
      backend.usage = { plan_type: 'team', rate_limit: { primary_window: { used_percent: 50, limit_window_seconds: 3600, reset_at: 1800000000 }, secondary_window: null } };
      const { model, temp, server } = await fixture.boot(signIn());
      const config = path.join(temp.home, 'config.toml');
      fs.writeFileSync(config, `chatgpt_base_url = "${backend.baseUrl}/backend-api/"\n${fs.readFileSync(config, 'utf8')}`);
      await server.client.request('account/login/start', { type: 'chatgptAuthTokens', accessToken: 'ext-1', chatgptAccountId: 'ws-9', chatgptPlanType: 'pro' });
      const limits = await server.client.request('account/rateLimits/read');
      assert.deepEqual(limits.result.rateLimits.primary, { usedPercent: 50, windowDurationMins: 60, resetsAt: 1800000000 });
      assert.equal(backend.usageRequests.length, 1);
      assert.equal(model.usageRequests.length, 0, 'not the provider');
    } finally {
      await backend.stop();
    }
  });

  it('uses host-supplied tokens and asks the host for new ones on a 401', async () => {
    const { model, temp, server } = await fixture.boot(signIn());
    const login = await server.client.request('account/login/start', { type: 'chatgptAuthTokens', accessToken: 'ext-1', chatgptAccountId: 'ws-9', chatgptPlanType: 'pro' });
    assert.deepEqual(login.result, { type: 'chatgptAuthTokens' });
    assert.deepEqual((await server.client.waitFor((m) => m.method === 'account/updated')).params, { authMode: 'chatgptAuthTokens', planType: 'pro' });
    const browser = await server.client.request('account/login/start', { type: 'chatgpt' });
    assert.match(browser.error!.message, /not available while the host supplies ChatGPT tokens/);
    model.enqueue({ status: 401 }, textReply('ok'));
    server.client.waitFor((m) => m.method === 'account/chatgptAuthTokens/refresh').then((request) => {
      assert.deepEqual(request.params, { reason: 'unauthorized', previousAccountId: 'ws-9' });
      server.client.send({ id: request.id, result: { accessToken: 'ext-2', chatgptAccountId: 'ws-9', chatgptPlanType: 'pro' } });
    });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'hi');
    assert.equal(done.params.turn.status, 'completed');
    assert.deepEqual(model.requests.map((r) => r.headers.authorization), ['Bearer ext-1', 'Bearer ext-2']);
    assert.ok(!fs.existsSync(path.join(temp.home, 'auth.json')), 'host tokens stay in memory');
  });
});
