// The settings a client may change for the next turns, as turn/start and thread/settings/update name them.
import type { TurnOverrides } from '../../core/thread/threadSession';
import type { ApprovalsReviewer, AskForApproval, CollaborationModeParams, ReasoningSummary, SandboxPolicy } from '../../protocol';

export interface OverrideParams {
  model?: string | null;
  effort?: string | null;
  summary?: ReasoningSummary | null;
  approvalPolicy?: AskForApproval | null;
  approvalsReviewer?: ApprovalsReviewer | null;
  sandboxPolicy?: SandboxPolicy | null;
  reviewFileChanges?: boolean | null;
  serviceTier?: string | null;
  cwd?: string | null;
  collaborationMode?: CollaborationModeParams | null;
}

export function overridesFrom(params: OverrideParams): TurnOverrides {
  // A collaboration mode's own model and effort win over the plain fields, as codex applies them.
  const mode = params.collaborationMode;
  return {
    collaborationMode: mode?.mode,
    model: mode?.settings?.model ?? params.model ?? undefined,
    reasoningEffort: mode?.settings?.reasoning_effort ?? params.effort ?? undefined,
    reasoningSummary: params.summary ?? undefined,
    approvalPolicy: params.approvalPolicy ?? undefined,
    approvalsReviewer: params.approvalsReviewer ?? undefined,
    sandbox: params.sandboxPolicy ?? undefined,
    reviewFileChanges: params.reviewFileChanges ?? undefined,
    serviceTier: params.serviceTier ?? undefined,
    cwd: params.cwd ?? undefined,
  };
}
