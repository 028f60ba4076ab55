// Renders the chat from the store. The conversation is a virtualised list: only rows near the viewport
// are in the DOM, heights are measured once shown and estimated before, and a render happens at most
// once per animation frame, so a thread of thousands of items opens fast and streams smoothly.
import * as l10n from '@vscode/l10n';
import type { ThreadItem } from '../src/protocol';
import { failureText, type ChatStore, type ThreadSettings } from './store';
import { fillChanges, fillItem, fillPlan } from './cards';
import { el, icon, iconButton } from './dom';
import { hiddenReviewItems } from './review';
import { userMessageParts } from './userMessage';
import { describeMode, effortLabel } from './settingsWords';
import { fillCheckpoint, restoreTarget, restoresByTurn, shownCheckpoint, turnCheckpoint, undoneCheckpoints } from './checkpoints';
import { messageActions } from './checkpointMenu';

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

type Row =
  | { key: string; kind: 'item'; item: ThreadItem; turnId: string }
  | { key: string; kind: 'plan'; turnId: string }
  | { key: string; kind: 'changes'; turnId: string }
  /** A turn's or a restore's file checkpoint, by its turn id. */
  | { key: string; kind: 'checkpoint'; turnId: string }
  | { key: string; kind: 'marker'; text: string }
  | { key: string; kind: 'notice'; text: string }
  | { key: string; kind: 'failed'; turnId: string; text: string };

/** Before a row has been shown its height is a guess; rows are re-measured whenever they render. */
const ESTIMATED_ROW_HEIGHT = 56;
/** Rows rendered beyond the viewport, in pixels, on each side. */
const OVERSCAN = 800;
const ROW_GAP = 8;

export class ChatView {
  private rows: Row[] = [];
  private readonly heights = new Map<string, number>();
  /** Rows in the DOM now, by key. */
  private readonly mounted = new Map<string, HTMLElement>();
  private frame: number | undefined;
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
    elements.messages.addEventListener('scroll', () => {
      const { messages } = this.elements;
      this.stickToBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 40;
      this.schedule();
    }, { passive: true });
  }

  schedule(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.render();
    });
  }

  render(): void {
    if (this.store.structureChanged) {
      this.store.structureChanged = false;
      this.rows = this.buildRows();
    }
    this.renderRows();
    this.store.dirtyItems.clear();
    this.renderChrome();
    // A banner or hint that appeared above the composer shrank the list after it was scrolled: stay at the end.
    if (this.stickToBottom) this.elements.messages.scrollTop = this.elements.messages.scrollHeight;
  }

  private buildRows(): Row[] {
    const { state } = this.store;
    const rows: Row[] = [];
    const restores = restoresByTurn(state.checkpoints, state.turns);
    const checkpointRow = (turnId: string): Row => ({ key: `${turnId}:checkpoint`, kind: 'checkpoint', turnId });
    for (const turn of state.turns) {
      const notices = state.notices.get(turn.id) ?? [];
      let next = 0;
      const noticesUpTo = (count: number) => {
        for (; next < notices.length && notices[next]!.afterItems <= count; next++) rows.push({ key: notices[next]!.key, kind: 'notice', text: notices[next]!.text });
      };
      noticesUpTo(0);
      const hidden = hiddenReviewItems(turn.items);
      turn.items.forEach((item, index) => {
        if (!hidden.has(item.id)) rows.push({ key: item.id, kind: 'item', item, turnId: turn.id });
        noticesUpTo(index + 1);
      });
      noticesUpTo(Number.POSITIVE_INFINITY);
      if (state.plans.has(turn.id)) rows.push({ key: `${turn.id}:plan`, kind: 'plan', turnId: turn.id });
      // The checkpoint's summary says what the diff's line says, per file and with a way back.
      const checkpoint = turnCheckpoint(state.checkpoints, turn.id);
      if (checkpoint && shownCheckpoint(checkpoint)) rows.push(checkpointRow(turn.id));
      else if (state.changes.has(turn.id)) rows.push({ key: `${turn.id}:changes`, kind: 'changes', turnId: turn.id });
      if (turn.status === 'interrupted') rows.push({ key: `${turn.id}:interrupted`, kind: 'marker', text: l10n.t('Turn interrupted.') });
      // Stays in the conversation after the banner is gone, with a way to send the request again.
      if (turn.status === 'failed') rows.push({ key: `${turn.id}:failed`, kind: 'failed', turnId: turn.id, text: failureText(turn) });
      for (const restore of restores.get(turn.id) ?? []) rows.push(checkpointRow(restore.turnId));
    }
    for (const restore of restores.get('') ?? []) rows.push(checkpointRow(restore.turnId));
    return rows;
  }

  private renderRows(): void {
    const { messages, rows: container } = this.elements;
    if (this.rows.length === 0) {
      this.unmountAll();
      container.style.paddingTop = container.style.paddingBottom = '0px';
      container.replaceChildren(el('p', 'empty', l10n.t('Ask Tandem to explain, change or run something in this workspace.')));
      return;
    }
    container.querySelector(':scope > .empty')?.remove();
    const heightOf = (row: Row) => (this.heights.get(row.key) ?? ESTIMATED_ROW_HEIGHT) + ROW_GAP;
    const total = this.rows.reduce((sum, row) => sum + heightOf(row), 0);
    const viewport = messages.clientHeight || 600;
    const top = this.stickToBottom ? Math.max(0, total - viewport) : messages.scrollTop;
    let start = 0;
    let offset = 0;
    while (start < this.rows.length - 1 && offset + heightOf(this.rows[start]!) < top - OVERSCAN) offset += heightOf(this.rows[start++]!);
    const before = offset;
    let end = start;
    while (end < this.rows.length && offset < top + viewport + OVERSCAN) offset += heightOf(this.rows[end++]!);
    const after = total - offset;

    const wanted = this.rows.slice(start, end);
    const keep = new Set(wanted.map((r) => r.key));
    for (const [key, node] of this.mounted) {
      if (!keep.has(key)) {
        node.remove();
        this.mounted.delete(key);
      }
    }
    const nodes = wanted.map((row) => {
      let node = this.mounted.get(row.key);
      if (!node) {
        node = el('div', 'row');
        node.append(el('article'));
        this.mounted.set(row.key, node);
        this.fill(node, row);
      } else if (this.store.dirtyItems.has(row.key)) {
        this.fill(node, row);
      }
      return node;
    });
    // Re-order only when the mounted sequence differs, so streaming into the last row moves nothing.
    const current = Array.from(container.children);
    if (current.length !== nodes.length || nodes.some((node, i) => current[i] !== node)) container.replaceChildren(...nodes);
    container.style.paddingTop = `${before}px`;
    container.style.paddingBottom = `${after}px`;
    for (let i = 0; i < nodes.length; i++) this.heights.set(wanted[i]!.key, nodes[i]!.offsetHeight);
    if (this.stickToBottom) messages.scrollTop = messages.scrollHeight;
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
