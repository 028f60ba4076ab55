// Emits one turn's item lifecycle (`item/started` → deltas → `item/completed`) and keeps the turn's items.
import { ItemCompleted, ItemStarted, type NotificationDescriptor, type ParamsOf, type ThreadItem } from '../../protocol';
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
    this.announceStart(item);
  }

  /** Starts an item whose record must be durable (`durable` resolves) before any client hears of it. */
  async startDurably(item: ThreadItem, durable: () => Promise<void>): Promise<void> {
    this.items.push(item);
    this.onItemStarted(item);
    await durable();
    this.announceStart(item);
  }

  private announceStart(item: ThreadItem): void {
    this.sink.notify(this.threadId, ItemStarted, { item, threadId: this.threadId, turnId: this.turnId, startedAtMs: Date.now() });
  }

  complete(item: ThreadItem): void {
    this.settle(item);
    this.sink.notify(this.threadId, ItemCompleted, { item, threadId: this.threadId, turnId: this.turnId, completedAtMs: Date.now() });
  }

  /** Records the item's final state (turn and rollout) without announcing it. */
  settle(item: ThreadItem): void {
    const index = this.items.findIndex((existing) => existing.id === item.id);
    if (index === -1) this.items.push(item);
    else this.items[index] = item;
    this.onItemCompleted(item);
  }

  /** Forgets an item that started but will never finish (a reply a steer cut short; codex drops it too). */
  discard(id: string): void {
    const index = this.items.findIndex((existing) => existing.id === id);
    if (index !== -1) this.items.splice(index, 1);
  }

  /** A turn-scoped notification; `threadId` and `turnId` are added to the params. */
  notify<D extends NotificationDescriptor>(descriptor: D, params: Omit<ParamsOf<D>, 'threadId' | 'turnId'>): void {
    // The scope completes the params the descriptor asks for; the compiler cannot see that through Omit.
    this.sink.notify(this.threadId, descriptor, { threadId: this.threadId, turnId: this.turnId, ...params } as ParamsOf<D>);
  }
}
