// OAuth sign-in to a streamable HTTP MCP server (mcpServer/oauth/login): a server behind the SDK's OAuth
// router reports notLoggedIn and fails its start; signing in through the browser flow (followed here with
// fetch: the fake authorization endpoint approves and redirects to the loopback callback) stores the tokens
// in the credential store, announces the end, and restarts the server, whose tools then work. Also: refresh
// of an expired token, a revoked sign-in, a refused sign-in, a timeout, bad requests, and the tokens in a
// secret store (as SecretStorage in VS Code) instead of the file.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { silentLogger } from '../../src/core/log';
import { MemorySecretStore } from '../../src/core/mcp/mcpOAuthStore';
import { createTandemServer } from '../../src/server/tandemServer';
import { startInProcess } from '../../src/server/transports/inProcess';
import { Fixture, InProcessSession } from '../support/fixture';
import { bundledMcpStdioCommand } from '../support/mcpTestServerBundle';
import { startTestMcpHttpServer, type TestMcpHttpServer } from '../support/mcpTestHttpServer';
import { startTestOAuthServer, type TestOAuthServer } from '../support/mcpOAuthServer';
import { stdioServerToml } from '../support/mcpScenario';
import type { MessageLog, WireMessage } from '../support/protocolClient';
import { startThread } from '../support/session';

const FULL_ACCESS = 'approval_policy = "never"\nsandbox_mode = "danger-full-access"';

const httpServerToml = (name: string, url: string) => `[mcp_servers.${name}]\nurl = ${JSON.stringify(url)}\n`;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

type Requester = { request(method: string, params?: unknown): Promise<WireMessage> };

/** The n-th (from 0) message matching, already received or still to come. */
async function nth(log: MessageLog, n: number, match: (m: WireMessage) => boolean): Promise<WireMessage> {
  for (;;) {
    const seen = log.received.filter(match);
    if (seen.length > n) return seen[n]!;
    await log.waitFor((m) => match(m) && !seen.includes(m));
  }
}

const startup = (name: string, status: string) => (m: WireMessage) => m.method === 'mcpServer/startupStatus/updated' && m.params.name === name && m.params.status === status;
const completed = (m: WireMessage) => m.method === 'mcpServer/oauthLogin/completed';

async function statusOf(client: Requester, name: string, threadId?: string) {
  const listed = await client.request('mcpServerStatus/list', { serverName: name, ...(threadId ? { threadId } : {}) });
  assert.equal(listed.error, undefined, JSON.stringify(listed.error));
  return listed.result.data[0];
}

/** Starts a sign-in and follows its authorization URL as a browser would; returns the login and the page. */
async function signIn(client: Requester, params: Record<string, unknown>) {
  const login = await client.request('mcpServer/oauth/login', params);
  assert.equal(login.error, undefined, JSON.stringify(login.error));
  const page = await fetch(login.result.authorizationUrl);
  return { login: login.result as { authorizationUrl: string; loginId: string }, page: { status: page.status, text: await page.text() } };
}

