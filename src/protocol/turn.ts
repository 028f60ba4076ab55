// Turns: turn/start, turn/steer, turn/interrupt and the turn-level notifications.
import { z } from 'zod';
import { lazy } from './lazy';
import { ApprovalsReviewer, AskForApproval, Personality, ReasoningEffort, ReasoningSummary, SandboxPolicy } from './common';
import { UserInput } from './items';
import { notification, request } from './method';
import { CollaborationModeParams, Turn, TurnError } from './thread';

/** Total text input a turn may carry, in characters (Codex's limit). */
export const MAX_USER_INPUT_CHARS = 1 << 20;

export const TurnStartParams = lazy(() => z.object({
  threadId: z.string(),
  input: z.array(UserInput),
  clientUserMessageId: z.string().nullish(),
  cwd: z.string().nullish(),
  approvalPolicy: AskForApproval.nullish(),
  approvalsReviewer: ApprovalsReviewer.nullish(),
  sandboxPolicy: SandboxPolicy.nullish(),
  /**
   * Tandem's own: ask before every patch, even inside the writable roots (VS Code's *Review changes*).
   * Codex has no such switch; its clients leave this out and nothing changes.
   */
  reviewFileChanges: z.boolean().nullish(),
  model: z.string().nullish(),
  serviceTier: z.string().nullish(),
  effort: ReasoningEffort.nullish(),
  summary: ReasoningSummary.nullish(),
  personality: Personality.nullish(),
  outputSchema: z.unknown().optional(),
  collaborationMode: CollaborationModeParams.nullish(),
  /** Context fragments by source: `application` ones reach the model as developer text, `untrusted` ones as labelled tool output. */
  additionalContext: z.record(z.string(), z.object({ kind: z.enum(['untrusted', 'application']), value: z.string(), name: z.string().nullish() })).nullish(),
  /** The service tier for this turn only (`default`: none). */
  serviceTierForTurn: z.string().nullish(),
  parentTurnId: z.string().nullish(),
  rootTurnId: z.string().nullish(),
  /** Entries for the `x-codex-turn-metadata` request header: replace the thread's, or merge into them. */
  responsesapiClientMetadata: z.record(z.string(), z.string()).nullish(),
  responsesapiClientMetadataPatch: z.record(z.string(), z.string()).nullish(),
  permissions: z.string().nullish(),
  runtimeWorkspaceRoots: z.array(z.string()).nullish(),
  environments: z.array(z.object({ environmentId: z.string(), cwd: z.string(), runtimeWorkspaceRoots: z.array(z.string()).nullish() }).loose()).nullish(),
  // Accepted as codex documents them: deprecated, analytics only, or nothing to disable.
  multiAgentMode: z.unknown().optional(),
  turnTrigger: z.string().nullish(),
  disabledPluginIds: z.array(z.string()).nullish(),
  // Refused unless absent or the default: features Tandem does not have.
  cyberAccessProgram: z.string().nullish(),
  toolOutput: z.unknown().optional(),
}));
export type TurnStartParams = z.infer<typeof TurnStartParams>;
export const TurnStart = request('turn/start', () => TurnStartParams, () => z.object({ turn: Turn }));

export const TurnSteer = request(
  'turn/steer',
  () => z.object({ threadId: z.string(), input: z.array(UserInput), expectedTurnId: z.string(), clientUserMessageId: z.string().nullish() }),
  () => z.object({ turnId: z.string() }),
);

export const TurnInterrupt = request('turn/interrupt', () => z.object({ threadId: z.string(), turnId: z.string() }), () => z.object({}));

export const TurnStarted = notification('turn/started', () => z.object({ threadId: z.string(), turn: Turn }));
export const TurnCompleted = notification('turn/completed', () => z.object({ threadId: z.string(), turn: Turn }));
/** The `error` notification: `willRetry` while a stream is being retried, false before a failed turn/completed. */
export const ErrorNotification = notification(
  'error',
  () => z.object({ error: TurnError, willRetry: z.boolean(), threadId: z.string(), turnId: z.string() }),
);
export const TurnPlanStep = lazy(() => z.object({ step: z.string(), status: z.enum(['pending', 'inProgress', 'completed']) }));
export type TurnPlanStep = z.infer<typeof TurnPlanStep>;
export const TurnPlanUpdated = notification(
  'turn/plan/updated',
  () => z.object({ threadId: z.string(), turnId: z.string(), explanation: z.string().nullable(), plan: z.array(TurnPlanStep) }),
);
export const TurnDiffUpdated = notification('turn/diff/updated', () => z.object({ threadId: z.string(), turnId: z.string(), diff: z.string() }));
