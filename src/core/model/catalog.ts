// What `model/list` answers: the built-in catalog for the OpenAI provider, and for other providers their
// own `/models` — or, when that fails or is empty, the configured model, so a client always has one.
import type { ModelInfo } from '../../protocol';
import { modelAcceptsImages, modelSupportsReasoning } from './modelInfo';
import { EARLIER_CONTEXT_WINDOWS, EFFORT_DESCRIPTIONS, OPENAI_MODELS, type CatalogModel, type Effort } from './openaiCatalog';
import type { ModelProviderInfo } from './provider';

/** Context windows, for usage display and compaction. */
export const CONTEXT_WINDOWS: Record<string, number> = {
  ...EARLIER_CONTEXT_WINDOWS,
  ...Object.fromEntries(OPENAI_MODELS.map((m) => [m.id, m.contextWindow])),
};

/** What a thread runs when config.toml names no model: the catalog's first visible entry, as in codex. */
export const DEFAULT_MODEL = OPENAI_MODELS.find((m) => !m.hidden)!.id;

const efforts = (list: readonly Effort[]) => list.map((reasoningEffort) => ({ reasoningEffort, description: EFFORT_DESCRIPTIONS[reasoningEffort] }));

function fromCatalog(m: CatalogModel): ModelInfo {
  return {
    id: m.id,
    model: m.id,
    upgrade: m.upgrade?.model ?? null,
    upgradeInfo: m.upgrade ? { model: m.upgrade.model, upgradeCopy: null, modelLink: null, migrationMarkdown: m.upgrade.migrationMarkdown, retirementAt: null } : null,
    availabilityNux: m.availabilityNux ? { message: m.availabilityNux } : null,
    displayName: m.displayName,
    description: m.description,
    modelSpecialty: m.modelSpecialty ?? null,
    hidden: m.hidden ?? false,
    supportedReasoningEfforts: efforts(m.efforts),
    defaultReasoningEffort: m.defaultEffort,
    inputModalities: ['text', 'image'],
    supportsPersonality: false,
    multiAgentVersion: m.multiAgentVersion,
    additionalSpeedTiers: m.fastTier ? ['fast'] : [],
    serviceTiers: m.fastTier ? [{ id: 'priority', name: 'Fast', description: m.fastTier }] : [],
    defaultServiceTier: m.defaultServiceTier ?? null,
    availableAccessPrograms: null,
    isDefault: m.id === DEFAULT_MODEL,
    contextWindow: m.contextWindow,
  };
}

export const OPENAI_CATALOG: readonly ModelInfo[] = OPENAI_MODELS.map(fromCatalog);

/** The built-in entry for a model id, if Tandem knows it. */
export function knownModel(id: string): ModelInfo | undefined {
  return OPENAI_CATALOG.find((m) => m.id === id);
}

/** The verbosity codex asks of its catalog's models ("low"); none for models it does not know. */
export function defaultVerbosity(id: string): 'low' | undefined {
  return knownModel(id) ? 'low' : undefined;
}

/**
 * A model Tandem has only an id for. Reasoning efforts and image input are declared only for families
 * known to have them, so a client does not offer attachments a text-only model would reject.
 */
export function unknownModel(id: string, description: string): ModelInfo {
  const reasons = modelSupportsReasoning(id);
  return {
    id,
    model: id,
    upgrade: null,
    upgradeInfo: null,
    availabilityNux: null,
    displayName: id,
    description,
    modelSpecialty: null,
    hidden: false,
    supportedReasoningEfforts: reasons ? efforts(['low', 'medium', 'high']) : [],
    defaultReasoningEffort: 'medium',
    inputModalities: modelAcceptsImages(id) ? ['text', 'image'] : ['text'],
    supportsPersonality: false,
    multiAgentVersion: null,
    additionalSpeedTiers: [],
    serviceTiers: [],
    defaultServiceTier: null,
    availableAccessPrograms: null,
    isDefault: false,
    contextWindow: CONTEXT_WINDOWS[id] ?? null,
  };
}

/** An id's entry: the built-in one when Tandem knows the model, else what its name says. */
function entryFor(id: string, description: string): ModelInfo {
  return knownModel(id) ?? unknownModel(id, description);
}

/**
 * The OpenAI provider's list, as codex lists it; a configured model the catalog lacks is appended (codex
 * leaves it out), so a client can still show and pick what threads run with.
 */
