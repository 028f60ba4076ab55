// The chat webview: talks to the host with postMessage, speaks the app-server protocol through it, and
// rebuilds everything from the server when it loads (a reload loses nothing).
import type { HostToWebview, ReviewTarget, ThreadSessionResponse, Turn, WebviewHostState, WebviewToHost } from '../src/protocol';
import { HostRpc } from './rpc';
import { ChatStore, turnRequest, type ThreadSettings } from './store';
import { ChatView, buildLayout } from './view';
import { MentionPicker } from './mentions';
import { HistoryPanel } from './history';
import { TypingReporter } from './typing';
import { SettingsPickers } from './pickers';
import { WelcomePanel } from './welcome';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
/** What the webview keeps across a view switch or a reload: only the unsent draft (the server has the rest). */
interface SavedState {
  draft?: string;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const rpc = new HostRpc((message) => vscode.postMessage(message));
const store = new ChatStore();
const elements = buildLayout(document.getElementById('root')!);
const view = new ChatView(store, elements);
const welcome = new WelcomePanel((message) => vscode.postMessage(message));
elements.messages.before(welcome.element);
const pickers = new SettingsPickers(elements.pickers, rpc, store);
let busy = false;
elements.input.value = (vscode.getState() as SavedState | undefined)?.draft ?? '';
function saveDraft(): void {
  vscode.setState({ ...(vscode.getState() as SavedState | undefined), draft: elements.input.value } satisfies SavedState);
}
let workspaceRoots: string[] = [];
const mentions = new MentionPicker(elements.input, rpc, () => workspaceRoots);
const history = new HistoryPanel(elements.historyPanel, elements.history, rpc, (threadId) => {
  vscode.postMessage({ kind: 'setActiveThread', threadId });
  void showThread(threadId);
});

function settingsOf(response: ThreadSessionResponse): ThreadSettings {
  return {
    model: response.model,
    effort: response.reasoningEffort ?? null,
    approvalPolicy: response.approvalPolicy,
    sandbox: response.sandbox.type,
    reviewFileChanges: response.reviewFileChanges ?? false,
  };
}

/** Stops listening to the thread being left, unless it is still working (its approvals must reach the host). */
function leaveThread(next: string | null): void {
  const { threadId, activeTurnId } = store.state;
  if (threadId && threadId !== next && !activeTurnId) void rpc.request('thread/unsubscribe', { threadId }).catch(() => undefined);
}

async function showThread(threadId: string | null): Promise<void> {
  leaveThread(threadId);
  if (!threadId) {
    store.reset();
    return;
  }
  try {
    store.expectThread(threadId);
    const result = await rpc.request<ThreadSessionResponse>('thread/resume', { threadId });
    store.loadThread(result.thread, result.model ? settingsOf(result) : null);
  } catch (error) {
    store.reset();
    vscode.postMessage({ kind: 'setActiveThread', threadId: null });
    store.state.banner = { kind: 'warning', text: `Could not reopen the last thread: ${(error as Error).message}` };
    view.schedule();
  }
}

/** Sends the composer's text, or `retry`: a failed turn's request, sent again without touching the draft. */
async function send(retry?: string): Promise<void> {
  const text = retry ?? elements.input.value.trim();
  if (!text || busy || view.disabledReason) return;
  busy = true;
  elements.send.disabled = true;
  // Cleared at once, not after the thread starts: what the user types meanwhile is the next message.
  if (retry === undefined) {
    elements.input.value = '';
    saveDraft();
  }
  let steeredId: string | undefined;
  try {
    await ensureThread();
    const { activeTurnId, threadId } = store.state;
    if (activeTurnId) {
      // Shown at once; the server's item takes its place when the steer reaches the model.
      steeredId = `steer-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      store.showSteered(activeTurnId, steeredId, text);
      await rpc.request<{ turnId: string }>('turn/steer', { threadId, input: [{ type: 'text', text }], expectedTurnId: activeTurnId, clientUserMessageId: steeredId });
    } else {
      // The pickers' choice applies from this turn on; the thread's settings then say it.
      await rpc.request<{ turn: Turn }>('turn/start', { threadId, input: [{ type: 'text', text }], ...pickers.overrides() });
      pickers.sent();
    }
  } catch (error) {
    if (steeredId) store.dropSteered(steeredId);
    // Not sent: give the text back, unless the user has started another message.
    if (!elements.input.value && retry === undefined) {
      elements.input.value = text;
      saveDraft();
    }
    store.state.banner = { kind: 'error', text: (error as Error).message };
    view.schedule();
  } finally {
    busy = false;
    elements.send.disabled = false;
  }
}

/** The shown thread, started first when the chat shows none. */
async function ensureThread(): Promise<void> {
  if (store.state.threadId) return;
  const started = await rpc.request<ThreadSessionResponse>('thread/start', {});
  store.loadThread(started.thread, started.model ? settingsOf(started) : null);
  vscode.postMessage({ kind: 'setActiveThread', threadId: started.thread.id });
}

/** *Review Changes*: a review turn in the shown thread; refused (and said so) while a turn runs. */
async function review(target: ReviewTarget): Promise<void> {
  try {
    await ensureThread();
    await rpc.request<{ turn: Turn }>('review/start', { threadId: store.state.threadId, target });
  } catch (error) {
    store.state.banner = { kind: 'error', text: (error as Error).message };
    view.schedule();
  }
}

async function interrupt(): Promise<void> {
  const { threadId, activeTurnId } = store.state;
  if (!threadId || !activeTurnId) return;
  await rpc.request('turn/interrupt', { threadId, turnId: activeTurnId }).catch(() => undefined);
}

function newThread(): void {
  leaveThread(null);
  store.reset();
  vscode.postMessage({ kind: 'setActiveThread', threadId: null });
  elements.input.focus();
}

// Every key counts, Enter included: the host holds approval dialogs back while the user types here.
const typing = new TypingReporter(() => vscode.postMessage({ kind: 'composerTyping' }));
elements.input.addEventListener('input', () => {
  typing.keystroke();
  saveDraft();
});
elements.input.addEventListener('keydown', (event) => {
  typing.keystroke();
  if (mentions.handleKey(event)) {
    event.preventDefault();
    return;
  }
  // Esc stops the running turn, as Stop does (an open mention list took it above).
  if (event.key === 'Escape' && store.state.activeTurnId) {
    event.preventDefault();
    void interrupt();
    return;
  }
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    void send();
  }
});
elements.input.closest('form')!.addEventListener('submit', (event) => {
  event.preventDefault();
  void send();
});
elements.stop.addEventListener('click', () => void interrupt());

// One listener for every action inside the conversation: rows come and go with the virtualised list.
elements.messages.addEventListener('click', (event) => {
  const target = event.target as HTMLElement;
  const link = target.closest('a');
  if (link) {
    event.preventDefault();
    const href = link.getAttribute('href');
    if (href) vscode.postMessage({ kind: 'openLink', url: href });
    return;
  }
  const action = target.closest<HTMLElement>('[data-action]');
  if (!action) return;
  const itemId = action.dataset.itemId ?? '';
  switch (action.dataset.action) {
    case 'copy-code': {
      const code = action.parentElement?.querySelector('pre')?.textContent ?? '';
      vscode.postMessage({ kind: 'copy', text: code });
      const label = action.querySelector('.label');
      if (label) {
        label.textContent = 'Copied';
        setTimeout(() => (label.textContent = 'Copy'), 1500);
      }
      break;
    }
    case 'retry-turn': {
      const turn = store.state.turns.find((t) => t.id === action.dataset.turnId);
      const request = turn && turnRequest(turn);
      if (request) void send(request);
      break;
    }
    case 'show-change':
      vscode.postMessage({ kind: 'showChange', itemId });
      break;
    case 'review-command':
      vscode.postMessage({ kind: 'reviewCommand', itemId });
      break;
    case 'open-file': {
      const line = Number(action.dataset.line);
      vscode.postMessage({ kind: 'openFile', path: action.dataset.path ?? '', ...(Number.isInteger(line) && line > 0 ? { line } : {}) });
      break;
    }
    case 'decide-change': {
      const decision = action.dataset.decision;
      if (decision === 'accept' || decision === 'acceptForSession' || decision === 'decline') vscode.postMessage({ kind: 'decideChange', itemId, decision });
      break;
    }
  }
});

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (rpc.settle(message)) return;
  switch (message.kind) {
    case 'state':
      applyHostState(message.state);
      break;
    case 'approvals':
      store.setPendingApprovals(message.pending);
      break;
    case 'notification':
      store.apply(message);
      break;
    case 'command':
      if (message.command === 'newThread') newThread();
      else if (message.command === 'focusComposer') elements.input.focus();
      else if (message.command === 'interrupt') void interrupt();
      else if (message.command === 'showHistory') history.open();
      break;
    case 'review':
      void review(message.target);
      break;
  }
});

let shownOnce = false;
function applyHostState(state: WebviewHostState): void {
  workspaceRoots = state.workspaceRoots;
  view.workspaceRoots = state.workspaceRoots;
  view.notice = state.notice;
  view.disabledReason = state.composerDisabledReason;
  welcome.update(state.welcome);
  store.setPendingApprovals(state.pendingApprovals);
  // The host sends its state again when trust or sign-in changes; only the first one (or a new thread) reloads.
  if (!shownOnce || state.activeThreadId !== store.state.threadId) void showThread(state.activeThreadId);
  pickers.restricted = state.restricted === true;
  // Sign-in or a new provider can change the models on offer: read them again with each host state.
  void pickers.load();
  shownOnce = true;
  view.schedule();
}

view.render();
vscode.postMessage({ kind: 'ready' });
