// The chat's view state, rebuilt from `thread/resume` or `thread/read` and kept current by reducing the
// server's notifications. It holds no truth of its own: a reload rebuilds it from the server.
import * as l10n from '@vscode/l10n';
import type { AskForApproval, Checkpoint, PendingApproval, SandboxPolicy, ServerNotification, ServerNotificationParams, Thread, ThreadItem, ThreadTokenUsage, Turn, TurnError } from '../src/protocol';

export type Banner = { kind: 'error' | 'retrying' | 'warning'; text: string } | null;

export interface PlanStep {
  step: string;
  status: 'pending' | 'inProgress' | 'completed';
}
/** A turn's aggregate diff, counted: how many files, lines added and lines removed. */
export interface TurnChanges {
  files: number;
  added: number;
  removed: number;
}

export function countChanges(diff: string): TurnChanges {
  const changes = { files: 0, added: 0, removed: 0 };
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) changes.files += 1;
    else if (line.startsWith('+') && !line.startsWith('+++')) changes.added += 1;
    else if (line.startsWith('-') && !line.startsWith('---')) changes.removed += 1;
  }
  return changes;
}

export interface TurnPlan {
  explanation: string | null;
  plan: PlanStep[];
}

/** A warning the server sent about the shown thread, kept as a row after the items its turn had then. */
export interface InlineNotice {
  key: string;
  /** How many of the turn's items came before it. */
  afterItems: number;
  text: string;
}

/** Notices kept per turn: a runaway warning loop cannot grow the page without bound. */
export const MAX_NOTICES_PER_TURN = 50;

/** How the thread's next turn runs: from thread/start or thread/resume, then `thread/settings/updated`. */
export interface ThreadSettings {
  model: string;
  /** Null: the model's own default. */
  effort: string | null;
  approvalPolicy: AskForApproval;
  sandbox: SandboxPolicy['type'];
  reviewFileChanges: boolean;
}

/** Command output kept for the view: enough to read, bounded so a noisy command cannot grow the page. */
export const MAX_SHOWN_OUTPUT = 200_000;

export interface ChatState {
  threadId: string | null;
  threadName: string | null;
  turns: Turn[];
  activeTurnId: string | null;
  waitingOnApproval: boolean;
  banner: Banner;
  tokenUsage: ThreadTokenUsage | null;
  settings: ThreadSettings | null;
  /** Plans by turn id, as `turn/plan/updated` last said. */
  plans: Map<string, TurnPlan>;
  /** What each turn changed in the workspace, as `turn/diff/updated` last said. */
  changes: Map<string, TurnChanges>;
  /** Approvals the host is waiting on, by item id (the host owns them; this mirrors them). */
  pendingApprovals: Map<string, PendingApproval>;
  /** Warnings about this thread, by turn id, shown in the conversation (a refused patch says why here). */
  notices: Map<string, InlineNotice[]>;
  /** What each running MCP tool call last reported, by item id. */
  mcpProgress: Map<string, string>;
  /** The thread's file checkpoints, oldest first, as `tandem/checkpoint/list` last said. */
  checkpoints: Checkpoint[];
}

export const emptyState = (): ChatState => ({
  threadId: null,
  threadName: null,
  turns: [],
  activeTurnId: null,
  waitingOnApproval: false,
  banner: null,
  tokenUsage: null,
  settings: null,
  plans: new Map(),
  changes: new Map(),
  pendingApprovals: new Map(),
  notices: new Map(),
  mcpProgress: new Map(),
  checkpoints: [],
});

/** What the server re-sends when a thread is opened; applying it twice changes nothing. */
const REPLAYED_STATE = new Set<string>(['turn/plan/updated', 'turn/diff/updated', 'thread/tokenUsage/updated']);

export class ChatStore {
  state: ChatState = emptyState();
  /** Items changed since the view last rendered, by id; `structure` when items or turns were added. */
  readonly dirtyItems = new Set<string>();
  structureChanged = true;
  private readonly listeners: Array<() => void> = [];
  /** The thread being opened, and the state notifications (plan, diff, usage) that arrived before it. */
  private opening: { threadId: string; early: ServerNotification[] } | null = null;

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  reset(): void {
    this.state = emptyState();
    this.structureChanged = true;
    this.emit();
  }

  /**
   * A thread is about to be opened: the server re-sends its plan, diff and usage right after answering, and
   * those may overtake the answer on the way here, so they are kept until `loadThread`.
   */
  expectThread(threadId: string): void {
    this.opening = { threadId, early: [] };
  }

