// Thread goals: at most one objective per thread, kept in memory by thread id for as long as the server
// runs (an unloaded thread keeps its goal until it is loaded again). The rules follow codex: setting the
// thread's current objective again changes only its status and budget; a new objective replaces the goal
// (keeping its creation time and, unless one is given, its budget); budgets are positive.
import { invalidRequest, type ThreadGoal, type ThreadGoalSetParams } from '../../protocol';

export const MAX_GOAL_OBJECTIVE_CHARS = 4_000;

export class ThreadGoals {
  private readonly goals = new Map<string, ThreadGoal>();

  constructor(private readonly now: () => number = () => Math.floor(Date.now() / 1000)) {}

  get(threadId: string): ThreadGoal | null {
    return this.goals.get(threadId) ?? null;
  }

  /** Creates, replaces or updates the thread's goal and returns it; throws -32600 for a bad request. */
  set(params: ThreadGoalSetParams): ThreadGoal {
    const current = this.goals.get(params.threadId);
    if (params.tokenBudget !== undefined && params.tokenBudget !== null && params.tokenBudget <= 0) {
      throw invalidRequest('goal budgets must be positive when provided');
    }
    const objective = params.objective?.trim();
    if (objective === '') throw invalidRequest('goal objective must not be empty');
    if (objective && [...objective].length > MAX_GOAL_OBJECTIVE_CHARS) throw invalidRequest(`goal objective must be at most ${MAX_GOAL_OBJECTIVE_CHARS} characters`);
    if (!objective && !current) throw invalidRequest(`cannot update goal for thread ${params.threadId}: no goal exists`);
    const now = this.now();
    const goal: ThreadGoal =
      current && (!objective || objective === current.objective)
        ? {
            ...current,
            status: params.status ?? current.status,
            tokenBudget: params.tokenBudget === undefined ? current.tokenBudget : params.tokenBudget,
            updatedAt: now,
          }
        : {
            threadId: params.threadId,
            objective: objective!,
            status: params.status ?? 'active',
            tokenBudget: params.tokenBudget ?? current?.tokenBudget ?? null,
            tokensUsed: 0,
            timeUsedSeconds: 0,
            createdAt: current?.createdAt ?? now,
            updatedAt: now,
          };
    this.goals.set(params.threadId, goal);
    return goal;
  }

  /** Whether there was a goal to clear. */
  clear(threadId: string): boolean {
    return this.goals.delete(threadId);
  }
}
