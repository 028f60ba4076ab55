// The chat's permission modes and the codex settings each stands for. Shared by the webview (pickers,
// header) and the host (Set as default), so both read a thread's settings the same way. Their names, in the
// user's language, are the webview's to say.
import type { AskForApproval, SandboxPolicy } from './common';

export const CHAT_MODES = ['readOnly', 'review', 'auto', 'fullAccess'] as const;
export type ChatMode = (typeof CHAT_MODES)[number];

export interface ModeSettings {
  approvalPolicy: 'on-request' | 'never';
  /** The built-in permissions profile (turn/start `permissions`): the sandbox with the config's writable roots and network. */
  permissions: ':read-only' | ':workspace' | ':danger-full-access';
  sandboxMode: 'read-only' | 'workspace-write' | 'danger-full-access';
  /** Tandem's `review_file_changes`: every patch asks, even inside the workspace. */
  reviewFileChanges: boolean;
}

/** codex's presets (read-only, auto, full access), and *Review changes*: auto whose every patch asks. */
export const MODE_SETTINGS: Record<ChatMode, ModeSettings> = {
  readOnly: { approvalPolicy: 'on-request', permissions: ':read-only', sandboxMode: 'read-only', reviewFileChanges: false },
  review: { approvalPolicy: 'on-request', permissions: ':workspace', sandboxMode: 'workspace-write', reviewFileChanges: true },
  auto: { approvalPolicy: 'on-request', permissions: ':workspace', sandboxMode: 'workspace-write', reviewFileChanges: false },
  fullAccess: { approvalPolicy: 'never', permissions: ':danger-full-access', sandboxMode: 'danger-full-access', reviewFileChanges: false },
};

/** The mode these settings are, or null when they are some other combination (set in config.toml). */
export function modeOf(approvalPolicy: AskForApproval, sandbox: SandboxPolicy['type'], reviewFileChanges: boolean): ChatMode | null {
  if (approvalPolicy === 'on-request' && sandbox === 'readOnly') return 'readOnly';
  if (approvalPolicy === 'on-request' && sandbox === 'workspaceWrite') return reviewFileChanges ? 'review' : 'auto';
  if (approvalPolicy === 'never' && sandbox === 'dangerFullAccess') return 'fullAccess';
  return null;
}

/** What *Set as default* saves (null effort: the model's own default). */
export interface ChatDefaults {
  model: string;
  effort: string | null;
  mode: ChatMode | null;
}
