// What a thread runs with: config.toml (re-read for each thread, so edits apply without a restart), the
// client's request, what the thread ran with before, and the admin requirements that bound them all.
import * as path from 'node:path';
import { approvalMode, invalidRequest, type SandboxMode, type SandboxPolicy } from '../../protocol';
import { loadConfig } from '../config/load';
import { enforceRequirements, loadRequirements, type Requirements } from '../config/requirements';
import { sandboxPolicyFor, threadDefaults, type ThreadDefaults } from '../config/threadDefaults';
import type { ShellEnvironmentPolicy } from '../exec/environment';
import { resolveProvider, type ModelProviderInfo } from '../model/provider';
import type { ReconstructedThread } from '../rollout/reconstruct';
import { BASE_INSTRUCTIONS } from './baseInstructions';
import type { ThreadSettings } from './threadSettings';

/** Settings a client may pass to start, resume or fork. */
export interface ThreadSettingsRequest {
  model?: string | null;
  modelProvider?: string | null;
  cwd?: string | null;
  approvalPolicy?: ThreadSettings['approvalPolicy'] | null;
  approvalsReviewer?: ThreadSettings['approvalsReviewer'] | null;
  sandbox?: SandboxMode | null;
  reviewFileChanges?: boolean | null;
  /** The built-in profile the sandbox came from, when the client named one. */
  permissions?: string | null;
  serviceTier?: string | null;
  baseInstructions?: string | null;
  developerInstructions?: string | null;
  config?: Record<string, unknown> | null;
}

export class SettingsResolver {
  constructor(
    private readonly home: string,
    private readonly configOverrides: readonly string[],
    /** Where a thread without `cwd` runs. */
    private readonly defaultCwd: string,
    /** `review_file_changes` when the config does not set it: true in VS Code, whose flow is reviewing every patch. */
    private readonly reviewFileChangesByDefault = false,
  ) {}

  /** The config's thread defaults, with `-c`-style overrides and a request's `config` on top; with `cwd`, its trusted project config too. */
  defaults(extra?: Record<string, unknown> | null, cwd?: string | null): ThreadDefaults {
    const overrides = [...this.configOverrides];
    for (const [key, value] of Object.entries(extra ?? {})) overrides.push(`${key}=${JSON.stringify(value)}`);
    const loaded = loadConfig(this.home, overrides, cwd ? path.resolve(this.defaultCwd, cwd) : undefined);
    return threadDefaults(loaded.values, loaded.projectTrust, this.reviewFileChangesByDefault);
  }

  /** Admin requirements; an unreadable requirements file refuses everything rather than allowing it. */
  requirements(): Requirements | null {
    try {
      return loadRequirements(this.home);
    } catch (error) {
      throw invalidRequest((error as Error).message);
    }
  }

  /** The provider a new thread would use (or the named one). Throws -32600 for an unknown provider. */
  provider(id?: string): ModelProviderInfo {
    const defaults = this.defaults();
    try {
      return resolveProvider(id ?? defaults.modelProvider, defaults.modelProviders);
    } catch (error) {
      throw invalidRequest((error as Error).message);
    }
  }

  /** The sandbox policy a sandbox mode stands for under the current config (writable roots, network). */
  sandboxPolicyForMode(mode: SandboxMode): SandboxPolicy {
    return sandboxPolicyFor(mode, this.defaults());
  }

  /** What a one-off `command/exec` runs with when the client does not say: the configured sandbox, cwd and env policy. */
  commandDefaults(): { sandbox: SandboxPolicy; cwd: string; environmentPolicy: ShellEnvironmentPolicy } {
    const defaults = this.defaults();
    return { sandbox: sandboxPolicyFor(defaults.sandboxMode, defaults), cwd: this.defaultCwd, environmentPolicy: defaults.shellEnvironmentPolicy };
  }

  /** Checks `turn/start` overrides against the requirements before they apply. */
  checkOverrides(current: ThreadSettings, overrides: { approvalPolicy?: ThreadSettings['approvalPolicy']; approvalsReviewer?: ThreadSettings['approvalsReviewer']; sandbox?: SandboxPolicy }): void {
    enforceRequirements(this.requirements(), overrides.approvalPolicy ?? current.approvalPolicy, overrides.sandbox ?? current.sandbox);
  }

