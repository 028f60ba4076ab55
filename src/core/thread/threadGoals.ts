// Thread goals: at most one objective per thread, by thread id, kept in `<home>/thread_goals.json` so they
// outlive a restart as codex's do. The rules follow codex: setting the thread's current objective again
// changes only its status and budget; a new objective replaces the goal (keeping its creation time and,
// unless one is given, its budget); budgets are positive.
import * as fs from 'node:fs';
import { invalidRequest, type ThreadGoal, type ThreadGoalSetParams } from '../../protocol';
import { writeFileAtomic } from '../atomicWrite';

export const MAX_GOAL_OBJECTIVE_CHARS = 4_000;

export class ThreadGoals {
  private loadedGoals: Map<string, ThreadGoal> | undefined;
  private writes: Promise<void> = Promise.resolve();
  /** Why the goals file could not be read (it was moved aside, not overwritten), once. */
  problem: string | null = null;

  constructor(
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
    /** Where goals are kept; null keeps them in memory only (tests). */
    private readonly file: string | null = null,
  ) {}

  private get goals(): Map<string, ThreadGoal> {
    this.loadedGoals ??= this.load();
    return this.loadedGoals;
  }

  private load(): Map<string, ThreadGoal> {
    if (!this.file) return new Map();
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return new Map();
    }
    try {
      const entries = JSON.parse(text) as Record<string, ThreadGoal>;
      return new Map(Object.entries(entries).filter(([, goal]) => typeof goal?.objective === 'string'));
    } catch (error) {
      // Never written over: a later save would lose what the user could still recover by hand.
      const aside = `${this.file}.unreadable-${Date.now()}`;
      try {
        fs.renameSync(this.file, aside);
      } catch {
        // Left where it is; the next save replaces it.
      }
      this.problem = `${this.file} could not be read (${(error as Error).message}); it was moved to ${aside} and goals start empty`;
      return new Map();
    }
  }

  /** Writes the goals to disk (atomically, one write at a time); resolves once they are there. */
  save(): Promise<void> {
    if (!this.file) return Promise.resolve();
    const file = this.file;
    const write = this.writes.then(() => writeFileAtomic(file, `${JSON.stringify(Object.fromEntries(this.goals), null, 2)}\n`, 0o600));
    this.writes = write.catch(() => undefined);
    return write;
  }

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