export function catalogFor(includeHidden: boolean, configuredModel?: string): ModelInfo[] {
  const models = OPENAI_CATALOG.filter((m) => includeHidden || !m.hidden);
  if (configuredModel && !OPENAI_CATALOG.some((m) => m.id === configuredModel)) models.push(unknownModel(configuredModel, 'The model set in config.toml'));
  return models;
}

/**
 * A custom provider's list: what its `/models` served (null when that failed), with the configured model
 * marked default — and added first when the provider did not list it, so the list is never empty.
 */
export function customProviderList(listed: readonly ModelInfo[] | null, configuredModel: string, providerName: string, includeHidden: boolean): ModelInfo[] {
  const models = (listed ?? []).filter((m) => includeHidden || !m.hidden).map((m) => ({ ...m, isDefault: m.id === configuredModel }));
  if (!models.some((m) => m.id === configuredModel)) models.unshift({ ...entryFor(configuredModel, `The model set in config.toml for ${providerName}`), hidden: false, isDefault: true });
  return models;
}

/** How long to wait for a provider's /models before giving up (local servers answer fast or not at all). */
export const PROVIDER_MODELS_TIMEOUT_MS = 3_000;

/** One entry of a codex-style `{ models: [...] }` list: a provider that says what its models can do. */
interface DeclaredModel {
  slug?: unknown;
  name?: unknown;
  display_name?: unknown;
  description?: unknown;
  visibility?: unknown;
  default_reasoning_level?: unknown;
  supported_reasoning_levels?: unknown;
  input_modalities?: unknown;
  context_window?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** A codex-style entry as ModelInfo: its declared capabilities win, the built-in entry fills the rest. */
function fromDeclared(id: string, m: DeclaredModel, providerName: string): ModelInfo {
  const base = entryFor(id, `Served by ${providerName}`);
  const levels = Array.isArray(m.supported_reasoning_levels)
    ? (m.supported_reasoning_levels as Array<{ effort?: unknown; description?: unknown }>).flatMap((l) => {
        const effort = str(l?.effort);
        return effort ? [{ reasoningEffort: effort, description: str(l.description) ?? EFFORT_DESCRIPTIONS[effort as Effort] ?? effort }] : [];
      })
    : undefined;
  const modalities = Array.isArray(m.input_modalities) ? m.input_modalities.filter((x): x is 'text' | 'image' | 'audio' => x === 'text' || x === 'image' || x === 'audio') : undefined;
  return {
    ...base,
    displayName: str(m.display_name) ?? base.displayName,
    description: str(m.description) ?? base.description,
    hidden: m.visibility === undefined ? base.hidden : m.visibility !== 'list',
    supportedReasoningEfforts: levels ?? base.supportedReasoningEfforts,
    defaultReasoningEffort: str(m.default_reasoning_level) ?? base.defaultReasoningEffort,
    inputModalities: modalities?.length ? modalities : base.inputModalities,
    contextWindow: typeof m.context_window === 'number' && Number.isInteger(m.context_window) ? m.context_window : base.contextWindow,
  };
}

/**
 * A provider's `GET {base}/models`, as catalog entries: OpenAI-style `{ data: [{ id }] }`, Ollama-style
 * `{ models: [{ name }] }` and codex-style `{ models: [{ slug, ... }] }`. Throws with a readable reason on failure.
 */
export async function providerModels(provider: ModelProviderInfo, headers: Record<string, string>, fetchImpl: typeof fetch = fetch): Promise<ModelInfo[]> {
  const url = `${provider.baseUrl.replace(/\/+$/, '')}/models`;
  let response: Response;
  try {
    response = await fetchImpl(url, { headers, signal: AbortSignal.timeout(PROVIDER_MODELS_TIMEOUT_MS) });
  } catch (error) {
    throw new Error(`could not list the models of "${provider.name}" at ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) throw new Error(`could not list the models of "${provider.name}": ${url} answered ${response.status}`);
  const body = (await response.json().catch(() => ({}))) as { data?: unknown; models?: unknown };
  const models: ModelInfo[] = [];
  for (const m of Array.isArray(body.data) ? (body.data as Array<{ id?: unknown }>) : []) {
    const id = str(m?.id);
    if (id) models.push(entryFor(id, `Served by ${provider.name}`));
  }
  for (const m of Array.isArray(body.models) ? (body.models as DeclaredModel[]) : []) {
    const id = str(m?.slug) ?? str(m?.name);
    if (id) models.push(fromDeclared(id, m, provider.name));
  }
  const seen = new Set<string>();
  return models.filter((m) => !seen.has(m.id) && seen.add(m.id));
}
