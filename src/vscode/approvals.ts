// The host answers the server's approval requests with native UI, never the webview: a modal dialog for a
// command, the diff editor for a patch. Pending approvals live here, so they outlast a webview reload;
// the chat is told which items wait so its cards can mirror them and reopen a review.
// A command's dialog never opens while the user types (the chat composer, the active editor; the
// ApprovalDialogQueue holds it until they stop), its Enter button decides nothing, and closing it leaves
// the command waiting.
import * as vscode from 'vscode';
import { CommandExecutionRequestApproval, FileChangeRequestApproval, type FileUpdateChange, type ParamsOf, type PendingApproval, type ResultOf, type SandboxPolicy, type ServerNotification, type ThreadItem } from '../protocol';
import type { ServerRequestRouter } from './serverEvents';
import { shellScriptOf } from '../protocol/shellCommand';
import type { Logger } from '../core/log';
import { REVIEW_ACTION, answerFor, commandPrompt, patchSummary, sandboxNote, waitingNotice, type Decision, type Prompt } from './approvalPrompts';
import { ApprovalDialogQueue, systemClock, type Clock } from './approvalQueue';
import type { PatchReviewer } from './patchReview';

/** Items kept for prompts; old ones are forgotten so a long session does not grow this without bound. */
const MAX_REMEMBERED_ITEMS = 500;

interface PendingEntry extends PendingApproval {
  requestId: number;
  changes: FileUpdateChange[];
  decide(decision: Decision): void;
  /** A command's dialog. */
  prompt?: Prompt;
  command?: string | null;
  /** A notification about it is showing (one is enough). */
  notified?: boolean;
}

export class ApprovalCenter implements vscode.Disposable {
  private readonly items = new Map<string, ThreadItem>();
  private readonly pending = new Map<string, PendingEntry>();
  /** Each thread's sandbox, from the thread/start and thread/resume answers the chat receives. */
  private readonly sandboxes = new Map<string, SandboxPolicy>();
  private readonly changed = new vscode.EventEmitter<readonly PendingApproval[]>();
  readonly onDidChange = this.changed.event;
  private readonly dialogs: ApprovalDialogQueue<string>;

  constructor(
    private readonly reviewer: PatchReviewer,
    private readonly logger: Logger,
    /** True in an untrusted folder. */
    private readonly restricted: () => boolean,
    clock: Clock = systemClock,
  ) {
    this.dialogs = new ApprovalDialogQueue((itemId) => this.showCommandDialog(itemId), clock);
  }

  /** The user pressed a key in the chat composer (the webview reports it, throttled) or typed in the active editor. */
  noteUserTyping(): void {
    this.dialogs.noteTyping();
  }

  /** Opens a pending command's dialog because the user asked (its chat card, the notification). */
  reviewCommand(itemId: string): void {
    if (this.pending.get(itemId)?.kind !== 'command') {
      void vscode.window.showInformationMessage('Tandem: that command is no longer waiting for a decision.');
      return;
    }
    this.dialogs.ask(itemId);
  }

  /** Feed every server notification here. */
  observe(notification: ServerNotification): void {
    if (notification.method === 'item/started' || notification.method === 'item/completed') {
      const { item } = notification.params;
      this.items.set(item.id, item);
      if (this.items.size > MAX_REMEMBERED_ITEMS) this.items.delete(this.items.keys().next().value!);
    } else if (notification.method === 'serverRequest/resolved') {
      // Resolved without us (the turn was interrupted): drop the review.
      const { requestId } = notification.params;
      for (const entry of this.pending.values()) if (entry.requestId === requestId) entry.decide('cancel');
    }
  }

  /** Feed every response the chat gets; thread/start and thread/resume say how the thread runs. */
  observeResponse(method: string, result: unknown): void {
    if (method !== 'thread/start' && method !== 'thread/resume') return;
    const session = result as { thread?: { id?: string }; sandbox?: SandboxPolicy };
    if (session.thread?.id && session.sandbox) this.sandboxes.set(session.thread.id, session.sandbox);
  }

  list(): PendingApproval[] {
    return [...this.pending.values()].map(({ itemId, threadId, kind }) => ({ itemId, threadId, kind }));
  }

  /** Routes the approval requests to this center. */
  register(router: ServerRequestRouter): void {
    router.on(CommandExecutionRequestApproval, (id, params) => this.answerCommand(id, params)).on(FileChangeRequestApproval, (id, params) => this.answerFileChange(id, params));
  }

  async answerCommand(requestId: number, request: ParamsOf<typeof CommandExecutionRequestApproval>): Promise<ResultOf<typeof CommandExecutionRequestApproval>> {
    const prompt = commandPrompt(request, sandboxNote(this.sandboxes.get(request.threadId), this.restricted()));
    const decision = await this.track(requestId, request.itemId, request.threadId, 'command', [], () => {
      const entry = this.pending.get(request.itemId)!;
      entry.prompt = prompt;
      entry.command = request.command ? shellScriptOf(request.command) : request.command;
      // Held back while the user types: the card and a notification (neither takes focus) say it waits.
      if (!this.dialogs.offer(request.itemId)) this.notifyWaiting(entry);
      // The dialog, the card or the notification settle it; `later` leaves it pending.
      return new Promise<Decision>(() => undefined);
    });
    const prefix = request.proposedExecpolicyAmendment;
    if (decision === 'acceptPrefix') return { decision: prefix?.length ? { acceptWithExecpolicyAmendment: { execpolicy_amendment: prefix } } : 'accept' };
    return { decision };
  }

