import { ModelError } from './errors';
import type { ModelAuth } from './responsesClient';
import type { ModelProviderInfo } from './provider';

/** Credentials from the provider's `env_key` variable; providers without one send no credentials. */
export class EnvKeyAuth implements ModelAuth {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async headers(provider: ModelProviderInfo): Promise<Record<string, string>> {
    if (!provider.envKey) return {};
    const key = this.env[provider.envKey]?.trim();
    if (!key) {
      const instructions = provider.envKeyInstructions ? ` ${provider.envKeyInstructions}` : '';
      throw new ModelError(`No credentials for the model provider "${provider.name}": ${provider.envKey} is not set.${instructions}`, 'unauthorized', false, 'request');
    }
    return { authorization: `Bearer ${key}` };
  }

  async refreshAfterUnauthorized(): Promise<boolean> {
    return false;
  }
}