describe('integration: MCP OAuth sign-in', function () {
  this.timeout(60_000);
  const fixture = new Fixture();
  let oauth: TestOAuthServer | undefined;
  let plain: TestMcpHttpServer | undefined;
  afterEach(async () => {
    await fixture.close();
    await oauth?.close();
    await plain?.close();
    oauth = plain = undefined;
  });

  it('signs in through the browser, keeps the tokens in the credential store and restarts the server', async () => {
    oauth = await startTestOAuthServer();
    await fixture.start({ extraConfig: FULL_ACCESS, tables: httpServerToml('secure', oauth.url) });
    const { client } = await fixture.spawn();
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    const failed = await client.waitFor(startup('secure', 'failed'));
    assert.match(failed.params.error, /secure failed to start: it requires you to sign in \(OAuth\)/);
    assert.equal(failed.params.failureReason, null);
    const before = await statusOf(client, 'secure', threadId);
    assert.deepEqual([before.authStatus, before.runtimeStatus], ['notLoggedIn', 'failed']);

    const response = await client.request('mcpServer/oauth/login', { name: 'secure', threadId });
    const login = response.result as { authorizationUrl: string; loginId: string };
    const url = new URL(login.authorizationUrl);
    assert.equal(url.origin + url.pathname, new URL('/authorize', oauth.url).href);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('resource'), oauth.url);
    assert.equal(url.searchParams.get('scope'), 'tools', 'the scopes the server advertises');
    const redirect = url.searchParams.get('redirect_uri')!;
    assert.match(redirect, /^http:\/\/127\.0\.0\.1:\d+\/callback\/[\w-]{12}$/);
    assert.deepEqual(oauth.registrations.map((r) => [r.client_name, r.redirect_uris]), [['Tandem', [redirect]]]);
    // A callback without this sign-in's state neither finishes nor fails it.
    const forged = await fetch(`${redirect}?code=stolen&state=wrong`);
    assert.deepEqual([forged.status, await forged.text()], [400, 'Invalid OAuth callback']);
    assert.equal(client.received.filter(completed).length, 0);
    const page = await fetch(url);
    assert.deepEqual([page.status, await page.text()], [200, 'Authentication complete. You may close this window.']);

    const done = await client.waitFor(completed);
    assert.deepEqual(done.params, { name: 'secure', threadId, success: true, error: null, loginId: login.loginId });
    await client.waitFor(startup('secure', 'ready'));
    const called = await client.request('mcpServer/tool/call', { threadId, server: 'secure', tool: 'add', arguments: { a: 2, b: 3 } });
    assert.deepEqual(called.result?.structuredContent, { sum: 5 }, JSON.stringify(called.error));
    const after = await statusOf(client, 'secure', threadId);
    assert.deepEqual([after.authStatus, after.runtimeStatus], ['oAuth', 'connected']);

    const token = oauth.accessTokens[0]!;
    const file = path.join(fixture.temp.home, '.credentials.json');
    assert.ok(fs.readFileSync(file, 'utf8').includes(token), 'the access token is in the credential file');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.ok(!fs.readFileSync(path.join(fixture.temp.home, 'config.toml'), 'utf8').includes(token), 'never in the config');
    await assert.rejects(fetch(redirect), 'the callback listener is closed after the sign-in');
  });

  it('refreshes an expired token through the SDK and keeps the new one', async () => {
    oauth = await startTestOAuthServer({ accessTokenTtlSec: 1 });
    await fixture.start({ extraConfig: FULL_ACCESS, tables: httpServerToml('secure', oauth.url) });
    const { client } = await fixture.spawn();
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    await client.waitFor(startup('secure', 'failed'));
    await signIn(client, { name: 'secure', threadId });
    await nth(client, 0, startup('secure', 'ready'));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const refreshesBefore = oauth.refreshes;
    assert.deepEqual((await client.request('config/mcpServer/reload', {})).result, {});
    await nth(client, 1, startup('secure', 'ready'));
    assert.ok(oauth.refreshes > refreshesBefore, 'the expired token was refreshed');
    const called = await client.request('mcpServer/tool/call', { threadId, server: 'secure', tool: 'add', arguments: { a: 1, b: 1 } });
    assert.deepEqual(called.result?.structuredContent, { sum: 2 }, JSON.stringify(called.error));
    const stored = fs.readFileSync(path.join(fixture.temp.home, '.credentials.json'), 'utf8');
    assert.ok(stored.includes(oauth.accessTokens.at(-1)!), 'the refreshed token is stored');
  });

  it('a revoked sign-in fails the start as needing a new sign-in and is forgotten', async () => {
    oauth = await startTestOAuthServer();
    await fixture.start({ extraConfig: FULL_ACCESS, tables: httpServerToml('secure', oauth.url) });
    const { client } = await fixture.spawn();
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    await signIn(client, { name: 'secure', threadId });
    await nth(client, 0, startup('secure', 'ready'));
    oauth.revokeAll();
    await client.request('config/mcpServer/reload', {});
    const failed = await nth(client, 1, startup('secure', 'failed'));
    assert.match(failed.params.error, /sign-in has expired or was revoked: sign in to secure again/);
    assert.equal(failed.params.failureReason, 'reauthenticationRequired');
    assert.equal((await statusOf(client, 'secure', threadId)).authStatus, 'notLoggedIn');
    assert.ok(!fs.existsSync(path.join(fixture.temp.home, '.credentials.json')), 'the refused tokens are deleted');
  });

  it('a refused sign-in ends with the provider error, and nothing is stored; mcp_oauth_callback_port fixes the port', async () => {
    oauth = await startTestOAuthServer({ deny: { error: 'access_denied', description: 'The user said no' } });
    const port = await freePort();
    await fixture.start({ extraConfig: `${FULL_ACCESS}\nmcp_oauth_callback_port = ${port}`, tables: httpServerToml('secure', oauth.url) });
    const { client } = await fixture.spawn();
    const { login, page } = await signIn(client, { name: 'secure' });
    assert.equal(new URL(new URL(login.authorizationUrl).searchParams.get('redirect_uri')!).port, String(port));
    assert.equal(page.status, 400);
    assert.match(page.text, /Sign-in failed: OAuth provider returned `access_denied`: The user said no/);
    const done = await client.waitFor(completed);
    assert.deepEqual(done.params, { name: 'secure', threadId: null, success: false, error: 'OAuth provider returned `access_denied`: The user said no', loginId: login.loginId });
    assert.equal((await statusOf(client, 'secure')).authStatus, 'notLoggedIn');
    assert.ok(!fs.existsSync(path.join(fixture.temp.home, '.credentials.json')));
  });

  it('a sign-in nobody finishes times out and closes its callback', async () => {
    oauth = await startTestOAuthServer();
    await fixture.start({ extraConfig: FULL_ACCESS, tables: httpServerToml('secure', oauth.url) });
    const { client } = await fixture.spawn();
    const login = await client.request('mcpServer/oauth/login', { name: 'secure', timeoutSecs: 1 });
    const redirect = new URL(login.result.authorizationUrl).searchParams.get('redirect_uri')!;
    const started = Date.now();
    const done = await client.waitFor(completed, 10_000);
    assert.deepEqual([done.params.success, done.params.error, done.params.loginId], [false, 'timed out waiting for OAuth callback', login.result.loginId]);
    assert.ok(Date.now() - started < 5_000);
    await assert.rejects(fetch(redirect));
    await assert.rejects(fetch(login.result.authorizationUrl), 'following the link now finds no callback listening');
  });

  it('refuses to sign in to an unknown server, a stdio server or one without OAuth, with the reason', async () => {
    plain = await startTestMcpHttpServer();
    await fixture.start({ extraConfig: FULL_ACCESS, tables: stdioServerToml('local', await bundledMcpStdioCommand()) + httpServerToml('open', plain.url) });
    const { client } = await fixture.spawn();
    const unknown = await client.request('mcpServer/oauth/login', { name: 'ghost' });
    assert.match(unknown.error!.message, /there is no MCP server named ghost/);
    const stdio = await client.request('mcpServer/oauth/login', { name: 'local' });
    assert.match(stdio.error!.message, /OAuth login is only supported for streamable HTTP servers; local runs over stdio/);
    const open = await client.request('mcpServer/oauth/login', { name: 'open' });
    assert.match(open.error!.message, /failed to sign in to MCP server open: open does not offer an OAuth sign-in/);
    assert.equal((await statusOf(client, 'open')).authStatus, 'unsupported');
  });

  it('a server given a bearer token that answers 401 keeps its own error and is not asked to sign in', async () => {
    plain = await startTestMcpHttpServer({ bearerToken: 'right' });
    await fixture.start({ extraConfig: FULL_ACCESS, tables: `${httpServerToml('remote', plain.url)}bearer_token_env_var = "REMOTE_TOKEN"\n` });
    const { client } = await fixture.spawn({ env: { REMOTE_TOKEN: 'wrong' } });
    const status = await statusOf(client, 'remote');
    assert.equal(status.authStatus, 'bearerToken');
    assert.match(status.toolsError, /remote failed to start: .*Unauthorized/);
    assert.doesNotMatch(status.toolsError, /sign in/);
  });

  it('in the extension the tokens go to its secret store, not to a file', async () => {
    oauth = await startTestOAuthServer();
    await fixture.start({ extraConfig: FULL_ACCESS, tables: httpServerToml('secure', oauth.url) });
    const secrets = new MemorySecretStore();
    const server = createTandemServer({ logger: silentLogger, home: fixture.temp.home, defaultCwd: fixture.temp.workspace, mcpSecrets: secrets });
    const client = await startInProcess({ server, clientInfo: { name: 'tandem_test', title: null, version: '0' }, ownsServer: true });
    const session = new InProcessSession(client);
    const requester: Requester = { request: async (method, params) => ({ result: await client.request(method, params) }) as WireMessage };
    try {
      assert.equal((await statusOf(requester, 'secure')).authStatus, 'notLoggedIn');
      const { page } = await signIn(requester, { name: 'secure' });
      assert.equal(page.status, 200);
      assert.equal((await session.waitFor(completed)).params.success, true);
      // Without a thread no startup status is told (as codex): the list says when the server is back.
      let status = await statusOf(requester, 'secure');
      for (const deadline = Date.now() + 10_000; !status.serverInfo && Date.now() < deadline; status = await statusOf(requester, 'secure')) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(status.authStatus, 'oAuth');
      assert.equal(status.serverInfo?.name, 'tandem-test', 'the server runs with the token');
      const entries = [...secrets.entries];
      assert.equal(entries.length, 1);
      assert.match(entries[0]![0], /^mcp-oauth\/secure\|[0-9a-f]{16}$/);
      assert.ok(entries[0]![1].includes(oauth.accessTokens[0]!));
      assert.ok(!fs.existsSync(path.join(fixture.temp.home, '.credentials.json')));
    } finally {
      await client.shutdown();
    }
  });
});
