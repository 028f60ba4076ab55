// Emits one turn's item lifecycle (`item/started` → deltas → `item/completed`) and keeps the turn's items.
import type { ThreadItem } from '../../protocol';
import type { ThreadEventSink } from './events';

export class TurnEmitter {
  /** Items of this turn in their latest state, in start order. */
  readonly items: ThreadItem[] = [];

  constructor(
    private readonly sink: ThreadEventSink,
    readonly threadId: string,
    readonly turnId: string,
    private readonly onItemCompleted: (item: ThreadItem) => void,
    private readonly onItemStarted: (item: ThreadItem) => void = () => undefined,
  ) {}

  start(item: ThreadItem): void {
    this.items.push(item);
    this.onItemStarted(item);
    this.sink.notify(this.threadId, 'item/started', { item, threadId: this.threadId, turnId: this.turnId, startedAtMs: Date.now() });
  }

  complete(item: ThreadItem): void {
    this.settle(item);
    this.sink.notify(this.threadId, 'item/completed', { item, threadId: this.threadId, turnId: this.turnId, completedAtMs: Date.now() });
  }

  /** Records the item's final state (turn and rollout) without announcing it. */
  settle(item: ThreadItem): void {
    const index = this.items.findIndex((existing) => existing.id === item.id);
    if (index === -1) this.items.push(item);
    else this.items[index] = item;
    this.onItemCompleted(item);
  }

  /** A turn-scoped notification; `threadId` and `turnId` are added to the params. */
  notify(method: string, params: Record<string, unknown>): void {
    this.sink.notify(this.threadId, method, { threadId: this.threadId, turnId: this.turnId, ...params });
  }
}
