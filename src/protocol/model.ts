// model/list.
import { z } from 'zod';
import { request } from './method';

export const ModelInfo = z.object({
  id: z.string(),
  model: z.string(),
  displayName: z.string(),
  description: z.string(),
  hidden: z.boolean(),
  isDefault: z.boolean(),
  supportedReasoningEfforts: z.array(z.object({ reasoningEffort: z.string(), description: z.string() })),
  defaultReasoningEffort: z.string(),
  inputModalities: z.array(z.enum(['text', 'image'])),
  supportsPersonality: z.boolean(),
  additionalSpeedTiers: z.array(z.string()),
  serviceTiers: z.array(z.object({ id: z.string(), name: z.string(), description: z.string() })),
  defaultServiceTier: z.string().nullable(),
  upgrade: z.string().nullable(),
  upgradeInfo: z.null(),
  availabilityNux: z.null(),
  /** Tokens the model can take in; null when the provider does not say. */
  contextWindow: z.number().int().nullable(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

export const ModelList = request(
  'model/list',
  z.object({ cursor: z.string().nullish(), limit: z.number().int().positive().nullish(), includeHidden: z.boolean().nullish(), modelProvider: z.string().nullish() }).nullish(),
  z.object({ data: z.array(ModelInfo), nextCursor: z.string().nullable() }),
);
