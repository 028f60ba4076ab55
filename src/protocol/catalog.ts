// Read-only catalogs clients show in their menus: permission profiles, collaboration modes, plugins,
// hooks, experimental features and other agents' configs to import. Where Tandem has nothing of a
// kind yet, the element type is `never`: the list is always empty, and the type arrives with the feature.
import { z } from 'zod';
import { lazy } from './lazy';
import { ReasoningEffort } from './common';
import { request } from './method';

const cursorPage = () => ({ cursor: z.string().nullish(), limit: z.number().int().nonnegative().nullish() });
const nothingYet = lazy(() => z.array(z.never()));

export const PermissionProfileSummary = lazy(() => z.object({ id: z.string(), description: z.string().nullable(), allowed: z.boolean() }));
export type PermissionProfileSummary = z.infer<typeof PermissionProfileSummary>;

export const PermissionProfileList = request(
  'permissionProfile/list',
  () => z.object({ ...cursorPage(), cwd: z.string().nullish() }),
  () => z.object({ data: z.array(PermissionProfileSummary), nextCursor: z.string().nullable() }),
);

export const ModeKind = lazy(() => z.enum(['plan', 'default']));

/** A preset over the thread's settings; codex spells `reasoning_effort` in snake case here. */
export const CollaborationModeMask = lazy(() => z.object({
  name: z.string(),
  mode: ModeKind.nullable(),
  model: z.string().nullable(),
  reasoning_effort: ReasoningEffort.nullable(),
}));
export type CollaborationModeMask = z.infer<typeof CollaborationModeMask>;

export const CollaborationModeList = request('collaborationMode/list', () => z.object({}), () => z.object({ data: z.array(CollaborationModeMask) }));

const MarketplaceLoadErrorInfo = lazy(() => z.object({ marketplacePath: z.string(), message: z.string() }));

export const PluginList = request(
  'plugin/list',
  () => z.object({
    cwds: z.array(z.string()).nullish(),
    forceRefetch: z.boolean().optional(),
    marketplaceKinds: z.array(z.enum(['local', 'vertical', 'workspace-directory', 'shared-with-me', 'created-by-me-remote'])).nullish(),
  }),
  () => z.object({ marketplaces: nothingYet, marketplaceLoadErrors: z.array(MarketplaceLoadErrorInfo), featuredPluginIds: z.array(z.string()) }),
);

export const PluginInstalled = request(
  'plugin/installed',
  () => z.object({ cwds: z.array(z.string()).nullish(), installSuggestionPluginNames: z.array(z.string()).nullish() }),
  () => z.object({ marketplaces: nothingYet, marketplaceLoadErrors: z.array(MarketplaceLoadErrorInfo) }),
);

export const HooksListEntry = lazy(() => z.object({
  cwd: z.string(),
  hooks: nothingYet,
  warnings: z.array(z.string()),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
}));

export const HooksList = request(
  'hooks/list',
  () => z.object({ cwds: z.array(z.string()).optional(), threadId: z.string().nullish() }),
  () => z.object({ data: z.array(HooksListEntry) }),
);

export const ExperimentalFeature = lazy(() => z.object({
  name: z.string(),
  stage: z.enum(['beta', 'underDevelopment', 'stable', 'deprecated', 'removed']),
  displayName: z.string().nullable(),
  description: z.string().nullable(),
  announcement: z.string().nullable(),
  enabled: z.boolean(),
  defaultEnabled: z.boolean(),
}));
export type ExperimentalFeature = z.infer<typeof ExperimentalFeature>;

export const ExperimentalFeatureList = request(
  'experimentalFeature/list',
  () => z.object({ ...cursorPage(), threadId: z.string().nullish() }),
  () => z.object({ data: z.array(ExperimentalFeature), nextCursor: z.string().nullable() }),
);

export const ExternalAgentConfigDetect = request(
  'externalAgentConfig/detect',
  () => z.object({
    cwds: z.array(z.string()).nullish(),
    includeHome: z.boolean().optional(),
    maxSessionAgeDays: z.number().int().nonnegative().nullish(),
    maxSessions: z.number().int().nonnegative().nullish(),
    migrationSource: z.string().nullish(),
    source: z.string().nullish(),
  }),
  () => z.object({ items: nothingYet, connectors: nothingYet }),
);
