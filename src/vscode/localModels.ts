// Finds local model servers: Ollama (port 11434) and LM Studio (port 1234), and the models each serves.
// A server that does not answer within a short timeout is taken as absent. Free of the vscode module.
import type { LocalModelServer } from '../protocol';

export interface LocalEndpoint {
  provider: LocalModelServer['provider'];
  name: string;
  /** The URL that lists the models. */
  url: string;
  /** The model names in that URL's JSON reply. */
  models(reply: unknown): string[];
}

/** The built-in providers' defaults (see BUILTIN_PROVIDERS): loopback, where they listen out of the box. */
export const LOCAL_ENDPOINTS: readonly LocalEndpoint[] = [
  { provider: 'ollama', name: 'Ollama', url: 'http://127.0.0.1:11434/api/tags', models: (reply) => names((reply as { models?: unknown })?.models, 'name') },
  { provider: 'lmstudio', name: 'LM Studio', url: 'http://127.0.0.1:1234/v1/models', models: (reply) => names((reply as { data?: unknown })?.data, 'id') },
];

function names(list: unknown, key: string): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((entry) => (entry as Record<string, unknown> | null)?.[key]).filter((name): name is string => typeof name === 'string' && name.length > 0);
}

export interface DetectOptions {
  endpoints?: readonly LocalEndpoint[];
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The servers that answered, in the order of `endpoints`. Never throws. */
export async function detectLocalModels(options: DetectOptions = {}): Promise<LocalModelServer[]> {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 800;
  const probes = (options.endpoints ?? LOCAL_ENDPOINTS).map(async (endpoint): Promise<LocalModelServer | null> => {
    try {
      const response = await fetchImpl(endpoint.url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) return null;
      return { provider: endpoint.provider, name: endpoint.name, models: endpoint.models(await response.json()) };
    } catch {
      return null;
    }
  });
  return (await Promise.all(probes)).filter((server): server is LocalModelServer => server !== null);
}
