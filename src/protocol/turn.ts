// Turns: turn/start, turn/steer, turn/interrupt and the turn-level notifications.
import { z } from 'zod';
import { ApprovalsReviewer, AskForApproval, Personality, ReasoningEffort, ReasoningSummary, SandboxPolicy } from './common';
import { UserInput } from './items';
import { notification, request } from './method';
import { CollaborationModeParams, Turn, TurnError } from './thread';

/** Total text input a turn may carry, in characters (Codex's limit). */
export const MAX_USER_INPUT_CHARS = 1 << 20;

export const TurnStartParams = z.object({
  threadId: z.string(),
  input: z.array(UserInput),
  clientUserMessageId: z.string().nullish(),
  cwd: z.string().nullish(),
  approvalPolicy: AskForApproval.nullish(),
  approvalsReviewer: ApprovalsReviewer.nullish(),
  sandboxPolicy: SandboxPolicy.nullish(),
  model: z.string().nullish(),
  serviceTier: z.string().nullish(),
  effort: ReasoningEffort.nullish(),
  summary: ReasoningSummary.nullish(),
  personality: Personality.nullish(),
  outputSchema: z.unknown().optional(),
  collaborationMode: CollaborationModeParams.nullish(),
});
export type TurnStartParams = z.infer<typeof TurnStartParams>;
export const TurnStart = request('turn/start', TurnStartParams, z.object({ turn: Turn }));

export const TurnSteer = request(
  'turn/steer',
  z.object({ threadId: z.string(), input: z.array(UserInput), expectedTurnId: z.string(), clientUserMessageId: z.string().nullish() }),
  z.object({ turnId: z.string() }),
);

export const TurnInterrupt = request('turn/interrupt', z.object({ threadId: z.string(), turnId: z.string() }), z.object({}));

export const TurnStarted = notification('turn/started', z.object({ threadId: z.string(), turn: Turn }));
export const TurnCompleted = notification('turn/completed', z.object({ threadId: z.string(), turn: Turn }));
/** The `error` notification: `willRetry` while a stream is being retried, false before a failed turn/completed. */
export const ErrorNotification = notification(
  'error',
  z.object({ error: TurnError, willRetry: z.boolean(), threadId: z.string(), turnId: z.string() }),
);
export const TurnPlanStep = z.object({ step: z.string(), status: z.enum(['pending', 'inProgress', 'completed']) });
export type TurnPlanStep = z.infer<typeof TurnPlanStep>;
export const TurnPlanUpdated = notification(
  'turn/plan/updated',
  z.object({ threadId: z.string(), turnId: z.string(), explanation: z.string().nullable(), plan: z.array(TurnPlanStep) }),
);
export const TurnDiffUpdated = notification('turn/diff/updated', z.object({ threadId: z.string(), turnId: z.string(), diff: z.string() }));
