// thread/goal/*: one objective per thread that clients set, read and clear, and the notifications that
// tell every client watching the thread.
import { z } from 'zod';
import { lazy } from './lazy';
import { notification, request } from './method';

export const ThreadGoalStatus = lazy(() => z.enum(['active', 'paused', 'blocked', 'usageLimited', 'budgetLimited', 'complete']));
export type ThreadGoalStatus = z.infer<typeof ThreadGoalStatus>;

/** Who asked for a change; missing provenance is not taken as the user's authorization. */
const ThreadGoalMutationOrigin = lazy(() => z.enum(['user', 'automatic']));

export const ThreadGoal = lazy(() => z.object({
  threadId: z.string(),
  objective: z.string(),
  status: ThreadGoalStatus,
  tokenBudget: z.number().int().nullable(),
  tokensUsed: z.number().int(),
  timeUsedSeconds: z.number().int(),
  /** Unix seconds. */
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
}));
export type ThreadGoal = z.infer<typeof ThreadGoal>;

export const ThreadGoalGet = request('thread/goal/get', () => z.object({ threadId: z.string() }), () => z.object({ goal: ThreadGoal.nullable() }));

export const ThreadGoalSetParams = lazy(() => z.object({
  threadId: z.string(),
  objective: z.string().nullish(),
  status: ThreadGoalStatus.nullish(),
  /** `null` removes the budget; absent keeps it. */
  tokenBudget: z.number().int().nullish(),
  origin: ThreadGoalMutationOrigin.nullish(),
}));
export type ThreadGoalSetParams = z.infer<typeof ThreadGoalSetParams>;
export const ThreadGoalSet = request('thread/goal/set', () => ThreadGoalSetParams, () => z.object({ goal: ThreadGoal }));

export const ThreadGoalClear = request(
  'thread/goal/clear',
  () => z.object({ threadId: z.string(), origin: ThreadGoalMutationOrigin.nullish() }),
  () => z.object({ cleared: z.boolean() }),
);

export const ThreadGoalUpdated = notification('thread/goal/updated', () => z.object({ threadId: z.string(), turnId: z.string().nullable(), goal: ThreadGoal }));
export const ThreadGoalCleared = notification('thread/goal/cleared', () => z.object({ threadId: z.string() }));
