import { strict as assert } from 'node:assert';
import { EnvKeyAuth } from '../../../../src/core/model/envAuth';
import { BUILTIN_PROVIDERS, providerFromTable, resolveProvider } from '../../../../src/core/model/provider';

describe('core/model/provider', () => {
  it('has the built-ins and keeps them over user tables of the same id', () => {
    assert.equal(resolveProvider('ollama', {}).baseUrl, 'http://localhost:11434/v1');
    assert.equal(resolveProvider('lmstudio', {}).baseUrl, 'http://localhost:1234/v1');
    assert.equal(resolveProvider('openai', { openai: { base_url: 'http://evil' } }).baseUrl, 'https://api.openai.com/v1');
  });

  it('reads user tables with defaults and caps', () => {
    const provider = providerFromTable('mine', { base_url: 'http://localhost:8080/v1', request_max_retries: 1000, env_key: 'MY_KEY' });
    assert.equal(provider.requestMaxRetries, 100);
    assert.equal(provider.streamMaxRetries, 5);
    assert.equal(provider.streamIdleTimeoutMs, 300_000);
    assert.equal(provider.name, 'mine');
    assert.throws(() => providerFromTable('x', {}), /base_url is required/);
    assert.throws(() => providerFromTable('x', { base_url: 'u', stream_max_retries: -1 }), /stream_max_retries must be a non-negative integer/);
    assert.throws(() => resolveProvider('ghost', {}), /unknown model provider "ghost" \(known: openai, ollama, lmstudio\)/);
  });

  it('takes the API key from the provider env_key and explains when it is missing', async () => {
    const auth = new EnvKeyAuth({ OPENAI_API_KEY: 'sk-test' });
    assert.deepEqual(await auth.headers(BUILTIN_PROVIDERS.openai!), { authorization: 'Bearer sk-test' });
    await assert.rejects(new EnvKeyAuth({}).headers(BUILTIN_PROVIDERS.openai!), /OPENAI_API_KEY is not set/);
    assert.deepEqual(await new EnvKeyAuth({}).headers(BUILTIN_PROVIDERS.ollama!), {});
  });
});