  loadThread(thread: Thread, settings: ThreadSettings | null = null): void {
    const active = thread.turns.find((t) => t.status === 'inProgress');
    this.state = {
      ...emptyState(),
      settings,
      pendingApprovals: this.state.pendingApprovals,
      threadId: thread.id,
      threadName: thread.name,
      // The thread arrived by postMessage, so it is already this page's own copy: no need to clone it again.
      turns: thread.turns.map((t) => ({ ...t, items: [...t.items] })),
      activeTurnId: active?.id ?? null,
      waitingOnApproval: thread.status.type === 'active' && thread.status.activeFlags.includes('waitingOnApproval'),
    };
    this.structureChanged = true;
    const early = this.opening?.threadId === thread.id ? this.opening.early : [];
    this.opening = null;
    for (const notification of early) this.apply(notification);
    this.emit();
  }

  setPendingApprovals(pending: readonly PendingApproval[]): void {
    const before = this.state.pendingApprovals;
    this.state.pendingApprovals = new Map(pending.map((p) => [p.itemId, p]));
    for (const id of new Set([...before.keys(), ...this.state.pendingApprovals.keys()])) this.dirtyItems.add(id);
    this.emit();
  }

  /** Applies one server notification; returns whether it concerned the shown thread. */
  apply(notification: ServerNotification): boolean {
    const state = this.state;
    if (notification.method === 'warning') return this.warn(notification.params);
    const threadId = 'threadId' in notification.params ? notification.params.threadId : undefined;
    if (this.opening && threadId === this.opening.threadId && state.threadId !== this.opening.threadId && REPLAYED_STATE.has(notification.method)) {
      this.opening.early.push(notification);
      return true;
    }
    if (!state.threadId || (threadId !== undefined && threadId !== state.threadId)) return false;
    switch (notification.method) {
      case 'turn/started': {
        // A review's turn starts under an id of its own; its items and completion carry the root's.
        const started = notification.params.turn;
        const turn = { ...started, id: started.rootTurnId ?? started.id };
        if (!this.turn(turn.id)) state.turns.push({ ...turn, items: [] });
        state.activeTurnId = turn.id;
        state.banner = null;
        this.structureChanged = true;
        break;
      }
      case 'item/started':
      case 'item/completed': {
        const { item, turnId } = notification.params;
        const turn = this.turn(turnId) ?? this.addTurn(turnId);
        // A steered message shown while it was sent gives way to the server's item, in its place.
        const shown = item.type === 'userMessage' && item.clientId ? turn.items.findIndex((i) => i.id === pendingId(item.clientId!)) : -1;
        if (shown !== -1) turn.items.splice(shown, 1, structuredClone(item));
        const index = turn.items.findIndex((i) => i.id === item.id);
        if (index === -1) {
          turn.items.push(structuredClone(item));
          this.structureChanged = true;
        } else {
          turn.items[index] = structuredClone(item);
          this.dirtyItems.add(item.id);
        }
        if (notification.method === 'item/completed' && state.banner?.kind === 'retrying') state.banner = null;
        break;
      }
      case 'item/agentMessage/delta': {
        const { turnId, itemId, delta } = notification.params;
        const item = this.item(turnId, itemId);
        if (item?.type !== 'agentMessage') return true;
        item.text += delta;
        this.dirtyItems.add(item.id);
        break;
      }
      case 'item/commandExecution/outputDelta': {
        const { turnId, itemId, delta } = notification.params;
        const item = this.item(turnId, itemId);
        if (item?.type !== 'commandExecution') return true;
        const output = (item.aggregatedOutput ?? '') + delta;
        item.aggregatedOutput = output.length > MAX_SHOWN_OUTPUT ? output.slice(-MAX_SHOWN_OUTPUT) : output;
        this.dirtyItems.add(item.id);
        break;
      }
      case 'item/mcpToolCall/progress': {
        const { itemId, message } = notification.params;
        state.mcpProgress.set(itemId, message);
        this.dirtyItems.add(itemId);
        break;
      }
      case 'turn/plan/updated': {
        const { turnId, explanation, plan } = notification.params;
        // A turn's first plan adds a row; later updates only refill it.
        if (!state.plans.has(turnId)) this.structureChanged = true;
        state.plans.set(turnId, { explanation, plan });
        this.dirtyItems.add(`${turnId}:plan`);
        break;
      }
      case 'turn/diff/updated': {
        const { turnId, diff } = notification.params;
        if (!state.changes.has(turnId)) this.structureChanged = true;
        state.changes.set(turnId, countChanges(diff));
        this.dirtyItems.add(`${turnId}:changes`);
        break;
      }
      case 'item/reasoning/summaryPartAdded':
      case 'item/reasoning/summaryTextDelta': {
        const { turnId, itemId, summaryIndex } = notification.params;
        const item = this.item(turnId, itemId);
        if (item?.type !== 'reasoning') return true;
        while (item.summary.length <= summaryIndex) item.summary.push('');
        if (notification.method === 'item/reasoning/summaryTextDelta') item.summary[summaryIndex] += notification.params.delta;
        this.dirtyItems.add(item.id);
        break;
      }
      case 'turn/completed': {
        const done = notification.params.turn;
        const turn = this.turn(done.id) ?? this.addTurn(done.id);
        Object.assign(turn, { ...done, items: turn.items });
        // Items the turn left open now show as stopped, and a patch declined as it stopped as cancelled.
        for (const item of turn.items) if ('status' in item && (item.status === 'inProgress' || item.status === 'declined')) this.dirtyItems.add(item.id);
        if (state.activeTurnId === done.id) state.activeTurnId = null;
        state.waitingOnApproval = false;
        // A failed turn is also an entry in the conversation (the view builds it from the turn's status).
        if (done.status === 'failed' && done.error) state.banner = { kind: 'error', text: errorText(done.error) };
        else if (state.banner?.kind === 'retrying') state.banner = null;
        this.structureChanged = true;
        break;
      }
      case 'error': {
        const { error, willRetry } = notification.params;
        state.banner = { kind: willRetry ? 'retrying' : 'error', text: errorText(error) };
        break;
      }
      case 'thread/status/changed': {
        const { status } = notification.params;
        state.waitingOnApproval = status.type === 'active' && status.activeFlags.includes('waitingOnApproval');
        break;
      }
      case 'thread/tokenUsage/updated':
        state.tokenUsage = notification.params.tokenUsage;
        break;
      case 'thread/name/updated':
        state.threadName = notification.params.threadName ?? null;
        break;
      case 'thread/settings/updated': {
        const s = notification.params.threadSettings;
        state.settings = { model: s.model, effort: s.effort, approvalPolicy: s.approvalPolicy, sandbox: s.sandboxPolicy.type, reviewFileChanges: s.reviewFileChanges ?? false };
        break;
      }
      default:
        return false;
    }
    this.emit();
    return true;
  }

