import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textReply, type FakeModelServer } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import type { SpawnedServer, WireMessage } from '../support/protocolClient';
import { runTurn, startThread } from '../support/session';
import type { TempHome } from '../support/tempHome';

const SECRET = 'sk-tandem-test-SECRET-7f3a9c2e1b';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describe('integration: account and models', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  let model: FakeModelServer;
  let temp: TempHome;
  let server: SpawnedServer;

  beforeEach(async () => {
    ({ model, temp, server } = await fixture.boot({ provider: { requires_openai_auth: true }, env: { OPENAI_API_KEY: '' } }));
  });
  afterEach(() => fixture.close());

  it('signs in with an API key, sends it to the model, signs out — and never leaks it', async () => {
    assert.deepEqual((await server.client.request('account/read', {})).result, { account: null, requiresOpenaiAuth: true });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const refused = await runTurn(server.client, threadId, 'before sign-in');
    assert.match(refused.params.turn.error.message, /Not signed in to the model provider "Fake"/);

    const login = await server.client.request('account/login/start', { type: 'apiKey', apiKey: SECRET });
    assert.deepEqual(login.result, { type: 'apiKey' });
    assert.deepEqual((await server.client.waitFor((m) => m.method === 'account/login/completed')).params, { loginId: null, success: true, error: null });
    assert.deepEqual((await server.client.waitFor((m) => m.method === 'account/updated')).params, { authMode: 'apikey', planType: null });
    assert.deepEqual((await server.client.request('account/read', {})).result, { account: { type: 'apiKey' }, requiresOpenaiAuth: true });
    const authFile = path.join(temp.home, 'auth.json');
    assert.equal(fs.statSync(authFile).mode & 0o777, 0o600);

    model.enqueue(textReply('signed in fine'));
    const done = await runTurn(server.client, threadId, 'after sign-in');
    assert.equal(done.params.turn.status, 'completed');
    assert.equal(model.requests.at(-1)!.headers.authorization, `Bearer ${SECRET}`);

    await server.client.request('account/logout');
    await server.client.waitFor((m) => m.method === 'account/updated' && m.params.authMode === null);
    assert.ok(!fs.existsSync(authFile));
    const bad = await server.client.request('account/login/start', { type: 'apiKey', apiKey: `${SECRET} oops` });
    assert.match(bad.error!.message, /must not contain spaces/);
    await server.close();

    // The scan: every message the client saw, every log line, every file Tandem wrote.
    const outputs = [JSON.stringify(server.client.received), server.stderr(), ...filesUnder(temp.home).map((f) => fs.readFileSync(f, 'utf8'))];
    assert.ok(server.stderr().length > 0, 'debug logs were captured');
    for (const output of outputs) assert.ok(!output.includes(SECRET), 'the key appears nowhere');
    assert.ok(!JSON.stringify(server.client.received).includes(SECRET.slice(3, 20)), 'not even a fragment');
  });

  it('enforces forced_login_method with a plain message', async () => {
    await server.close();
    fs.writeFileSync(path.join(temp.home, 'config.toml'), 'forced_login_method = "chatgpt"\n');
    server = await fixture.spawn();
    const refused = await server.client.request('account/login/start', { type: 'apiKey', apiKey: 'sk-x' });
    assert.deepEqual(refused.error, { code: -32600, message: 'API key login is disabled. Use ChatGPT login instead.' });
  });

  it('answers a cancel of a login id no sign-in has with notFound, and a malformed one with an error, as codex does', async () => {
    const unknown = await server.client.request('account/login/cancel', { loginId: '3f1c2a9e-5b7d-4c1e-9a2b-0d4e6f8a1b2c' });
    assert.deepEqual(unknown.result, { status: 'notFound' });
    const cancel = await server.client.request('account/login/cancel', { loginId: 'abc' });
    assert.deepEqual(cancel.error, { code: -32600, message: 'invalid login id: abc' });
  });

  it('tracks rate limits from model response headers', async () => {
    // Reads answer only a ChatGPT sign-in, with codex's errors otherwise; the headers are tracked whatever the sign-in.
    assert.deepEqual((await server.client.request('account/rateLimits/read')).error, { code: -32600, message: 'codex account authentication required to read rate limits' });
    await server.client.request('account/login/start', { type: 'apiKey', apiKey: 'sk-rl' });
    model.enqueue({
      ...textReply('metered'),
      headers: {
        'x-codex-primary-used-percent': '42.4',
        'x-codex-primary-window-minutes': '300',
        'x-codex-primary-reset-at': '1800000000',
        'x-codex-secondary-used-percent': '7',
        'x-codex-credits-has-credits': 'true',
        'x-codex-credits-unlimited': 'false',
        'x-codex-credits-balance': '12.50',
      },
    });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, threadId, 'count me');
    const updated = await server.client.waitFor((m) => m.method === 'account/rateLimits/updated');
    const expected = {
      limitId: 'codex',
      limitName: null,
      primary: { usedPercent: 42, windowDurationMins: 300, resetsAt: 1800000000 },
      secondary: { usedPercent: 7, windowDurationMins: null, resetsAt: null },
      credits: { hasCredits: true, unlimited: false, balance: '12.50' },
      planType: null,
    };
    assert.deepEqual(updated.params.rateLimits, expected);
    assert.deepEqual((await server.client.request('account/rateLimits/read')).error, { code: -32600, message: 'chatgpt authentication required to read rate limits' });
  });

  it('lists models with index cursors, and asks local providers for theirs', async () => {
    const ids = (r: WireMessage): string[] => r.result.data.map((m: { id: string }) => m.id);
    const page = await server.client.request('model/list', { modelProvider: 'openai', limit: 2 });
    assert.deepEqual(ids(page), ['gpt-6.1-sol', 'gpt-6-astra']);
    assert.equal(page.result.nextCursor, '2');
    assert.equal(page.result.data[0].isDefault, true);
    assert.equal(page.result.data[0].contextWindow, 272000);
    const rest = await server.client.request('model/list', { modelProvider: 'openai', cursor: '8' });
    assert.deepEqual(ids(rest), ['gpt-5.5', 'test-model'], 'the configured model the catalog lacks comes last');
    assert.equal(rest.result.nextCursor, null);
    assert.equal((await server.client.request('model/list', { modelProvider: 'openai', includeHidden: true })).result.data.length, 13);
    assert.deepEqual((await server.client.request('model/list', { modelProvider: 'openai', cursor: 'abc' })).error, { code: -32600, message: 'invalid cursor: abc' });
    assert.deepEqual((await server.client.request('model/list', { modelProvider: 'openai', cursor: '99' })).error, { code: -32600, message: 'cursor 99 exceeds total models 10' });

    const local = await server.client.request('model/list', {});
    assert.deepEqual(ids(local), ['test-model', 'fake-model-a', 'fake-model-b'], 'the configured model first when the provider does not list it');
    assert.deepEqual(local.result.data.map((m: { isDefault: boolean }) => m.isDefault), [true, false, false]);
    model.models = ['fake-model-a', 'gpt-5.5', 'test-model'];
    const known = await server.client.request('model/list', {});
    assert.deepEqual(ids(known), ['fake-model-a', 'gpt-5.5', 'test-model']);
    assert.deepEqual(known.result.data.map((m: { isDefault: boolean }) => m.isDefault), [false, false, true]);
    assert.deepEqual(known.result.data[1].inputModalities, ['text', 'image'], 'a catalog model keeps its capabilities');
    assert.deepEqual(known.result.data[1].supportedReasoningEfforts.map((e: { reasoningEffort: string }) => e.reasoningEffort), ['low', 'medium', 'high', 'xhigh']);

    const warnings = server.client.notifications('warning').length;
    model.models = [];
    const empty = await server.client.request('model/list', {});
    assert.deepEqual(ids(empty), ['test-model'], 'an empty list still offers the configured model');
    assert.equal(empty.result.data[0].isDefault, true);
    assert.deepEqual(empty.result.data[0].inputModalities, ['text']);
    assert.equal(server.client.notifications('warning').length, warnings, 'an empty list is not a failure');
    model.models = 503;
    const failing = await server.client.request('model/list', {});
    assert.deepEqual(ids(failing), ['test-model'], 'a provider that cannot list is not fatal');
    assert.equal(failing.result.data[0].isDefault, true);
    assert.match(server.client.notifications('warning').at(-1)!.params.message, /could not list the models of "Fake": .* answered 503/);
  });
});
