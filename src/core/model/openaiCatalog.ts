// The OpenAI provider's built-in models, as codex 0.169 lists them: same ids, order (codex sorts by
// priority), default, hidden flags, reasoning efforts, input modalities, service tiers and upgrades.
// Kept as data; `test/integration/modelCatalog.test.ts` compares it with the pinned codex's own list.

export type Effort = 'low' | 'medium' | 'high' | 'xhigh' | 'max' | 'ultra';

export interface CatalogModel {
  id: string;
  displayName: string;
  description: string;
  efforts: readonly Effort[];
  defaultEffort: Effort;
  contextWindow: number;
  hidden?: boolean;
  /** The model clients are told to move to. */
  upgrade?: { model: string; migrationMarkdown: string };
  availabilityNux?: string;
  modelSpecialty?: string;
  multiAgentVersion: 'v1' | 'v2' | null;
  /** The "Fast" (priority) tier's blurb; absent when the model has no faster tier. */
  fastTier?: string;
  defaultServiceTier?: string;
}

export const EFFORT_DESCRIPTIONS: Record<Effort, string> = {
  low: 'Quick answers with light reasoning',
  medium: 'Balanced speed and depth for everyday work',
  high: 'More reasoning for complex problems',
  xhigh: 'Extra reasoning depth for complex problems',
  max: 'The deepest reasoning, for the hardest problems',
  ultra: 'The deepest reasoning, delegating parts of the task automatically',
};

const TO_MAX: readonly Effort[] = ['low', 'medium', 'high', 'xhigh', 'max'];
const TO_ULTRA: readonly Effort[] = [...TO_MAX, 'ultra'];

const TO_SOL = { model: 'gpt-6-sol', migrationMarkdown: 'Meet GPT-6 Sol\n\nThe newer Sol reasons better and uses less of your limits; a good everyday model for coding.\n' };
const TO_LUNA = { model: 'gpt-6-luna', migrationMarkdown: 'Meet GPT-6 Luna\n\nThe newer Luna is much more efficient; use it for work that does not need frontier intelligence.\n' };

/** In codex's order; the first visible entry is the default model. */
export const OPENAI_MODELS: readonly CatalogModel[] = [
  {
    id: 'gpt-6.1-sol',
    displayName: 'GPT-6.1-Sol',
    description: 'The current everyday model for coding and general work.',
    efforts: TO_ULTRA,
    defaultEffort: 'low',
    contextWindow: 272_000,
    availabilityNux: 'GPT-6.1 Sol is here: close to Astra on complex work, at a lower cost.',
    multiAgentVersion: 'v2',
    fastTier: '2x speed, more usage',
  },
  { id: 'gpt-6-astra', displayName: 'GPT-6-Astra', description: 'Frontier intelligence for the hardest work.', efforts: TO_ULTRA, defaultEffort: 'low', contextWindow: 272_000, multiAgentVersion: 'v2', fastTier: '2x speed, more usage' },
  { id: 'gpt-6-sol', displayName: 'GPT-6-Sol', description: 'The previous everyday model.', efforts: TO_ULTRA, defaultEffort: 'medium', contextWindow: 272_000, multiAgentVersion: 'v2', fastTier: '1.5x speed', defaultServiceTier: 'priority' },
  { id: 'gpt-6-luna', displayName: 'GPT-6-Luna', description: 'Fast and inexpensive, for easier tasks.', efforts: TO_MAX, defaultEffort: 'medium', contextWindow: 272_000, multiAgentVersion: 'v2', fastTier: '1.5x speed', defaultServiceTier: 'priority' },
  { id: 'gpt-5.6-sol', displayName: 'GPT-5.6-Sol', description: 'An older everyday model.', efforts: TO_ULTRA, defaultEffort: 'low', contextWindow: 272_000, upgrade: TO_SOL, multiAgentVersion: 'v2', fastTier: '1.5x speed, more usage' },
  { id: 'gpt-6.1-terra', displayName: 'GPT-6.1 Terra', description: 'The GPT-6.1 Terra model for Codex.', efforts: TO_ULTRA, defaultEffort: 'low', contextWindow: 500_000, multiAgentVersion: 'v2', fastTier: '1.5x speed' },
  { id: 'gpt-5.6-terra', displayName: 'GPT-5.6-Terra', description: 'An older balanced model for straightforward work.', efforts: TO_ULTRA, defaultEffort: 'medium', contextWindow: 272_000, upgrade: TO_SOL, multiAgentVersion: 'v2', fastTier: '1.5x speed, more usage' },
  { id: 'gpt-5.6-luna', displayName: 'GPT-5.6-Luna', description: 'An older fast and efficient model.', efforts: TO_MAX, defaultEffort: 'medium', contextWindow: 272_000, upgrade: TO_LUNA, multiAgentVersion: 'v1', fastTier: '1.5x speed, more usage' },
  {
    id: 'gpt-daybreak-blue-latest',
    displayName: 'Daybreak Blue',
    description: 'A frontier coding model for defensive security work.',
    efforts: TO_ULTRA,
    defaultEffort: 'low',
    contextWindow: 272_000,
    hidden: true,
    modelSpecialty: 'cyber',
    multiAgentVersion: 'v2',
  },
  {
    id: 'gpt-daybreak-red-latest',
    displayName: 'Daybreak Red',
    description: 'A security-permissive frontier coding model for authorized security research.',
    efforts: TO_ULTRA,
    defaultEffort: 'medium',
    contextWindow: 372_000,
    hidden: true,
    modelSpecialty: 'cyber',
    multiAgentVersion: 'v2',
  },
  { id: 'gpt-5.5', displayName: 'GPT-5.5', description: 'An earlier coding model.', efforts: ['low', 'medium', 'high', 'xhigh'], defaultEffort: 'medium', contextWindow: 272_000, upgrade: TO_SOL, multiAgentVersion: null, fastTier: '1.5x speed, more usage' },
  { id: 'codex-auto-review', displayName: 'Codex Auto Review', description: 'Reviews approval requests automatically.', efforts: TO_MAX, defaultEffort: 'medium', contextWindow: 272_000, hidden: true, multiAgentVersion: 'v1', fastTier: '1.5x speed, more usage' },
];

/** Earlier models codex no longer lists that a config may still name: their context windows. */
export const EARLIER_CONTEXT_WINDOWS: Record<string, number> = { 'gpt-5.4': 272_000, 'gpt-5.4-mini': 272_000, 'gpt-5.3-codex': 272_000 };
