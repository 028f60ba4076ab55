// The settings a new thread starts from, read out of the loaded config with Tandem's defaults.
import type { AskForApproval, ReasoningSummary, SandboxMode, SandboxPolicy } from '../../protocol';
import { DEFAULT_PROJECT_DOC_MAX_BYTES } from '../thread/agentsMd';
import type { ConfigTable } from './load';
import { policyFromConfig, type ShellEnvironmentPolicy } from '../exec/environment';

export const DEFAULT_MODEL = 'gpt-5.5';
export const DEFAULT_MODEL_PROVIDER = 'openai';

export interface ThreadDefaults {
  model: string;
  modelProvider: string;
  reasoningEffort: string | null;
  reasoningSummary: ReasoningSummary;
  approvalPolicy: AskForApproval;
  sandboxMode: SandboxMode;
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
}

const APPROVALS = new Set(['untrusted', 'on-request', 'never']);
const SANDBOXES = new Set(['read-only', 'workspace-write', 'danger-full-access']);
const SUMMARIES = new Set(['auto', 'concise', 'detailed', 'none']);

export function threadDefaults(values: ConfigTable): ThreadDefaults {
  const str = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const approval = str('approval_policy') === 'on-failure' ? 'on-request' : str('approval_policy');
  const ww = (values.sandbox_workspace_write ?? {}) as Record<string, unknown>;
  return {
    model: str('model') ?? DEFAULT_MODEL,
    modelProvider: str('model_provider') ?? DEFAULT_MODEL_PROVIDER,
    reasoningEffort: str('model_reasoning_effort') ?? null,
    reasoningSummary: (SUMMARIES.has(str('model_reasoning_summary') ?? '') ? str('model_reasoning_summary') : 'auto') as ReasoningSummary,
    approvalPolicy: (approval && APPROVALS.has(approval) ? approval : 'on-request') as AskForApproval,
    sandboxMode: (SANDBOXES.has(str('sandbox_mode') ?? '') ? str('sandbox_mode') : 'workspace-write') as SandboxMode,
    workspaceWrite: {
      writableRoots: Array.isArray(ww.writable_roots) ? ww.writable_roots.filter((r): r is string => typeof r === 'string') : [],
      networkAccess: ww.network_access === true,
      excludeTmpdirEnvVar: ww.exclude_tmpdir_env_var === true,
      excludeSlashTmp: ww.exclude_slash_tmp === true,
    },
    modelProviders: (typeof values.model_providers === 'object' && values.model_providers) ? (values.model_providers as Record<string, unknown>) : {},
    projectDocMaxBytes: typeof values.project_doc_max_bytes === 'number' ? values.project_doc_max_bytes : DEFAULT_PROJECT_DOC_MAX_BYTES,
    developerInstructions: str('developer_instructions'),
    shellEnvironmentPolicy: policyFromConfig(values.shell_environment_policy),
    modelContextWindow: positiveInt(values.model_context_window),
    autoCompactTokenLimit: positiveInt(values.model_auto_compact_token_limit),
    compactPrompt: str('compact_prompt'),
    idleUnloadMinutes: typeof values.thread_idle_unload_minutes === 'number' && values.thread_idle_unload_minutes > 0 ? values.thread_idle_unload_minutes : 30,
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

function positiveInt(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}
