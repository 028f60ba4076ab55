// A loaded thread as the protocol shows it (\`Thread\`), and its preview: the first thing the user typed.
import type { CollaborationMode, GitInfo, SessionSource, Thread, ThreadSettingsView, ThreadStatus, Turn, UserInput } from '../../protocol';
import { userInputText } from '../rollout/reconstruct';
import type { SessionMeta } from '../rollout/records';
import { TANDEM_VERSION } from '../version';
import type { ThreadSettings } from './threadSettings';

/** What the view reads of a loaded thread. */
export interface ViewedThread {
  readonly id: string;
  readonly forkedFromId: string | null;
  readonly ephemeral: boolean;
  readonly settings: ThreadSettings;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly recencyAt: number | null;
  readonly status: ThreadStatus;
  readonly rolloutPath: string | null;
  readonly cliVersion: string;
  readonly originator: string;
  readonly source: SessionSource;
  readonly gitInfo: GitInfo | null;
  readonly name: string | null;
  readonly projectId?: string | null;
  readonly turns: readonly Turn[];
  readonly activeTurn: { snapshot(): Turn; readonly input: UserInput[] } | undefined;
}

export function previewOf(thread: ViewedThread): string {
  for (const turn of [...thread.turns, ...(thread.activeTurn ? [thread.activeTurn.snapshot()] : [])]) {
    for (const item of turn.items) {
      if (item.type === 'userMessage') return userInputText(item.content);
    }
  }
  return userInputText(thread.activeTurn?.input ?? []);
}

/** The fields codex sends for features Tandem does not have (sections, attachments, Daybreak), and the one environment. */
export function localThreadFields(cwd: string, loaded: boolean) {
  return {
    environments: [{ environmentId: 'local', cwd, runtimeWorkspaceRoots: [cwd] }],
    extra: null,
    attachedToThreadId: null,
    section: null,
    sectionEnteredAt: null,
    historyMode: 'legacy' as const,
    canAcceptDirectInput: loaded ? true : null,
    daybreakEnabled: null,
  };
}

/** The collaboration mode the thread's next turn runs in, with its model and effort. */
export function collaborationModeOf(settings: ThreadSettings): CollaborationMode {
  return { mode: settings.collaborationMode, settings: { model: settings.model, reasoning_effort: settings.reasoningEffort, developer_instructions: null } };
}

/** The settings a thread's next turn runs with, as `thread/settings/updated` reports them. */
export function threadSettingsView(settings: ThreadSettings): ThreadSettingsView {
  const { environments } = localThreadFields(settings.cwd, true);
  return {
    model: settings.model,
    modelProvider: settings.modelProvider,
    serviceTier: settings.serviceTier,
    effort: settings.reasoningEffort,
    summary: settings.reasoningSummary,
    approvalPolicy: settings.approvalPolicy,
    approvalsReviewer: settings.approvalsReviewer,
    sandboxPolicy: settings.sandbox,
    // Tandem's own field, sent only when on: otherwise the notification has exactly codex's shape.
    ...(settings.reviewFileChanges ? { reviewFileChanges: true } : {}),
    activePermissionProfile: settings.permissionProfile ? { id: settings.permissionProfile, extends: null } : null,
    cwd: settings.cwd,
    environments,
    collaborationMode: collaborationModeOf(settings),
    disabledPluginIds: [],
    multiAgentMode: 'explicitRequestOnly',
    personality: null,
  };
}

export function threadView(thread: ViewedThread, includeTurns: boolean): Thread {
  const turns = includeTurns ? [...thread.turns.map((t) => ({ ...t, items: [...t.items] })), ...(thread.activeTurn ? [thread.activeTurn.snapshot()] : [])] : [];
  const { settings } = thread;
  return {
    ...localThreadFields(settings.cwd, true),
    id: thread.id,
    sessionId: thread.id,
    forkedFromId: thread.forkedFromId,
    parentThreadId: null,
    preview: previewOf(thread),
    ephemeral: thread.ephemeral,
    model: settings.model,
    modelProvider: settings.modelProvider,
    reasoningEffort: settings.reasoningEffort,
    createdAt: thread.createdAt,
    updatedAt: thread.updatedAt,
    // Before its first turn a thread is as recent as its creation.
    recencyAt: thread.recencyAt ?? thread.createdAt,
    status: thread.status,
    path: thread.rolloutPath,
    cwd: settings.cwd,
    cliVersion: thread.cliVersion,
    originator: thread.originator,
    source: thread.source,
    threadSource: null,
    agentNickname: null,
    agentRole: null,
    gitInfo: thread.gitInfo,
    name: thread.name,
    projectId: thread.projectId ?? null,
    turns,
  };
}

/** The first line of a thread's rollout. */
export function sessionMetaOf(
  thread: Pick<ViewedThread, 'id' | 'settings' | 'originator' | 'source'>,
  created: Date,
  forkedFromId: string | null,
  git: { commitHash: string | null; branch: string | null; repositoryUrl: string | null } | null,
): SessionMeta {
  return {
    id: thread.id,
    forked_from_id: forkedFromId,
    timestamp: created.toISOString(),
    cwd: thread.settings.cwd,
    originator: thread.originator,
    cli_version: TANDEM_VERSION,
    source: thread.source,
    model_provider: thread.settings.modelProvider,
    model: thread.settings.model,
    reasoning_effort: thread.settings.reasoningEffort,
    base_instructions: { text: thread.settings.baseInstructions },
    git: git ? { commit_hash: git.commitHash, branch: git.branch, repository_url: git.repositoryUrl } : null,
  };
}
