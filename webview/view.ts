// Renders the chat from the store. The conversation is a virtualised list: only rows near the viewport
// are in the DOM, heights are measured once shown and estimated before, and a render happens at most
// once per animation frame, so a thread of thousands of items opens fast and streams smoothly. A frame
// builds only the rows on screen; those around it, which scrolling will need next, are built in idle time.
// A thread just opened is rendered at once, without waiting for a frame.
import * as l10n from '@vscode/l10n';
import type { ThreadItem } from '../src/protocol';
import type { ChatStore, ThreadSettings } from './store';
import { fillChanges, fillItem, fillPlan } from './cards';
import { el, icon, iconButton } from './dom';
import { userMessageParts } from './userMessage';
import { describeMode, effortLabel } from './settingsWords';
import { fillCheckpoint, restoreTarget, undoneCheckpoints } from './checkpoints';
import { messageActions } from './checkpointMenu';
import { growSpan, placeRows, rowOffsets, rowsWithin, type RowSpan } from './rowWindow';
import { deferringColdGrammars } from './deferredCode';
import { conversationRows, type Row } from './conversationRows';

export interface ChatElements {
  title: HTMLElement;
  settings: HTMLElement;
  history: HTMLButtonElement;
  messages: HTMLElement;
  rows: HTMLElement;
  banner: HTMLElement;
  usage: HTMLElement;
  send: HTMLButtonElement;
  stop: HTMLButtonElement;
  input: HTMLTextAreaElement;
  hint: HTMLElement;
  notice: HTMLElement;
  historyPanel: HTMLElement;
  /** The model, effort and mode pickers under the composer (filled by SettingsPickers). */
  pickers: HTMLElement;
  /** The chips of what the next message carries (filled by AttachmentTray). */
  attachments: HTMLElement;
}

export function buildLayout(root: HTMLElement): ChatElements {
  root.replaceChildren();
  const header = el('header', 'thread-header');
  const heading = el('div', 'thread-heading');
  const title = el('h1', 'thread-title', l10n.t('New thread'));
  const history = iconButton('history', l10n.t('History'), 'icon-button history-button');
  history.setAttribute('aria-label', l10n.t('Show thread history'));
  history.setAttribute('aria-expanded', 'false');
  heading.append(title, history);
  const settings = el('div', 'thread-settings');
  const usage = el('span', 'usage');
  const details = el('div', 'thread-details');
  details.append(settings, usage);
  header.append(heading, details);
  const historyPanel = el('section', 'history');
  historyPanel.hidden = true;
  historyPanel.setAttribute('aria-label', l10n.t('Thread history'));
  const messages = el('main', 'messages');
  messages.setAttribute('role', 'log');
  messages.setAttribute('aria-live', 'polite');
  messages.setAttribute('aria-label', l10n.t('Conversation'));
  messages.tabIndex = 0;
  const rows = el('div', 'rows');
  messages.append(rows);
  const banner = el('div', 'banner');
  banner.setAttribute('role', 'status');
  banner.hidden = true;
  const notice = el('div', 'notice');
  notice.setAttribute('role', 'note');
  notice.hidden = true;
  const form = el('form', 'composer');
  const attachments = el('div', 'composer-attachments');
  attachments.setAttribute('role', 'list');
  attachments.setAttribute('aria-label', l10n.t('Attached to the next message'));
  const input = el('textarea');
  input.rows = 3;
  input.placeholder = l10n.t('Ask Tandem… (Enter to send, Shift+Enter for a new line)');
  input.setAttribute('aria-label', l10n.t('Message to Tandem'));
  const actions = el('div', 'composer-actions');
  const hint = el('span', 'hint');
  hint.setAttribute('aria-live', 'polite');
  const stop = iconButton('debug-stop', l10n.t('Stop'), 'stop');
  stop.hidden = true;
  stop.setAttribute('aria-label', l10n.t('Stop the running turn'));
  const send = el('button', 'send');
  send.type = 'submit';
  send.append(icon('send'), el('span', 'label', l10n.t('Send')));
  send.setAttribute('aria-label', l10n.t('Send message'));
  actions.append(hint, stop, send);
  const pickers = el('div', 'composer-settings');
  form.append(attachments, input, actions, pickers);
  root.append(header, historyPanel, messages, banner, notice, form);
  return { title, settings, history, messages, rows, banner, usage, send, stop, input, hint, notice, historyPanel, pickers, attachments };
}

