// The chat's permission modes, in plain words, and the codex settings each stands for. Shared by the
// webview (pickers, header) and the host (Set as default), so both read a thread's settings the same way.
import type { AskForApproval, SandboxPolicy } from './common';

export const CHAT_MODES = ['readOnly', 'review', 'auto', 'fullAccess'] as const;
export type ChatMode = (typeof CHAT_MODES)[number];

export const CHAT_MODE_LABELS: Record<ChatMode, string> = {
  readOnly: 'Read only',
  review: 'Review changes',
  auto: 'Auto',
  fullAccess: 'Full access',
};

export const CHAT_MODE_DESCRIPTIONS: Record<ChatMode, string> = {
  readOnly: 'Reads and runs read-only commands; asks before any change.',
  review: 'Every change opens in the diff editor for your decision; commands run in the sandbox and ask only to leave it.',
  auto: 'Edits inside the workspace are applied without asking; commands run in the sandbox and ask only to leave it.',
  fullAccess: 'Edits and runs anything, anywhere, without asking and without a sandbox.',
};

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

const SANDBOX_WORDS: Record<SandboxPolicy['type'], string> = {
  readOnly: 'read only',
  workspaceWrite: 'writes in the workspace',
  dangerFullAccess: 'full access',
  externalSandbox: 'an external sandbox',
};

/** The settings in plain words: the mode's name, or what an unnamed combination does. */
export function describeMode(approvalPolicy: AskForApproval, sandbox: SandboxPolicy['type'], reviewFileChanges: boolean): string {
  const mode = modeOf(approvalPolicy, sandbox, reviewFileChanges);
  if (mode) return CHAT_MODE_LABELS[mode];
  const asks =
    approvalPolicy === 'untrusted' ? 'asks before every command and change' : approvalPolicy === 'never' ? 'never asks' : typeof approvalPolicy === 'string' ? 'asks when needed' : 'asks some questions';
  const sandboxWords = SANDBOX_WORDS[sandbox];
  const what = `${sandboxWords.charAt(0).toUpperCase()}${sandboxWords.slice(1)}, ${asks}`;
  return reviewFileChanges && approvalPolicy !== 'untrusted' && approvalPolicy !== 'never' ? `${what}, reviews every change` : what;
}

/** What *Set as default* saves (null effort: the model's own default). */
export interface ChatDefaults {
  model: string;
  effort: string | null;
  mode: ChatMode | null;
}
