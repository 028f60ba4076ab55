// The signed-in account and the credentials model requests carry. Providers that need OpenAI auth use
// the stored sign-in (falling back to their env_key variable); other providers use their env_key only.
import { invalidRequest } from '../../protocol';
import { ModelError } from '../model/errors';
import type { ModelProviderInfo } from '../model/provider';
import type { ModelAuth } from '../model/responsesClient';
import type { CredentialStore, StoredCredentials } from './credentialStore';

export type ForcedLoginMethod = 'api' | 'chatgpt' | undefined;
export type AuthMode = 'apikey' | 'chatgpt';

export class AuthManager implements ModelAuth {
  private cached: StoredCredentials | null | undefined;

  constructor(
    private readonly store: CredentialStore,
    private readonly options: { forcedLoginMethod?: () => ForcedLoginMethod; env?: NodeJS.ProcessEnv } = {},
  ) {}

  private async credentials(): Promise<StoredCredentials | null> {
    if (this.cached === undefined) this.cached = await this.store.load();
    return this.cached;
  }

  async authMode(): Promise<AuthMode | null> {
    return (await this.credentials())?.auth_mode ?? null;
  }

  async loginWithApiKey(apiKey: string): Promise<void> {
    if (this.options.forcedLoginMethod?.() === 'chatgpt') throw invalidRequest('API key login is disabled. Use ChatGPT login instead.');
    const key = apiKey.trim();
    if (key === '') throw invalidRequest('the API key must not be empty');
    if (/\s/.test(key)) throw invalidRequest('the API key must not contain spaces or line breaks');
    const credentials: StoredCredentials = { auth_mode: 'apikey', OPENAI_API_KEY: key, tokens: null, last_refresh: new Date().toISOString() };
    await this.store.save(credentials);
    this.cached = credentials;
  }

  async logout(): Promise<void> {
    await this.store.delete();
    this.cached = null;
  }

  async account(): Promise<{ type: 'apiKey' } | null> {
    const credentials = await this.credentials();
    if (credentials?.auth_mode === 'apikey' && credentials.OPENAI_API_KEY) return { type: 'apiKey' };
    return null;
  }

  async headers(provider: ModelProviderInfo): Promise<Record<string, string>> {
    if (provider.requiresOpenaiAuth) {
      const stored = (await this.credentials())?.OPENAI_API_KEY;
      if (stored) return { authorization: `Bearer ${stored}` };
    }
    if (provider.envKey) {
      const key = (this.options.env ?? process.env)[provider.envKey]?.trim();
      if (key) return { authorization: `Bearer ${key}` };
    }
    if (provider.requiresOpenaiAuth || provider.envKey) {
      const how = provider.envKey ? ` Sign in (Tandem: Sign In with API Key, or account/login/start), or set ${provider.envKey}.` : ' Sign in first.';
      throw new ModelError(`Not signed in to the model provider "${provider.name}".${how}`, 'unauthorized', false, 'request');
    }
    return {};
  }

  async refreshAfterUnauthorized(): Promise<boolean> {
    // API keys cannot be refreshed; ChatGPT tokens will be.
    return false;
  }
}