/**
 * Before a row has been shown its height is a guess (the gap after it included): about a tool's card or a
 * short answer. Rows are re-measured whenever they render.
 */
const ESTIMATED_ROW_HEIGHT = 96;
/** Renders that measured rows smaller than guessed build the rows that came on screen, up to this often. */
const FILL_PASSES = 3;

interface RowWindow {
  /** Each row's top, and the list's height last. */
  offsets: Float64Array;
  visible: RowSpan;
  /** The visible rows and those within the overscan. */
  wanted: RowSpan;
}
/** Rows built beyond the viewport, in pixels, on each side, so that scrolling finds them ready. */
const OVERSCAN = 800;
/** Idle time (ms) left in which building one more row does not delay the next frame. */
const ROW_IDLE_MS = 2;
/**
 * How long after the user's last wheel or scrolling key idle building waits: rows built above the screen
 * move the scroll position to keep the screen still, and setting it stops a smooth scroll (Page Up) midway.
 */
const SCROLL_SETTLE_MS = 500;
/** Keys that scroll the conversation towards its start. */
const UP_KEYS = new Set(['PageUp', 'Home', 'ArrowUp']);

export class ChatView {
  private rows: Row[] = [];
  private readonly heights = new Map<string, number>();
  /** Rows in the DOM now, by key. */
  private readonly mounted = new Map<string, HTMLElement>();
  private frame: number | undefined;
  /** An idle callback that builds the rows beyond the viewport that are not built yet. */
  private idle: number | undefined;
  /** Until when (performance.now()) the user is taken to be scrolling. */
  private userScrollingUntil = 0;
  private stickToBottom = true;
  /** Why the composer is disabled, if it is (shown as the hint). */
  disabledReason: string | null = null;
  /** Why the agent is limited (an untrusted folder), shown above the composer. */
  notice: string | null = null;
  workspaceRoots: readonly string[] = [];
  /** What the composer is doing before a message goes (gathering its context), shown as the hint. */
  composerNote: string | null = null;

  constructor(
    private readonly store: ChatStore,
    private readonly elements: ChatElements,
  ) {
    store.onChange(() => this.schedule());
    let lastTop = 0;
    elements.messages.addEventListener('scroll', () => {
      const { messages } = this.elements;
      const fromEnd = messages.scrollHeight - messages.scrollTop - messages.clientHeight;
      // Any step up that leaves the end lets go of it: a smooth scroll (Page Up) starts with a few pixels,
      // which the next render would otherwise undo.
      const up = messages.scrollTop < lastTop && fromEnd > 1;
      lastTop = messages.scrollTop;
      this.stickToBottom = fromEnd < 40 && !up;
      this.schedule();
    }, { passive: true });
    // The user's own scrolling: a step towards the start lets go of the end at once, before a render could
    // pin it there again, and idle building waits until the scrolling settles.
    const userScrolls = (towardsStart: boolean) => {
      this.userScrollingUntil = performance.now() + SCROLL_SETTLE_MS;
      if (towardsStart) this.stickToBottom = false;
    };
    elements.messages.addEventListener('wheel', (event) => userScrolls(event.deltaY < 0), { passive: true });
    elements.messages.addEventListener('keydown', (event) => {
      if (UP_KEYS.has(event.key) || event.key === 'PageDown' || event.key === 'End' || event.key === 'ArrowDown' || event.key === ' ') userScrolls(UP_KEYS.has(event.key));
    });
  }

