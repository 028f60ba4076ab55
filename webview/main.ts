// The chat webview: talks to the host with postMessage, speaks the app-server protocol through it, and
// rebuilds everything from the server when it loads (a reload loses nothing).
// First: the translations are loaded before any other module runs.
import './translations';
import * as l10n from '@vscode/l10n';
import type { HostToWebview, ReviewTarget, Thread, ThreadSessionResponse, Turn, UserInput, WebviewHostState, WebviewToHost } from '../src/protocol';
import { HostRpc } from './rpc';
import { ChatStore, type ThreadSettings } from './store';
import { ChatView, buildLayout } from './view';
import { MentionPicker } from './mentions';
import { HistoryPanel } from './history';
import { ArchivedThreadBar } from './archivedThread';
import { TypingReporter } from './typing';
import { SettingsPickers } from './pickers';
import { WelcomePanel } from './welcome';
import { AttachmentTray, composeInput, type SavedAttachments, type TakenAttachments } from './attachments';
import { acceptImages } from './imageInput';
import { contextChoices, typedContext, urlBeforeCaret } from './contextMentions';
import { requestInput, userMessageParts } from './userMessage';
import { CheckpointActions } from './checkpointActions';
import { loadHighlighterWhenIdle } from './deferredCode';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
/** What the webview keeps across a view switch or a reload: the unsent draft and its chips (the server has the rest). */
interface SavedState {
  draft?: string;
  attachments?: SavedAttachments;
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
const tray = new AttachmentTray(elements.attachments, () =>
  vscode.setState({ ...(vscode.getState() as SavedState | undefined), attachments: tray.toSaved() } satisfies SavedState),
);
/** Why a chip was not added (too many images, say): said in the banner, never dropped silently. */
function reportAttachment(problem: string | null): void {
  if (!problem) return;
  store.state.banner = { kind: 'warning', text: problem };
  view.schedule();
}
const lostImages = tray.restore((vscode.getState() as SavedState | undefined)?.attachments);
if (lostImages > 0) {
  reportAttachment(
    lostImages === 1
      ? l10n.t('A pasted image was too large to keep while the chat was hidden: paste it again.')
      : l10n.t('{0} pasted images were too large to keep while the chat was hidden: paste them again.', lostImages),
  );
}
acceptImages(elements.input.closest('form')!, elements.input, tray, reportAttachment);
const mentions = new MentionPicker(elements.input, rpc, () => workspaceRoots, {
  choices: (query) => contextChoices(query, tray.ideContext),
  choose: (choice) => {
    if (choice.attachment) reportAttachment(tray.add(choice.attachment));
  },
});
/** `@url https://…` just typed (ended by a space, or at the caret for Enter) becomes a chip. */
function takeTypedUrl(ended: boolean): boolean {
  const caret = elements.input.selectionStart ?? elements.input.value.length;
  const found = urlBeforeCaret(elements.input.value, caret, ended);
  if (!found) return false;
  const problem = tray.add({ kind: 'url', url: found.url });
  if (problem) {
    reportAttachment(problem);
    return false;
  }
  elements.input.setRangeText('', found.start, found.end, 'end');
  saveDraft();
  return true;
}
const archived = new ArchivedThreadBar(rpc, store, resumeThread, () => {
  syncComposer();
  view.schedule();
});
elements.banner.before(archived.element);
const history = new HistoryPanel(elements.historyPanel, elements.history, rpc, {
  resume: resumeThread,
  openArchived: (threadId) => void showArchivedThread(threadId),
  // The server has let go of the shown thread: the chat keeps it on screen, read only, like any archived one.
  archived: (threadId) => {
    if (store.state.threadId === threadId) void showArchivedThread(threadId);
  },
  unarchived: (threadId) => {
    if (archived.forget(threadId)) resumeThread(threadId);
  },
  deleted: (threadId) => {
    if (store.state.threadId !== threadId) return;
    // The server has let go of it already: the chat starts afresh, and the focus stays in the history.
    store.reset();
    vscode.postMessage({ kind: 'setActiveThread', threadId: null });
  },
});
const checkpoints = new CheckpointActions(rpc, store, {
  post: (message) => vscode.postMessage(message),
  reload: showThread,
  restoreDraft: (text) => {
    if (elements.input.value) return;
    elements.input.value = text;
    saveDraft();
  },
  showError: (text) => {
    store.state.banner = { kind: 'error', text };
    view.schedule();
  },
}, elements.messages);
/** The host's reason the composer cannot send, if any; an archived thread shown read only is another. */
let hostDisabledReason: string | null = null;
function syncComposer(): void {
  view.disabledReason = hostDisabledReason ?? archived.composerBlock;
}
store.onChange(syncComposer);

function resumeThread(threadId: string): void {
  vscode.postMessage({ kind: 'setActiveThread', threadId });
  void showThread(threadId);
}

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
  if (threadId) await openThread(threadId);
  else store.reset();
  // The chat is on screen: highlight.js can come now, for code that arrives later.
  loadHighlighterWhenIdle();
}

