// Config methods and the configWarning notification.
import { z } from 'zod';
import { lazy } from './lazy';
import { AskForApproval, SandboxMode } from './common';
import { notification, request } from './method';

const LayerSource = lazy(() => z.union([
  z.object({ type: z.literal('user'), file: z.string(), profile: z.string().nullable().optional() }),
  z.object({ type: z.literal('project'), dotCodexFolder: z.string() }),
  z.object({ type: z.literal('legacyManagedConfigTomlFromFile'), file: z.string() }),
  z.object({ type: z.literal('sessionFlags') }),
]));
const LayerMetadata = lazy(() => z.object({ name: LayerSource, version: z.string() }));

export const ConfigRead = request(
  'config/read',
  () => z.object({ includeLayers: z.boolean().optional(), cwd: z.string().nullish() }).nullish(),
  () => z.object({
    config: z.record(z.string(), z.unknown()),
    origins: z.record(z.string(), LayerMetadata),
    layers: z.array(z.object({ name: LayerSource, version: z.string(), config: z.unknown(), disabledReason: z.string().nullable() })).nullable().optional(),
  }),
);

const MergeStrategy = lazy(() => z.enum(['replace', 'upsert']));
const WriteResult = lazy(() => z.object({
  status: z.enum(['ok', 'okOverridden']),
  version: z.string(),
  filePath: z.string(),
  overriddenMetadata: z.object({ message: z.string(), overridingLayer: LayerMetadata, effectiveValue: z.unknown() }).nullable(),
}));

export const ConfigValueWrite = request(
  'config/value/write',
  () => z.object({ keyPath: z.string().min(1), value: z.unknown(), mergeStrategy: MergeStrategy, filePath: z.string().nullish(), expectedVersion: z.string().nullish() }),
  () => WriteResult,
);

export const ConfigBatchWrite = request(
  'config/batchWrite',
  () => z.object({
    edits: z.array(z.object({ keyPath: z.string().min(1), value: z.unknown(), mergeStrategy: MergeStrategy })),
    filePath: z.string().nullish(),
    expectedVersion: z.string().nullish(),
    reloadUserConfig: z.boolean().optional(),
  }),
  () => WriteResult,
);

export const ConfigRequirementsRead = request(
  'configRequirements/read',
  () => z.undefined().or(z.object({}).loose()).nullish(),
  () => z.object({
    requirements: z
      .object({ allowedApprovalPolicies: z.array(AskForApproval).nullable(), allowedSandboxModes: z.array(SandboxMode).nullable() })
      .nullable(),
  }),
);

export const ConfigWarning = notification(
  'configWarning',
  () => z.object({
    summary: z.string(),
    details: z.string().nullable(),
    path: z.string().nullish(),
    range: z.object({ start: z.object({ line: z.number(), column: z.number() }), end: z.object({ line: z.number(), column: z.number() }) }).nullish(),
  }),
);
