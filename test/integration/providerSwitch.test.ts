// The first run's local path against the real in-process server: with no credentials the provider asks
// for a sign-in; choosing a local model writes config.toml through config/value/write (the user's
// comments and tables stay), the config watcher sees it within a second, and account/read then says no
// sign-in is needed — so the composer can send without a reload.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { silentLogger } from '../../src/core/log';
import { watchConfig } from '../../src/vscode/configWatcher';
import { useLocalModel } from '../../src/vscode/providerSetup';
import { Fixture } from '../support/fixture';

describe('integration: switching to a local model', function () {
  this.timeout(20_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it('writes the provider and model, and needs no sign-in afterwards', async () => {
    await fixture.start({ provider: { requires_openai_auth: true }, extraConfig: '# my own comment' });
    const { client } = await fixture.inProcess();
    const read = () => client.request('account/read', {}) as Promise<{ account: unknown; requiresOpenaiAuth: boolean }>;
    assert.deepEqual(await read(), { account: null, requiresOpenaiAuth: true });

    let seen = 0;
    const watcher = watchConfig(fixture.temp.home, () => (seen += 1), silentLogger, { debounceMs: 50 });
    try {
      const started = Date.now();
      await useLocalModel(client, 'ollama', 'qwen3:8b');
      while (seen === 0 && Date.now() - started < 1_000) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(seen > 0, 'the watcher saw the write within a second');
    } finally {
      watcher.dispose();
    }

    assert.deepEqual(await read(), { account: null, requiresOpenaiAuth: false });
    const { config } = (await client.request('config/read', {})) as { config: { model: string; model_provider: string } };
    assert.equal(config.model, 'qwen3:8b');
    assert.equal(config.model_provider, 'ollama');
    const text = fs.readFileSync(path.join(fixture.temp.home, 'config.toml'), 'utf8');
    assert.match(text, /# my own comment/);
    assert.match(text, /\[model_providers\.fake\]/);
    assert.equal(text.match(/^model_provider\s*=/gm)?.length, 1, 'replaced, not appended');
  });
});