async function openThread(threadId: string): Promise<void> {
  try {
    store.expectThread(threadId);
    const result = await rpc.request<ThreadSessionResponse>('thread/resume', { threadId });
    store.loadThread(result.thread, result.model ? settingsOf(result) : null);
    view.renderOpened();
    void checkpoints.refresh();
  } catch (error) {
    store.reset();
    vscode.postMessage({ kind: 'setActiveThread', threadId: null });
    store.state.banner = { kind: 'warning', text: l10n.t('Could not reopen the last thread: {0}', (error as Error).message) };
    view.schedule();
  }
}

/** An archived thread, read only. A reload does not come back to it: the host's active thread is cleared. */
async function showArchivedThread(threadId: string): Promise<void> {
  try {
    const { thread } = await rpc.request<{ thread: Thread }>('thread/read', { threadId, includeTurns: true });
    leaveThread(threadId);
    archived.show(thread);
    vscode.postMessage({ kind: 'setActiveThread', threadId: null });
  } catch (error) {
    store.state.banner = { kind: 'error', text: l10n.t('Could not open the archived thread: {0}', (error as Error).message) };
    view.schedule();
  }
}

/**
 * Sends the composer's text and chips, or `retry`: a failed turn's input, sent again as it was without
 * touching the draft.
 */
async function send(retry?: UserInput[]): Promise<void> {
  const text = retry ? '' : elements.input.value.trim();
  if ((!retry && !text && !tray.hasItems) || busy || view.disabledReason) return;
  let typed: ReturnType<typeof typedContext>;
  try {
    typed = retry ? [] : typedContext(text);
  } catch (error) {
    // Context the text names but cannot attach (`@url` without an address): said, and the draft kept.
    store.state.banner = { kind: 'error', text: (error as Error).message };
    view.schedule();
    return;
  }
  busy = true;
  elements.send.disabled = true;
  // Cleared at once, not after the thread starts: what the user types meanwhile is the next message. The
  // chips go with this message (and context the text names, like @problems); they come back if it fails.
  const taken = retry ? undefined : tray.take(typed);
  if (retry === undefined) {
    elements.input.value = '';
    saveDraft();
  }
  let steeredId: string | undefined;
  try {
    const input = retry ?? (await gatherInput(text, taken!));
    await ensureThread();
    const { activeTurnId, threadId } = store.state;
    if (activeTurnId) {
      // Shown at once; the server's item takes its place when the steer reaches the model.
      steeredId = `steer-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      store.showSteered(activeTurnId, steeredId, userMessageParts(input).text);
      await rpc.request<{ turnId: string }>('turn/steer', { threadId, input, expectedTurnId: activeTurnId, clientUserMessageId: steeredId });
    } else {
      // The pickers' choice applies from this turn on; the thread's settings then say it.
      await rpc.request<{ turn: Turn }>('turn/start', { threadId, input, ...pickers.overrides() });
      pickers.sent();
    }
  } catch (error) {
    if (steeredId) store.dropSteered(steeredId);
    // Not sent: give the text and chips back, unless the user has started another message.
    taken?.restore();
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

/** The message's input: the host gathers the chips' context first (a web page is fetched only once approved). */
async function gatherInput(text: string, taken: TakenAttachments): Promise<UserInput[]> {
  if (taken.context.length === 0) return composeInput(text, taken, rpc);
  view.composerNote = l10n.t('Gathering the context…');
  view.schedule();
  try {
    return await composeInput(text, taken, rpc);
  } finally {
    view.composerNote = null;
    view.schedule();
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
  if (!takeTypedUrl(true)) saveDraft();
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
    // Enter right after `@url https://…` makes the chip; the next Enter sends.
    if (takeTypedUrl(false)) return;
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
  if (!action || checkpoints.handle(action)) return;
  const itemId = action.dataset.itemId ?? '';
  switch (action.dataset.action) {
    case 'copy-code': {
      const code = action.parentElement?.querySelector('pre')?.textContent ?? '';
      vscode.postMessage({ kind: 'copy', text: code });
      const label = action.querySelector('.label');
      if (label) {
        label.textContent = l10n.t('Copied');
        setTimeout(() => (label.textContent = l10n.t('Copy')), 1500);
      }
      break;
    }
    case 'retry-turn': {
      const turn = store.state.turns.find((t) => t.id === action.dataset.turnId);
      const request = turn && requestInput(turn);
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
    case 'choose-change-files':
      vscode.postMessage({ kind: 'chooseChangeFiles', itemId });
      break;
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
    case 'ideContext':
      tray.setIdeContext(message.context);
      break;
    case 'notification':
      store.apply(message);
      checkpoints.observe(message);
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
  if (state.ideContext) tray.setIdeContext(state.ideContext);
  hostDisabledReason = state.composerDisabledReason;
  syncComposer();
  history.setScope({ roots: state.workspaceRoots, home: state.homeDir ?? null });
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

// The first frame draws the empty chat; nothing here waits for layout, so the host hears "ready" at once.
vscode.postMessage({ kind: 'ready' });
view.schedule();