  async answerFileChange(requestId: number, request: ParamsOf<typeof FileChangeRequestApproval>): Promise<ResultOf<typeof FileChangeRequestApproval>> {
    const item = this.items.get(request.itemId);
    const changes: FileUpdateChange[] = item?.type === 'fileChange' ? item.changes : [];
    const decision = await this.reviewPatch(requestId, request.itemId, request.threadId, changes, request.reason);
    return { decision: decision === 'acceptPrefix' ? 'accept' : decision };
  }

  /**
   * Decides the pending patch a command names (by item id), or the only one pending. Never a command: only
   * its dialog runs one, so a chat message cannot.
   */
  decide(itemId: string | undefined, decision: Decision): boolean {
    const patches = [...this.pending.values()].filter((e) => e.kind === 'patch');
    const entry = itemId ? patches.find((e) => e.itemId === itemId) : patches.length === 1 ? patches[0] : undefined;
    if (!entry) {
      void vscode.window.showWarningMessage(itemId ? 'Tandem: that change is no longer waiting for a decision.' : 'Tandem: no single change is waiting; use the buttons of the diff you want to decide.');
      return false;
    }
    entry.decide(decision);
    return true;
  }

  /** Opens the review of a pending patch again, or the diff of a change already written. */
  async show(itemId: string): Promise<void> {
    const entry = this.pending.get(itemId);
    try {
      if (entry?.kind === 'patch') {
        await this.reviewer.openPending(itemId, entry.changes);
        return;
      }
      const item = this.items.get(itemId);
      const changes = item?.type === 'fileChange' ? item.changes : [];
      if (changes.length === 0) throw new Error('Tandem no longer has the details of that change.');
      for (const [index, change] of changes.entries()) await this.reviewer.openApplied(`${itemId}-${index}`, change);
    } catch (error) {
      void vscode.window.showWarningMessage(`Tandem: cannot show the diff: ${(error as Error).message}`);
    }
  }

  dispose(): void {
    this.dialogs.dispose();
    for (const entry of this.pending.values()) entry.decide('cancel');
    this.changed.dispose();
  }

  private async showCommandDialog(itemId: string): Promise<void> {
    const entry = this.pending.get(itemId);
    if (!entry?.prompt) return;
    const { prompt } = entry;
    const chosen = await vscode.window.showWarningMessage(prompt.message, { modal: true, detail: prompt.detail }, ...prompt.choices.map((c) => c.title));
    // Settled meanwhile (serverRequest/resolved, the turn ended): this dialog's answer is stale.
    if (this.pending.get(itemId) !== entry) return;
    const answer = answerFor(prompt, chosen);
    if (answer === 'later') this.notifyWaiting(entry);
    else entry.decide(answer);
  }

  /** A notification that the command waits, whose action opens its dialog. Notifications never take focus. */
  private notifyWaiting(entry: PendingEntry): void {
    if (entry.notified) return;
    entry.notified = true;
    void vscode.window.showWarningMessage(waitingNotice(entry.command), REVIEW_ACTION).then((choice) => {
      entry.notified = false;
      if (choice !== REVIEW_ACTION) return;
      if (this.pending.get(entry.itemId) === entry) this.dialogs.ask(entry.itemId);
      else void vscode.window.showInformationMessage('Tandem: that command is no longer waiting for a decision.');
    });
  }

  private async reviewPatch(requestId: number, itemId: string, threadId: string, changes: FileUpdateChange[], reason: string | null): Promise<Decision> {
    return this.track(requestId, itemId, threadId, 'patch', changes, (settle) => {
      this.openReviewWhenIdle(itemId, changes);
      const summary = patchSummary(changes, reason);
      void vscode.window.showInformationMessage(summary, 'Accept', 'Accept for Session', 'Reject').then((choice) => {
        if (choice === 'Accept') settle('accept');
        else if (choice === 'Accept for Session') settle('acceptForSession');
        else if (choice === 'Reject') settle('decline');
        // Dismissed: the request stays pending; the diff editor and the chat card can still decide it.
      });
      // Nothing here decides on its own: the editor-title actions, the notification or the chat card call
      // `settle`, so this promise is left pending on purpose.
      return new Promise<Decision>(() => undefined);
    });
  }

  /**
   * Opens the diff editor for a new patch once the user is not typing: it takes focus, and keystrokes meant
   * for the composer would land in the editor. The notification and the chat card show it meanwhile.
   */
  private openReviewWhenIdle(itemId: string, changes: FileUpdateChange[]): void {
    this.dialogs.whenIdle(() => {
      if (this.pending.get(itemId)?.kind !== 'patch') return;
      this.reviewer.openPending(itemId, changes).catch((error: unknown) => {
        this.logger.warn('could not open the patch review', { error: (error as Error).message });
        void vscode.window.showWarningMessage(`Tandem: cannot show the proposed change (${(error as Error).message}). Decide from the notification.`);
      });
    });
  }

  /** Keeps the request pending until `ask` or a later `decide` settles it, then cleans up. */
  private track(
    requestId: number,
    itemId: string,
    threadId: string,
    kind: PendingApproval['kind'],
    changes: FileUpdateChange[],
    ask: (settle: (decision: Decision) => void) => Promise<Decision>,
  ): Promise<Decision> {
    return new Promise<Decision>((resolve) => {
      let settled = false;
      const settle = (decision: Decision) => {
        if (settled) return;
        settled = true;
        this.pending.delete(itemId);
        this.dialogs.drop(itemId);
        this.changed.fire(this.list());
        if (kind === 'patch') void this.reviewer.close(itemId);
        resolve(decision);
      };
      this.pending.set(itemId, { requestId, itemId, threadId, kind, changes, decide: settle });
      this.changed.fire(this.list());
      ask(settle).then(settle, (error: unknown) => {
        this.logger.warn('an approval prompt failed; cancelling', { error: (error as Error).message });
        settle('cancel');
      });
    });
  }
}
