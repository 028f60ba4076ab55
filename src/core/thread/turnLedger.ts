// What a thread's turns leave besides items, kept for clients that come back: each turn's latest plan and
// final diff, and the thread's token usage. Each change is recorded in the rollout and announced.
import { ThreadTokenUsageUpdated, TurnDiffUpdated, TurnPlanUpdated, type ThreadTokenUsage } from '../../protocol';
import type { TurnPlan } from '../rollout/reconstruct';
import type { RolloutLineType } from '../rollout/recorder';
import type { ThreadEventSink } from './events';

export class TurnLedger {
  private readonly turnPlans: Map<string, TurnPlan>;
  private readonly turnDiffs: Map<string, string>;
  private usage: ThreadTokenUsage | undefined;

  constructor(
    private readonly threadId: string,
    private readonly events: ThreadEventSink,
    private readonly persist: (type: RolloutLineType, payload: unknown) => void,
    recorded: { plans?: Map<string, TurnPlan>; diffs?: Map<string, string>; tokenUsage: ThreadTokenUsage | undefined },
  ) {
    this.turnPlans = recorded.plans ?? new Map();
    this.turnDiffs = recorded.diffs ?? new Map();
    this.usage = recorded.tokenUsage;
  }

  get plans(): ReadonlyMap<string, TurnPlan> {
    return this.turnPlans;
  }

  get diffs(): ReadonlyMap<string, string> {
    return this.turnDiffs;
  }

  get tokenUsage(): ThreadTokenUsage | undefined {
    return this.usage;
  }

  /** The model's step list for a turn. */
  recordPlan(turnId: string, plan: TurnPlan): void {
    this.turnPlans.set(turnId, plan);
    this.persist('event_msg', { type: 'plan_updated', turn_id: turnId, ...plan });
    this.events.notify(this.threadId, TurnPlanUpdated, { threadId: this.threadId, turnId, ...plan });
  }

  /** A turn's final diff. */
  recordTurnDiff(turnId: string, diff: string): void {
    this.turnDiffs.set(turnId, diff);
    this.persist('event_msg', { type: 'turn_diff', turn_id: turnId, diff });
    this.events.notify(this.threadId, TurnDiffUpdated, { threadId: this.threadId, turnId, diff });
  }

  /** The thread's token counts after a response. */
  recordTokenUsage(turnId: string, tokenUsage: ThreadTokenUsage): void {
    this.usage = tokenUsage;
    this.persist('event_msg', { type: 'token_count', turn_id: turnId, info: tokenUsage });
    this.events.notify(this.threadId, ThreadTokenUsageUpdated, { threadId: this.threadId, turnId, tokenUsage });
  }

  /** Turns that left the thread (`thread/revert`) take their plan and diff with them. */
  forget(turnId: string): void {
    this.turnPlans.delete(turnId);
    this.turnDiffs.delete(turnId);
  }
}
