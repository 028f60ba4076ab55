// Switching the model provider: written into config.toml by the server (config/value/write keeps the
// user's comments and layout), never by appending text. Free of the vscode module.
import type { LocalModelServer } from '../protocol';

export interface ConfigWriter {
  request(method: string, params?: unknown): Promise<unknown>;
}

/** Makes new threads use `model` from a local server; such providers need no sign-in. */
export async function useLocalModel(client: ConfigWriter, provider: LocalModelServer['provider'], model: string): Promise<void> {
  // The model first: once the provider changes, the composer may send, and it should send to this model.
  await client.request('config/value/write', { keyPath: 'model', value: model, mergeStrategy: 'replace' });
  await client.request('config/value/write', { keyPath: 'model_provider', value: provider, mergeStrategy: 'replace' });
}