  schedule(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.render();
    });
  }

  /** Renders now instead of at the next frame: the rows on screen; the rest follow in idle time. */
  render(): void {
    this.renderWithin(() => false);
  }

  /**
   * A thread was just opened: its last screen is rendered now, without waiting for a frame. Code in a
   * grammar not used yet is highlighted in idle time, with the rows around the screen.
   */
  renderOpened(): void {
    this.stickToBottom = true;
    deferringColdGrammars(() => this.renderWithin(() => false));
  }

  private renderWithin(hasTime: () => boolean): void {
    if (this.frame !== undefined) {
      cancelAnimationFrame(this.frame);
      this.frame = undefined;
    }
    if (this.store.structureChanged) {
      this.store.structureChanged = false;
      this.rows = conversationRows(this.store.state);
      // Kept on each row too: the list's geometry is added up every frame, without a lookup per row.
      for (const row of this.rows) row.height = this.heights.get(row.key);
    }
    this.renderRows(hasTime);
    this.store.dirtyItems.clear();
    this.renderChrome();
    // A banner or hint that appeared above the composer shrank the list after it was scrolled: stay at the end.
    // An empty list has no end to keep (and reading its height would lay out the page before its first frame).
    if (this.stickToBottom && this.rows.length > 0) this.elements.messages.scrollTop = this.elements.messages.scrollHeight;
  }

  private renderRows(hasTime: () => boolean): void {
    const { rows: container } = this.elements;
    if (this.rows.length === 0) {
      this.unmountAll();
      container.style.paddingTop = container.style.paddingBottom = '0px';
      container.replaceChildren(el('p', 'empty', l10n.t('Ask Tandem to explain, change or run something in this workspace.')));
      return;
    }
    container.querySelector(':scope > .empty')?.remove();
    // Rows measured smaller than their estimate leave part of the screen empty: build on until it is full.
    let window = this.window();
    for (let pass = 0; pass < FILL_PASSES; pass++) {
      const span = this.renderSpan(window, hasTime);
      window = this.window();
      if (span.start > window.wanted.start || span.end < window.wanted.end) this.scheduleIdle();
      if (span.start <= window.visible.start && window.visible.end <= span.end) return;
    }
  }

  /** Builds the rows on screen and as many around it as there is time for, and measures them. */
  private renderSpan({ offsets, visible, wanted }: RowWindow, hasTime: () => boolean): RowSpan {
    const { messages, rows: container } = this.elements;

    // Rows built or re-measured above the screen must not move what is on it: its first row keeps its place.
    const anchor = this.stickToBottom ? undefined : this.mounted.get(this.rows[visible.start]!.key);
    const anchorTop = anchor?.offsetTop ?? 0;

    // The rows on screen first, then as many around them as there is time for.
    const built = new Map<number, HTMLElement>();
    const build = (index: number) => built.set(index, this.mount(this.rows[index]!));
    for (let i = visible.start; i < visible.end; i++) build(i);
    const span = growSpan(visible, wanted, (i) => this.mounted.has(this.rows[i]!.key), build, hasTime);
    const wantedKeys = new Set<string>();
    const nodes: HTMLElement[] = [];
    for (let i = span.start; i < span.end; i++) {
      wantedKeys.add(this.rows[i]!.key);
      nodes.push(built.get(i) ?? this.mount(this.rows[i]!));
    }
    for (const [key, node] of this.mounted) {
      if (!wantedKeys.has(key)) {
        node.remove();
        this.mounted.delete(key);
      }
    }
    // Rows in place stay, so streaming into the last row moves nothing and rows built around the screen
    // cost the layout of those rows only.
    placeRows(container, nodes);
    container.style.paddingTop = `${offsets[span.start]!}px`;
    container.style.paddingBottom = `${offsets[this.rows.length]! - offsets[span.end]!}px`;
    for (let i = 0; i < nodes.length; i++) {
      const row = this.rows[span.start + i]!;
      row.height = nodes[i]!.offsetHeight;
      this.heights.set(row.key, row.height);
    }
    if (this.stickToBottom) messages.scrollTop = messages.scrollHeight;
    else if (anchor?.isConnected && anchor.offsetTop !== anchorTop) messages.scrollTop += anchor.offsetTop - anchorTop;
    return span;
  }

  /** Where the rows are, by their measured or estimated heights: those on screen, and those around it worth building. */
  private window(): RowWindow {
    const { messages } = this.elements;
    const offsets = rowOffsets(this.rows.length, (i) => this.rows[i]!.height ?? ESTIMATED_ROW_HEIGHT);
    const viewport = messages.clientHeight || 600;
    const top = this.stickToBottom ? Math.max(0, offsets[this.rows.length]! - viewport) : messages.scrollTop;
    return { offsets, visible: rowsWithin(offsets, top, top + viewport), wanted: rowsWithin(offsets, top - OVERSCAN, top + viewport + OVERSCAN) };
  }

  /** The row's node: built when it is not in the DOM yet, filled again when its item changed. */
  private mount(row: Row): HTMLElement {
    let node = this.mounted.get(row.key);
    if (!node) {
      node = el('div', 'row');
      node.append(el('article'));
      this.mounted.set(row.key, node);
      this.fill(node, row);
    } else if (this.store.dirtyItems.has(row.key)) {
      this.fill(node, row);
      // Filled once however many passes the render takes to fill the screen.
      this.store.dirtyItems.delete(row.key);
    }
    return node;
  }

  /** Builds the rows around the screen while the page is idle, as many per idle period as fit in it. */
  private scheduleIdle(): void {
    if (this.idle !== undefined) return;
    this.idle = requestIdleCallback((deadline) => {
      this.idle = undefined;
      // A frame is coming anyway: it renders, and asks again for what it leaves.
      if (this.frame !== undefined) return;
      const settling = this.userScrollingUntil - performance.now();
      if (settling > 0) {
        setTimeout(() => this.scheduleIdle(), settling);
        return;
      }
      deferringColdGrammars(() => this.renderWithin(() => deadline.timeRemaining() > ROW_IDLE_MS));
    });
  }

  private unmountAll(): void {
    for (const node of this.mounted.values()) node.remove();
    this.mounted.clear();
  }

  private fill(row: HTMLElement, entry: Row): void {
    const node = row.firstElementChild as HTMLElement;
    if (entry.kind === 'item') {
      const turn = this.store.state.turns.find((t) => t.id === entry.turnId);
      // The row keeps the item it was built with; a completed item replaces that object in the turn.
      const item = turn?.items.find((i) => i.id === entry.key) ?? entry.item;
      node.dataset.itemId = item.id;
      const stopped = turn !== undefined && (turn.status === 'interrupted' || turn.status === 'failed');
      fillItem(node, item, this.store.state.pendingApprovals.get(item.id), this.workspaceRoots, stopped, turn?.items.at(-1)?.id === item.id, this.store.state.mcpProgress.get(item.id));
      // A turn's request offers the way back to before it (a message steered in later does not: it is mid-turn).
      if (turn && item.type === 'userMessage' && turn.items.find((i) => i.type === 'userMessage') === item) {
        const { checkpoints, turns } = this.store.state;
        node.append(messageActions(turn.id, restoreTarget(checkpoints, turns, turns.indexOf(turn))));
      }
    } else if (entry.kind === 'checkpoint') {
      const { checkpoints, turns } = this.store.state;
      const checkpoint = checkpoints.find((c) => c.turnId === entry.turnId);
      if (checkpoint) fillCheckpoint(node, checkpoint, { undone: undoneCheckpoints(checkpoints).has(checkpoint.turnId), restoredTurn: turns.find((t) => t.id === checkpoint.restoredTurnId) });
    } else if (entry.kind === 'plan') {
      const plan = this.store.state.plans.get(entry.turnId);
      if (plan) fillPlan(node, plan);
    } else if (entry.kind === 'changes') {
      const changes = this.store.state.changes.get(entry.turnId);
      if (changes) fillChanges(node, changes);
    } else if (entry.kind === 'notice') {
      node.className = 'inline-warning';
      node.setAttribute('role', 'note');
      node.setAttribute('aria-label', l10n.t('Warning: {0}', entry.text));
      node.replaceChildren(icon('warning'), el('span', 'inline-warning-text', entry.text));
    } else if (entry.kind === 'failed') {
      node.className = 'turn-failed';
      node.setAttribute('role', 'note');
      node.setAttribute('aria-label', l10n.t('Turn failed: {0}', entry.text));
      const retry = iconButton('refresh', l10n.t('Retry'), 'secondary retry');
      retry.dataset.action = 'retry-turn';
      retry.dataset.turnId = entry.turnId;
      retry.setAttribute('aria-label', l10n.t('Retry: send this request again'));
      node.replaceChildren(icon('error'), el('span', 'turn-failed-text', entry.text), retry);
    } else {
      node.className = 'marker';
      node.textContent = entry.text;
    }
  }

  private renderChrome(): void {
    const { state } = this.store;
    const { title, settings, banner, stop, send, hint, usage, notice } = this.elements;
    notice.hidden = this.notice === null;
    notice.textContent = this.notice ?? '';
    title.textContent = state.threadName ?? (state.threadId ? (firstRequest(state.turns) ?? l10n.t('Thread')) : l10n.t('New thread'));
    title.title = title.textContent;
    settings.textContent = state.settings ? settingsText(state.settings) : '';
    banner.hidden = state.banner === null;
    banner.className = `banner ${state.banner?.kind ?? ''}`;
    banner.textContent = state.banner?.text ?? '';
    const running = state.activeTurnId !== null;
    // No way back while a turn runs (it could change the files again at once) or the composer cannot send.
    this.elements.messages.classList.toggle('checkpoint-actions-off', running || this.disabledReason !== null);
    stop.hidden = !running;
    send.querySelector('.label')!.textContent = running ? l10n.t('Steer') : l10n.t('Send');
    send.setAttribute('aria-label', running ? l10n.t('Add to the running turn') : l10n.t('Send message'));
    send.disabled = this.disabledReason !== null;
    this.elements.input.disabled = this.disabledReason !== null;
    const waiting = state.waitingOnApproval || [...state.pendingApprovals.values()].some((p) => p.threadId === state.threadId);
    hint.textContent = this.disabledReason ?? this.composerNote ?? (waiting ? l10n.t('Waiting for your approval…') : running ? l10n.t('Working… you can add to the request') : '');
    const tokens = state.tokenUsage?.total.totalTokens;
    const contextWindow = state.tokenUsage?.modelContextWindow;
    const lastInput = state.tokenUsage?.last.inputTokens;
    usage.textContent = tokens ? usageText(tokens, contextWindow && lastInput ? Math.round((lastInput / contextWindow) * 100) : null) : '';
  }
}

/** The header's line: the model, its effort when set, and the mode in plain words. */
export function settingsText(settings: ThreadSettings): string {
  const mode = describeMode(settings.approvalPolicy, settings.sandbox, settings.reviewFileChanges);
  return [settings.model, settings.effort ? effortLabel(settings.effort) : null, mode].filter(Boolean).join(' · ');
}

/** The thread's tokens, and how full the context was on the last request when the model's window is known. */
function usageText(tokens: number, contextPercent: number | null): string {
  const total = tokens.toLocaleString();
  return contextPercent === null ? l10n.t('{0} tokens', total) : l10n.t('{0} tokens · {1}% of context', total, contextPercent);
}

/** An unnamed thread is called by its first request, as the history lists it. */
function firstRequest(turns: readonly { items: readonly ThreadItem[] }[]): string | undefined {
  for (const turn of turns) {
    for (const item of turn.items) {
      if (item.type === 'userMessage') {
        // Without the IDE context an editor put before the words.
        const text = userMessageParts(item.content.filter((c) => c.type === 'text')).text.trim();
        if (text) return text.length > 80 ? `${text.slice(0, 79)}…` : text;
      }
    }
  }
  return undefined;
}