  /** A thread's settings: the request first, then what it ran with before, then the config. */
  resolve(request: ThreadSettingsRequest, defaults: ThreadDefaults, previous: ThreadSettings | undefined): ThreadSettings {
    const modelProvider = request.modelProvider ?? previous?.modelProvider ?? defaults.modelProvider;
    try {
      resolveProvider(modelProvider, defaults.modelProviders);
    } catch (error) {
      throw invalidRequest((error as Error).message);
    }
    const cwd = path.resolve(request.cwd ?? previous?.cwd ?? this.defaultCwd);
    const requirements = this.requirements();
    // A default that the requirements forbid falls back to the first allowed value; an explicit request is refused.
    const defaultMode = requirements?.allowedSandboxModes && !requirements.allowedSandboxModes.includes(defaults.sandboxMode) ? requirements.allowedSandboxModes[0]! : defaults.sandboxMode;
    const defaultPolicy = requirements?.allowedApprovalPolicies && !requirements.allowedApprovalPolicies.includes(approvalMode(defaults.approvalPolicy)) ? requirements.allowedApprovalPolicies[0]! : defaults.approvalPolicy;
    const sandbox: SandboxPolicy = request.sandbox ? sandboxPolicyFor(request.sandbox, defaults) : (previous?.sandbox ?? sandboxPolicyFor(defaultMode, defaults));
    const approvalPolicy = request.approvalPolicy ?? previous?.approvalPolicy ?? defaultPolicy;
    enforceRequirements(requirements, approvalPolicy, sandbox);
    return {
      model: request.model ?? previous?.model ?? defaults.model,
      modelProvider,
      cwd,
      approvalPolicy,
      approvalsReviewer: request.approvalsReviewer ?? previous?.approvalsReviewer ?? 'user',
      sandbox,
      reviewFileChanges: request.reviewFileChanges ?? previous?.reviewFileChanges ?? defaults.reviewFileChanges,
      reasoningEffort: previous?.reasoningEffort ?? defaults.reasoningEffort,
      reasoningSummary: previous?.reasoningSummary ?? defaults.reasoningSummary,
      serviceTier: request.serviceTier ?? previous?.serviceTier ?? null,
      collaborationMode: previous?.collaborationMode ?? 'default',
      permissionProfile: request.permissions ?? (request.sandbox ? null : (previous?.permissionProfile ?? null)),
      baseInstructions: request.baseInstructions ?? previous?.baseInstructions ?? BASE_INSTRUCTIONS,
      developerInstructions: request.developerInstructions ?? previous?.developerInstructions ?? defaults.developerInstructions,
    };
  }

  /** What a stored thread last ran with, from its last turn context and its session meta. */
  recorded(rebuilt: ReconstructedThread, defaults: ThreadDefaults): ThreadSettings {
    const { meta, lastContext: context } = rebuilt;
    return {
      model: context?.model ?? meta.model ?? defaults.model,
      modelProvider: context?.model_provider ?? meta.model_provider,
      cwd: context?.cwd ?? meta.cwd,
      approvalPolicy: (context?.approval_policy as ThreadSettings['approvalPolicy']) ?? defaults.approvalPolicy,
      approvalsReviewer: 'user',
      sandbox: context?.sandbox_policy ?? sandboxPolicyFor(defaults.sandboxMode, defaults),
      reviewFileChanges: context?.review_file_changes ?? defaults.reviewFileChanges,
      reasoningEffort: context?.effort ?? meta.reasoning_effort ?? defaults.reasoningEffort,
      reasoningSummary: (context?.summary as ThreadSettings['reasoningSummary']) ?? defaults.reasoningSummary,
      serviceTier: null,
      collaborationMode: context?.collaboration_mode === 'plan' ? 'plan' : 'default',
      baseInstructions: meta.base_instructions?.text ?? BASE_INSTRUCTIONS,
      developerInstructions: defaults.developerInstructions,
    };
  }
}
