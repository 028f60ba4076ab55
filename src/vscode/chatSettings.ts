// The chat's model, effort and mode pickers, host side: what new threads start with (read from the config)
// and *Set as default* (written with config/value/write). Free of the vscode module so it can be tested.
import { MODE_SETTINGS, modeOf, type AskForApproval, type ChatDefaults, type SandboxMode, type SandboxPolicy } from '../protocol';

/** The in-process server, as the bridge reaches it (declared here: chatBridge imports this file). */
interface BridgeClient {
  request(method: string, params?: unknown): Promise<unknown>;
}

const SANDBOX_TYPES: Record<SandboxMode, SandboxPolicy['type']> = {
  'read-only': 'readOnly',
  'workspace-write': 'workspaceWrite',
  'danger-full-access': 'dangerFullAccess',
};

/** `review_file_changes` when config.toml does not set it: VS Code reviews every patch unless told not to. */
export const REVIEW_FILE_CHANGES_BY_DEFAULT = true;

/** What a new thread would run with, from the effective config. */
export async function readDefaults(client: BridgeClient): Promise<ChatDefaults> {
  const { config } = (await client.request('config/read', {})) as { config: Record<string, unknown> };
  const sandbox = SANDBOX_TYPES[config.sandbox_mode as SandboxMode] ?? 'workspaceWrite';
  const review = typeof config.review_file_changes === 'boolean' ? config.review_file_changes : REVIEW_FILE_CHANGES_BY_DEFAULT;
  return {
    model: typeof config.model === 'string' ? config.model : '',
    effort: typeof config.model_reasoning_effort === 'string' ? config.model_reasoning_effort : null,
    mode: modeOf((config.approval_policy ?? 'on-request') as AskForApproval, sandbox, review),
  };
}

/**
 * Saves the choices as the defaults of new threads. A mode is three keys; an effort of null removes the
 * key, so the model's own default applies. One write at a time, each checked by the server.
 */
export async function saveDefaults(client: BridgeClient, defaults: ChatDefaults): Promise<void> {
  const edits: Array<[string, unknown]> = [
    ['model', defaults.model],
    ['model_reasoning_effort', defaults.effort],
  ];
  if (defaults.mode) {
    const mode = MODE_SETTINGS[defaults.mode];
    edits.push(['approval_policy', mode.approvalPolicy], ['sandbox_mode', mode.sandboxMode], ['review_file_changes', mode.reviewFileChanges]);
  }
  for (const [keyPath, value] of edits) await client.request('config/value/write', { keyPath, value, mergeStrategy: 'replace' });
}

/** Whether a request from the chat would give the agent full access (which needs the one-time warning accepted). */
export function asksForFullAccess(method: string, params: unknown): boolean {
  if (typeof params !== 'object' || params === null) return false;
  const p = params as { permissions?: unknown; sandboxPolicy?: { type?: unknown } | null; sandbox?: unknown };
  if (method === 'turn/start') return p.permissions === ':danger-full-access' || p.sandboxPolicy?.type === 'dangerFullAccess';
  if (method === 'thread/start' || method === 'thread/resume') return p.sandbox === 'danger-full-access' || p.permissions === ':danger-full-access';
  return false;
}