  /**
   * A warning without a thread (configuration, say) is a banner. One about the shown thread is also a row in
   * its conversation, after the items so far, so it sits next to what it explains (a patch not applied)
   * and stays after the banner is replaced.
   */
  private warn(params: ServerNotificationParams<'warning'>): boolean {
    const state = this.state;
    const { threadId } = params;
    if (threadId != null && threadId !== state.threadId) return false;
    const text = params.message;
    state.banner = { kind: 'warning', text };
    const turn = threadId != null ? (state.activeTurnId ? this.turn(state.activeTurnId) : state.turns.at(-1)) : undefined;
    if (turn) {
      const notices = state.notices.get(turn.id) ?? [];
      if (notices.length < MAX_NOTICES_PER_TURN) {
        notices.push({ key: `${turn.id}:notice:${notices.length}`, afterItems: turn.items.length, text });
        state.notices.set(turn.id, notices);
        this.structureChanged = true;
      }
    }
    this.emit();
    return true;
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }

  /** The shown thread's checkpoints: its change summaries and each message's restore offer follow them. */
  setCheckpoints(threadId: string, checkpoints: Checkpoint[]): void {
    if (this.state.threadId !== threadId) return;
    this.state.checkpoints = checkpoints;
    for (const checkpoint of checkpoints) this.dirtyItems.add(`${checkpoint.turnId}:checkpoint`);
    // Which messages offer to restore files depends on the checkpoints after them.
    for (const turn of this.state.turns) {
      const request = turn.items.find((item) => item.type === 'userMessage');
      if (request) this.dirtyItems.add(request.id);
    }
    this.structureChanged = true;
    this.emit();
  }

  /** Shows a message steered into the running turn at once, before the server records it. */
  showSteered(turnId: string, clientId: string, text: string): void {
    const turn = this.turn(turnId);
    if (!turn) return;
    turn.items.push({ type: 'userMessage', id: pendingId(clientId), clientId, content: [{ type: 'text', text, text_elements: [] }] });
    this.structureChanged = true;
    this.emit();
  }

  /** Takes back a steered message the server refused. */
  dropSteered(clientId: string): void {
    for (const turn of this.state.turns) {
      const index = turn.items.findIndex((i) => i.id === pendingId(clientId));
      if (index !== -1) turn.items.splice(index, 1);
    }
    this.structureChanged = true;
    this.emit();
  }

  private turn(turnId: string): Turn | undefined {
    return this.state.turns.find((t) => t.id === turnId);
  }

  private addTurn(turnId: string): Turn {
    const turn: Turn = { id: turnId, items: [], itemsView: 'full', status: 'inProgress', error: null, startedAt: null, completedAt: null, durationMs: null };
    this.state.turns.push(turn);
    this.structureChanged = true;
    return turn;
  }

  private item(turnId: string, itemId: string): ThreadItem | undefined {
    return this.turn(turnId)?.items.find((i) => i.id === itemId);
  }
}

/** Why a turn failed, as its entry in the conversation says it. */
export function failureText(turn: Pick<Turn, 'error'>): string {
  return turn.error ? errorText(turn.error) : l10n.t('The turn failed.');
}

function errorText(error: TurnError): string {
  return error.additionalDetails ? `${error.message}\n${error.additionalDetails}` : error.message;
}

const pendingId = (clientId: string) => `pending:${clientId}`;
