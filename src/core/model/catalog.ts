// The models Tandem knows for the OpenAI provider, and the provider's own list for local and custom ones.
import type { ModelInfo } from '../../protocol';
import type { ModelProviderInfo } from './provider';

const EFFORTS = [
  { reasoningEffort: 'low', description: 'Fast answers with light reasoning' },
  { reasoningEffort: 'medium', description: 'Balanced speed and depth' },
  { reasoningEffort: 'high', description: 'Deeper reasoning for harder problems' },
  { reasoningEffort: 'xhigh', description: 'The most thorough reasoning' },
];

/** Context windows, for usage display and compaction. */
export const CONTEXT_WINDOWS: Record<string, number> = { 'gpt-5.5': 272_000, 'gpt-5.4': 272_000, 'gpt-5.4-mini': 272_000, 'gpt-5.3-codex': 272_000 };

function entry(model: string, displayName: string, description: string, options: Partial<ModelInfo> = {}): ModelInfo {
  return {
    id: model,
    model,
    displayName,
    description,
    hidden: false,
    isDefault: false,
    supportedReasoningEfforts: EFFORTS,
    defaultReasoningEffort: 'medium',
    inputModalities: ['text', 'image'],
    supportsPersonality: false,
    additionalSpeedTiers: [],
    serviceTiers: [],
    defaultServiceTier: null,
    upgrade: null,
    upgradeInfo: null,
    availabilityNux: null,
    contextWindow: CONTEXT_WINDOWS[model] ?? null,
    ...options,
  };
}

/** Models served only to a ChatGPT sign-in (Codex's `supported_in_api: false`); an API key does not list them. */
const CHATGPT_ONLY = new Set(['gpt-5.3-codex']);

export function catalogFor(authMode: string | null, includeHidden: boolean): ModelInfo[] {
  return OPENAI_CATALOG.filter((m) => (includeHidden || !m.hidden) && !(authMode === 'apikey' && CHATGPT_ONLY.has(m.id)));
}


export const OPENAI_CATALOG: readonly ModelInfo[] = [
  entry('gpt-5.5', 'GPT-5.5', 'The strongest general model for coding and agentic work.', { isDefault: true }),
  entry('gpt-5.4', 'GPT-5.4', 'A capable previous-generation model.'),
  entry('gpt-5.4-mini', 'GPT-5.4 mini', 'Faster and cheaper, for simpler tasks.', { defaultReasoningEffort: 'low' }),
  entry('gpt-5.3-codex', 'GPT-5.3 Codex', 'Tuned for code; kept for existing setups.', { hidden: true }),
];

/** How long to wait for a provider's /models before giving up (local servers answer fast or not at all). */
export const PROVIDER_MODELS_TIMEOUT_MS = 3_000;

/** A provider's `GET {base}/models`, as catalog entries. Throws with a readable reason on failure. */
export async function providerModels(provider: ModelProviderInfo, headers: Record<string, string>, fetchImpl: typeof fetch = fetch): Promise<ModelInfo[]> {
  const url = `${provider.baseUrl.replace(/\/+$/, '')}/models`;
  let response: Response;
  try {
    response = await fetchImpl(url, { headers, signal: AbortSignal.timeout(PROVIDER_MODELS_TIMEOUT_MS) });
  } catch (error) {
    throw new Error(`could not list the models of "${provider.name}" at ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) throw new Error(`could not list the models of "${provider.name}": ${url} answered ${response.status}`);
  const body = (await response.json().catch(() => ({}))) as { data?: Array<{ id?: unknown }>; models?: Array<{ name?: unknown }> };
  const ids = [...(body.data ?? []).map((m) => m.id), ...(body.models ?? []).map((m) => m.name)].filter((id): id is string => typeof id === 'string');
  return ids.map((id) => entry(id, id, `Served by ${provider.name}`, { supportedReasoningEfforts: [], defaultReasoningEffort: 'medium', inputModalities: ['text'] }));
}
