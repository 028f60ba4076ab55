// model/list.
import { z } from 'zod';
import { lazy } from './lazy';
import { request } from './method';

export const ModelInfo = lazy(() => z.object({
  id: z.string(),
  model: z.string(),
  displayName: z.string(),
  description: z.string(),
  hidden: z.boolean(),
  isDefault: z.boolean(),
  supportedReasoningEfforts: z.array(z.object({ reasoningEffort: z.string(), description: z.string() })),
  defaultReasoningEffort: z.string(),
  inputModalities: z.array(z.enum(['text', 'image', 'audio'])),
  supportsPersonality: z.boolean(),
  additionalSpeedTiers: z.array(z.string()),
  serviceTiers: z.array(z.object({ id: z.string(), name: z.string(), description: z.string() })),
  defaultServiceTier: z.string().nullable(),
  upgrade: z.string().nullable(),
  upgradeInfo: z
    .object({ model: z.string(), upgradeCopy: z.string().nullable(), modelLink: z.string().nullable(), migrationMarkdown: z.string().nullable(), retirementAt: z.number().int().nullable() })
    .nullable(),
  availabilityNux: z.object({ message: z.string() }).nullable(),
  modelSpecialty: z.string().nullable(),
  multiAgentVersion: z.enum(['disabled', 'v1', 'v2']).nullable(),
  availableAccessPrograms: z.object({ cyber: z.array(z.enum(['standard', 'daybreakBlue', 'daybreakRed'])) }).nullable(),
  /** Tokens the model can take in; null when the provider does not say. */
  contextWindow: z.number().int().nullable(),
}));
export type ModelInfo = z.infer<typeof ModelInfo>;

export const ModelList = request(
  'model/list',
  () => z.object({ cursor: z.string().nullish(), limit: z.number().int().positive().nullish(), includeHidden: z.boolean().nullish(), modelProvider: z.string().nullish() }).nullish(),
  () => z.object({ data: z.array(ModelInfo), nextCursor: z.string().nullable() }),
);
