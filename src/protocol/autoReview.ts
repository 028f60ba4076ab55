// Automatic approval review (`approvalsReviewer: "auto_review"`): a model answers the approval question
// instead of the user, and the client is told what it was asked and what it decided.
import { z } from 'zod';
import { lazy } from './lazy';
import { notification } from './method';

/** What was reviewed: a command, or the files a patch writes. */
export const AutoReviewAction = lazy(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('command'), source: z.enum(['shell', 'unifiedExec']), command: z.string(), cwd: z.string() }),
  z.object({ type: z.literal('applyPatch'), cwd: z.string(), files: z.array(z.string()) }),
]));
export type AutoReviewAction = z.infer<typeof AutoReviewAction>;

export const AutoReviewRisk = lazy(() => z.enum(['low', 'medium', 'high', 'critical']));
export const AutoReviewAuthorization = lazy(() => z.enum(['unknown', 'low', 'medium', 'high']));

export const AutoReview = lazy(() => z.object({
  status: z.enum(['inProgress', 'approved', 'denied', 'timedOut', 'aborted']),
  riskLevel: AutoReviewRisk.nullish(),
  userAuthorization: AutoReviewAuthorization.nullish(),
  rationale: z.string().nullish(),
}));
export type AutoReview = z.infer<typeof AutoReview>;

const reviewFields = () => ({
  threadId: z.string(),
  turnId: z.string(),
  reviewId: z.string(),
  targetItemId: z.string().nullish(),
  startedAtMs: z.number().int(),
  review: AutoReview,
  action: AutoReviewAction,
});

export const AutoApprovalReviewStarted = notification('item/autoApprovalReview/started', () => z.object(reviewFields()));
export const AutoApprovalReviewCompleted = notification(
  'item/autoApprovalReview/completed',
  () => z.object({ ...reviewFields(), completedAtMs: z.number().int(), decisionSource: z.literal('agent') }),
);
/** A one-line account of a review's outcome, for clients that show it as a notice. */
export const GuardianWarning = notification('guardianWarning', () => z.object({ threadId: z.string(), message: z.string() }));
