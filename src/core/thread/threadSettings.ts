// What a thread runs with (model, folder, approval policy, sandbox, …) and who drives it.
import type { CollaborationModeKind } from './collaborationMode';
import type { ApprovalsReviewer, AskForApproval, ReasoningSummary, SandboxPolicy } from '../../protocol';

export interface ThreadSettings {
  model: string;
  modelProvider: string;
  cwd: string;
  approvalPolicy: AskForApproval;
  approvalsReviewer: ApprovalsReviewer;
  sandbox: SandboxPolicy;
  /** Tandem's own: every patch asks, even one the sandbox would allow (VS Code's *Review changes*). */
  reviewFileChanges: boolean;
  reasoningEffort: string | null;
  reasoningSummary: ReasoningSummary;
  serviceTier: string | null;
  /** Default, or Plan (explore and propose, change nothing). */
  collaborationMode: CollaborationModeKind;
  /** The built-in permissions profile the client chose (`:workspace`…), when it chose one instead of a sandbox. */
  permissionProfile?: string | null;
  baseInstructions: string;
  developerInstructions: string | undefined;
}

/** Per-turn overrides from `turn/start`; they stick for later turns. */
export type TurnOverrides = Partial<Pick<ThreadSettings, 'model' | 'cwd' | 'approvalPolicy' | 'approvalsReviewer' | 'sandbox' | 'reviewFileChanges' | 'reasoningEffort' | 'reasoningSummary' | 'serviceTier' | 'collaborationMode' | 'permissionProfile'>>;

export interface ClientIdentity {
  originator: string;
  userAgent: string;
}

/** The `turn_context` rollout record: what a turn ran with (the last one is what a resumed thread runs with). */
export function turnContextRecord(settings: ThreadSettings, turnId: string) {
  return {
    turn_id: turnId,
    cwd: settings.cwd,
    approval_policy: settings.approvalPolicy,
    sandbox_policy: settings.sandbox,
    // Tandem's own field, so a resumed thread keeps it; codex ignores it.
    review_file_changes: settings.reviewFileChanges,
    model: settings.model,
    model_provider: settings.modelProvider,
    effort: settings.reasoningEffort,
    summary: settings.reasoningSummary,
    collaboration_mode: settings.collaborationMode,
  };
}

/** The fields that are set: an override of undefined or null leaves the setting as it is. */
export function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}
