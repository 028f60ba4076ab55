// Where MCP OAuth sign-ins are kept: one entry per server name and URL, in a secret store; the CLI's file
// store is private to the user, written whole, and never echoes its secrets; and the loopback callback id.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { callbackId } from '../../../../src/core/mcp/mcpOAuthCallback';
import { FileSecretStore, McpOAuthStore, MemorySecretStore, storeKey, type McpOAuthCredentials } from '../../../../src/core/mcp/mcpOAuthStore';

const credentials = (serverName: string, serverUrl: string, accessToken: string): McpOAuthCredentials => ({
  serverName,
  serverUrl,
  clientInformation: { client_id: 'client-1' },
  tokens: { access_token: accessToken, token_type: 'bearer', refresh_token: 'r' },
  expiresAt: null,
  redirectUrl: 'http://127.0.0.1:1/callback/x',
});

describe('mcp OAuth store', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-mcp-oauth-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keys a sign-in by server name and URL: a changed URL finds none', async () => {
    const store = new McpOAuthStore(new MemorySecretStore());
    await store.save(credentials('docs', 'https://a.example/mcp', 'token-a'));
    assert.equal((await store.load('docs', 'https://a.example/mcp'))?.tokens.access_token, 'token-a');
    assert.equal(await store.load('docs', 'https://b.example/mcp'), null);
    assert.equal(await store.load('other', 'https://a.example/mcp'), null);
    assert.notEqual(storeKey('docs', 'https://a.example/mcp'), storeKey('docs', 'https://b.example/mcp'));
    await store.delete('docs', 'https://a.example/mcp');
    assert.equal(await store.load('docs', 'https://a.example/mcp'), null);
  });

  it('reads an entry that is not a sign-in as none', async () => {
    const secrets = new MemorySecretStore();
    const store = new McpOAuthStore(secrets);
    await secrets.store(storeKey('docs', 'https://a.example/mcp'), '{"tokens": 3}');
    assert.equal(await store.load('docs', 'https://a.example/mcp'), null);
    await secrets.store(storeKey('docs', 'https://a.example/mcp'), 'not json');
    assert.equal(await store.load('docs', 'https://a.example/mcp'), null);
  });

  it('keeps the CLI file private, lands writes that overlap, and removes it with its last entry', async () => {
    const file = path.join(dir, 'home', '.credentials.json');
    const store = new McpOAuthStore(new FileSecretStore(file));
    await Promise.all([store.save(credentials('one', 'https://one.example/mcp', 't1')), store.save(credentials('two', 'https://two.example/mcp', 't2'))]);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal((await store.load('one', 'https://one.example/mcp'))?.tokens.access_token, 't1');
    assert.equal((await store.load('two', 'https://two.example/mcp'))?.tokens.access_token, 't2');
    await store.delete('one', 'https://one.example/mcp');
    assert.ok(fs.existsSync(file));
    await store.delete('two', 'https://two.example/mcp');
    assert.ok(!fs.existsSync(file));
  });

  it('says a broken file is broken without showing what is in it', async () => {
    const file = path.join(dir, '.credentials.json');
    fs.writeFileSync(file, '{"secret-token-value": ');
    await assert.rejects(new FileSecretStore(file).get('x'), (error: Error) => error.message.includes(file) && !error.message.includes('secret-token-value'));
  });

  it('derives the callback id from the server URL, as codex does', () => {
    assert.match(callbackId('https://mcp.example.com/mcp'), /^[\w-]{12}$/);
    assert.equal(callbackId('https://mcp.example.com/mcp#part'), callbackId('https://mcp.example.com/mcp'));
    assert.notEqual(callbackId('https://mcp.example.com/mcp'), callbackId('https://mcp.example.com/other'));
  });
});
