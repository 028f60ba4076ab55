import { strict as assert } from 'node:assert';
import { AuthManager } from '../../../../src/core/auth/authManager';
import { EphemeralCredentialStore } from '../../../../src/core/auth/credentialStore';
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

  it('prefers the stored sign-in, falls back to the provider env_key, and explains when neither is there', async () => {
    const envOnly = new AuthManager(new EphemeralCredentialStore(), { env: { OPENAI_API_KEY: 'sk-env' } });
    assert.deepEqual(await envOnly.headers(BUILTIN_PROVIDERS.openai!), { authorization: 'Bearer sk-env' });
    const signedIn = new AuthManager(new EphemeralCredentialStore(), { env: { OPENAI_API_KEY: 'sk-env' } });
    await signedIn.loginWithApiKey('  sk-stored  ');
    assert.deepEqual(await signedIn.headers(BUILTIN_PROVIDERS.openai!), { authorization: 'Bearer sk-stored' });
    const nobody = new AuthManager(new EphemeralCredentialStore(), { env: {} });
    await assert.rejects(nobody.headers(BUILTIN_PROVIDERS.openai!), /Not signed in to the model provider "OpenAI"\. Sign in .* or set OPENAI_API_KEY/);
    assert.deepEqual(await nobody.headers(BUILTIN_PROVIDERS.ollama!), {});
    await assert.rejects(nobody.loginWithApiKey('   '), /must not be empty/);
    const forced = new AuthManager(new EphemeralCredentialStore(), { forcedLoginMethod: () => 'chatgpt' });
    await assert.rejects(forced.loginWithApiKey('sk-x'), /API key login is disabled\. Use ChatGPT login instead\./);
  });
});
