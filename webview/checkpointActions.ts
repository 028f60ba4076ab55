// The chat's side of checkpoints: reads the shown thread's checkpoints when it opens and after each turn,
// and turns the summary cards' and messages' buttons into requests to the host, which asks and restores in
// VS Code's own UI. A rewind (by this chat or any other client) reloads the thread from the server.
import * as l10n from '@vscode/l10n';
import type { Checkpoint, ServerNotification, WebviewToHost } from '../src/protocol';
import type { HostRpc } from './rpc';
import type { ChatStore } from './store';
import { closeMessageActionsOutside } from './checkpointMenu';
import { userMessageParts } from './userMessage';

export interface CheckpointHooks {
  post(message: WebviewToHost): void;
  /** Opens the thread again from the server (its history was rewound). */
  reload(threadId: string): Promise<void>;
  /** A rewound message's words, back in the composer unless the user has started another. */
  restoreDraft(text: string): void;
  showError(text: string): void;
}

type RestoreRequest = Pick<Extract<WebviewToHost, { kind: 'restoreCheckpoint' }>, 'files' | 'rewindBeforeTurnId'>;

export class CheckpointActions {
  /** Counts reads, so an older answer that arrives late does not replace a newer one. */
  private reads = 0;

  constructor(
    private readonly rpc: HostRpc,
    private readonly store: ChatStore,
    private readonly hooks: CheckpointHooks,
    conversation: HTMLElement,
  ) {
    closeMessageActionsOutside(conversation);
  }

  /** Reads the shown thread's checkpoints. A server without them leaves the chat as it was: no summaries. */
  async refresh(): Promise<void> {
    const threadId = this.store.state.threadId;
    if (!threadId) return;
    const read = ++this.reads;
    try {
      const { data } = await this.rpc.request<{ data?: Checkpoint[] }>('tandem/checkpoint/list', { threadId });
      if (read === this.reads && Array.isArray(data)) this.store.setCheckpoints(threadId, data);
    } catch {
      // Not offered by this server (or the thread is not loaded): nothing to undo from the chat.
    }
  }

  observe(message: ServerNotification): void {
    const threadId = this.store.state.threadId;
    if (!threadId || !('threadId' in message.params) || message.params.threadId !== threadId) return;
    // A turn's checkpoint is complete before the turn is.
    if (message.method === 'turn/completed') void this.refresh();
    else if (message.method === 'thread/reverted') void this.hooks.reload(threadId);
  }

  /** Handles a click on a checkpoint action; false when `action` is none of them. */
  handle(action: HTMLElement): boolean {
    const threadId = this.store.state.threadId;
    const { turnId, filesTurnId, path } = action.dataset;
    if (!threadId || !turnId) return false;
    switch (action.dataset.action) {
      case 'open-checkpoint-diff':
        if (path) this.hooks.post({ kind: 'openCheckpointDiff', threadId, turnId, path });
        return true;
      case 'undo-checkpoint':
        void this.restore(threadId, { files: { turnId, includeLater: false } });
        return true;
      case 'restore-files':
        if (filesTurnId) void this.restore(threadId, { files: { turnId: filesTurnId, includeLater: true } });
        break;
      case 'rewind':
        void this.restore(threadId, { rewindBeforeTurnId: turnId });
        break;
      case 'restore-and-rewind':
        if (filesTurnId) void this.restore(threadId, { files: { turnId: filesTurnId, includeLater: true }, rewindBeforeTurnId: turnId });
        break;
      default:
        return false;
    }
    const menu = action.closest('details');
    if (menu) menu.open = false;
    return true;
  }

  private async restore(threadId: string, request: RestoreRequest): Promise<void> {
    // Nothing is restored under a running turn: it could write the files again at once.
    if (this.store.state.activeTurnId) return;
    // Read now: a rewind reloads the thread without this message.
    const draft = request.rewindBeforeTurnId ? this.requestText(request.rewindBeforeTurnId) : null;
    try {
      const outcome = await this.rpc.call<{ restored: boolean; rewound: boolean }>((id) => ({ kind: 'restoreCheckpoint', id, threadId, ...request }));
      if (outcome.restored) void this.refresh();
      if (outcome.rewound && draft) this.hooks.restoreDraft(draft);
    } catch (error) {
      this.hooks.showError(l10n.t('Could not restore: {0}', (error as Error).message));
    }
  }

  private requestText(turnId: string): string | null {
    const message = this.store.state.turns.find((t) => t.id === turnId)?.items.find((item) => item.type === 'userMessage');
    return message?.type === 'userMessage' ? userMessageParts(message.content).text || null : null;
  }
}
