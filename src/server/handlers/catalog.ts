// The read-only catalogs clients fill their menus from. Tandem answers what it has: the three built-in
// permission profiles (allowed as requirements.toml says), codex's default and plan collaboration modes,
// and empty lists for the kinds it does not have yet (plugins, hooks, experimental features,
// other agents' configs to import).
import {
  CollaborationModeList,
  ExperimentalFeatureList,
  ExternalAgentConfigDetect,
  HooksList,
  invalidRequest,
  PermissionProfileList,
  PluginInstalled,
  PluginList,
  type CollaborationModeMask,
  type SandboxMode,
} from '../../protocol';
import { loadRequirements } from '../../core/config/requirements';
import type { ThreadManager } from '../../core/thread/threadManager';
import type { AppServer } from '../appServer';

/** codex's built-in profiles, in its order, and the sandbox mode each stands for. */
export const BUILT_IN_PROFILES: ReadonlyArray<{ id: string; mode: SandboxMode }> = [
  { id: ':read-only', mode: 'read-only' },
  { id: ':workspace', mode: 'workspace-write' },
  { id: ':danger-full-access', mode: 'danger-full-access' },
];

const COLLABORATION_MODES: CollaborationModeMask[] = [
  { name: 'Plan', mode: 'plan', model: null, reasoning_effort: 'medium' },
  { name: 'Default', mode: 'default', model: null, reasoning_effort: null },
];

export function registerCatalogHandlers(server: AppServer, threads: ThreadManager, home: string, defaultCwd: string): void {
  const { registry } = server;

  registry.register(PermissionProfileList, {
    key: () => null,
    handle: async (params) => {
      const profiles = BUILT_IN_PROFILES.map(({ id, mode }) => ({ id, description: null, allowed: sandboxModeAllowed(home, mode) }));
      return page(profiles, params.cursor, params.limit);
    },
  });

  registry.register(CollaborationModeList, { key: () => null, experimental: true, handle: async () => ({ data: COLLABORATION_MODES }) });

  registry.register(PluginList, { key: () => null, handle: async () => ({ marketplaces: [], marketplaceLoadErrors: [], featuredPluginIds: [] }) });

  registry.register(PluginInstalled, { key: () => null, handle: async () => ({ marketplaces: [], marketplaceLoadErrors: [] }) });

  registry.register(HooksList, {
    key: () => null,
    handle: async (params) => {
      const cwds = params.threadId ? [threads.get(params.threadId).settings.cwd] : params.cwds?.length ? params.cwds : [defaultCwd];
      return { data: cwds.map((cwd) => ({ cwd, hooks: [], warnings: [], errors: [] })) };
    },
  });

  registry.register(ExperimentalFeatureList, { key: () => null, handle: async () => ({ data: [], nextCursor: null }) });

  registry.register(ExternalAgentConfigDetect, { key: () => null, handle: async () => ({ items: [], connectors: [] }) });
}

/** As thread settings are checked: an unreadable requirements.toml allows nothing. */
function sandboxModeAllowed(home: string, mode: SandboxMode): boolean {
  try {
    const allowed = loadRequirements(home)?.allowedSandboxModes;
    return !allowed || allowed.includes(mode);
  } catch {
    return false;
  }
}

/** A page of a short fixed list: the cursor is the index to start at; no limit means everything. */
function page<T>(items: T[], cursor: string | null | undefined, limit: number | null | undefined): { data: T[]; nextCursor: string | null } {
  const start = cursor ? Number(cursor) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length || (cursor && !/^\d+$/.test(cursor))) throw invalidRequest(`invalid cursor: ${cursor}`);
  const end = limit === null || limit === undefined ? items.length : Math.min(items.length, start + Math.max(1, limit));
  return { data: items.slice(start, end), nextCursor: end < items.length ? String(end) : null };
}
