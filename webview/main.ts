// The chat webview: talks to the host with postMessage, speaks the app-server protocol through it, and
// rebuilds everything from the server when it loads (a reload loses nothing).
import type { HostToWebview, Thread, Turn, WebviewHostState, WebviewToHost } from '../src/protocol';
import { HostRpc } from './rpc';
import { ChatStore } from './store';
import { ChatView, buildLayout } from './view';
import { MentionPicker } from './mentions';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const rpc = new HostRpc((message) => vscode.postMessage(message));
const store = new ChatStore();
const elements = buildLayout(document.getElementById('root')!);
const view = new ChatView(store, elements);
let busy = false;
let workspaceRoots: string[] = [];
const mentions = new MentionPicker(elements.input, rpc, () => workspaceRoots);

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
    const result = await rpc.request<{ thread: Thread }>('thread/resume', { threadId });
    store.loadThread(result.thread);
  } catch (error) {
    store.reset();
    vscode.postMessage({ kind: 'setActiveThread', threadId: null });
    store.state.banner = { kind: 'warning', text: `Could not reopen the last thread: ${(error as Error).message}` };
    view.schedule();
  }
}

async function send(): Promise<void> {
  const text = elements.input.value.trim();
  if (!text || busy) return;
  busy = true;
  elements.send.disabled = true;
  try {
    if (!store.state.threadId) {
      const started = await rpc.request<{ thread: Thread }>('thread/start', {});
      store.loadThread(started.thread);
      vscode.postMessage({ kind: 'setActiveThread', threadId: started.thread.id });
    }
    elements.input.value = '';
    await rpc.request<{ turn: Turn }>('turn/start', { threadId: store.state.threadId, input: [{ type: 'text', text }] });
  } catch (error) {
    store.state.banner = { kind: 'error', text: (error as Error).message };
    view.schedule();
  } finally {
    busy = false;
    elements.send.disabled = false;
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

elements.input.addEventListener('keydown', (event) => {
  if (mentions.handleKey(event)) {
    event.preventDefault();
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

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (rpc.settle(message)) return;
  switch (message.kind) {
    case 'state':
      applyHostState(message.state);
      break;
    case 'notification':
      store.apply(message.method, message.params as Record<string, unknown>);
      break;
    case 'command':
      if (message.command === 'newThread') newThread();
      else if (message.command === 'focusComposer') elements.input.focus();
      else if (message.command === 'interrupt') void interrupt();
      break;
  }
});

function applyHostState(state: WebviewHostState): void {
  workspaceRoots = state.workspaceRoots;
  if (state.notice) store.state.banner = { kind: 'warning', text: state.notice };
  void showThread(state.activeThreadId);
}

view.render();
vscode.postMessage({ kind: 'ready' });
