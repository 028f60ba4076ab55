// The settings a new thread starts from: the loaded config read through the schema, which fills the defaults.
import type { AskForApproval, ReasoningSummary, SandboxMode, SandboxPolicy } from '../../protocol';
import { policyFromConfig, type ShellEnvironmentPolicy } from '../exec/environment';
import type { ConfigTable } from './table';
import { effectiveConfig } from './validate';
import { mcpServersOf, type McpServerConfig } from '../mcp/mcpConfig';

export interface ThreadDefaults {
  model: string;
  modelProvider: string;
  reasoningEffort: string | null;
  reasoningSummary: ReasoningSummary;
  approvalPolicy: AskForApproval;
  sandboxMode: SandboxMode;
  /** `review_file_changes`: every patch asks, even inside the writable roots. */
  reviewFileChanges: boolean;
  workspaceWrite: { writableRoots: string[]; networkAccess: boolean; excludeTmpdirEnvVar: boolean; excludeSlashTmp: boolean };
  modelProviders: Record<string, unknown>;
  projectDocMaxBytes: number;
  developerInstructions: string | undefined;
  shellEnvironmentPolicy: ShellEnvironmentPolicy;
  /** `model_context_window`: overrides what Tandem knows of the model. */
  modelContextWindow: number | null;
  /** `model_auto_compact_token_limit`: compact sooner than 90 % of the window. */
  autoCompactTokenLimit: number | null;
  /** `compact_prompt`: replaces Tandem's summarisation prompt. */
  compactPrompt: string | undefined;
  /** `thread_idle_unload_minutes`: unwatched idle threads are unloaded after this long. */
  idleUnloadMinutes: number;
  /** `[mcp_servers.<name>]`, each checked; a bad entry was reported and left out. */
  mcpServers: McpServerConfig[];
}

/**
 * With the thread folder's trust, as codex sets it: a folder the user trusts or marked untrusted writes in
 * its workspace unless the config says otherwise, and an untrusted one asks before every command.
 */
export function threadDefaults(values: ConfigTable, trust?: 'trusted' | 'untrusted', reviewFileChangesByDefault = false): ThreadDefaults {
  const config = effectiveConfig(values);
  const ww = config.sandbox_workspace_write;
  const sandboxMode = values.sandbox_mode === undefined && trust !== undefined ? 'workspace-write' : config.sandbox_mode;
  const approvalPolicy = values.approval_policy === undefined && trust === 'untrusted' ? 'untrusted' : config.approval_policy;
  return {
    model: config.model,
    modelProvider: config.model_provider,
    reasoningEffort: config.model_reasoning_effort ?? null,
    reasoningSummary: config.model_reasoning_summary,
    approvalPolicy,
    sandboxMode,
    reviewFileChanges: config.review_file_changes ?? reviewFileChangesByDefault,
    workspaceWrite: {
      writableRoots: ww.writable_roots,
      networkAccess: ww.network_access,
      excludeTmpdirEnvVar: ww.exclude_tmpdir_env_var,
      excludeSlashTmp: ww.exclude_slash_tmp,
    },
    modelProviders: config.model_providers ?? {},
    projectDocMaxBytes: config.project_doc_max_bytes,
    developerInstructions: config.developer_instructions,
    shellEnvironmentPolicy: policyFromConfig(config.shell_environment_policy),
    modelContextWindow: config.model_context_window ?? null,
    autoCompactTokenLimit: config.model_auto_compact_token_limit ?? null,
    compactPrompt: config.compact_prompt,
    idleUnloadMinutes: config.thread_idle_unload_minutes,
    mcpServers: mcpServersOf(config),
  };
}

export function sandboxPolicyFor(mode: SandboxMode, defaults: ThreadDefaults): SandboxPolicy {
  switch (mode) {
    case 'read-only':
      return { type: 'readOnly', networkAccess: false };
    case 'danger-full-access':
      return { type: 'dangerFullAccess' };
    case 'workspace-write':
      return {
        type: 'workspaceWrite',
        writableRoots: defaults.workspaceWrite.writableRoots,
        networkAccess: defaults.workspaceWrite.networkAccess,
        excludeTmpdirEnvVar: defaults.workspaceWrite.excludeTmpdirEnvVar,
        excludeSlashTmp: defaults.workspaceWrite.excludeSlashTmp,
      };
  }
}
