// The host answers the server's approval requests with native UI, never the webview: a modal dialog for a
// command, the diff editor for a patch (with a picker to accept some of its files only). Pending approvals
// live here, so they outlast a webview reload; the chat is told which items wait so its cards can mirror
// them and reopen a review. A patch's notification is a progress one, so it closes once decided.
// A command's dialog never opens while the user types (the chat composer, the active editor; the
// ApprovalDialogQueue holds it until they stop), its Enter button decides nothing, and closing it leaves
// the command waiting. An MCP tool call that needs approval goes through the same queue and dialog.
import * as vscode from 'vscode';
import { CommandExecutionRequestApproval, FileChangeRequestApproval, type FileUpdateChange, type ParamsOf, type PendingApproval, type ResultOf, type SandboxPolicy, type ServerNotification, type ThreadItem } from '../protocol';
import type { ServerRequestRouter } from './serverEvents';
import { shellScriptOf } from '../protocol/shellCommand';
import type { Logger } from '../core/log';
import { answerFor, choiceAnswer, commandPrompt, fileChoices, patchSummary, reviewActionTitle, sandboxNote, waitingNotice, type Decision, type Prompt, type FileChoice } from './approvalPrompts';
import { ApprovalDialogQueue, systemClock, type Clock } from './approvalQueue';
import type { PatchReviewer } from './patchReview';
import { mcpToolAnswer, mcpToolPrompt, mcpWaitingNotice, toolCallItemFor, type McpElicitationParams, type RunningToolCall } from './mcpApproval';

/** Items kept for prompts; old ones are forgotten so a long session does not grow this without bound. */
const MAX_REMEMBERED_ITEMS = 500;

/**
 * How a request was settled; `files`: a patch accepted in part, by the paths of the item's changes;
 * `edits`: what the user made of proposed files in the review (hunks discarded, lines edited), by path.
 */
interface Settlement {
  decision: Decision;
  files?: string[];
  edits?: Map<string, string>;
}

interface PendingEntry extends PendingApproval {
  requestId: number;
  turnId: string;
  changes: FileUpdateChange[];
  decide(decision: Decision, files?: string[]): void;
  /** Settles once it is decided, here or elsewhere (another button, the turn ending). */
  settled: Promise<void>;
  /** A command's or an MCP tool call's dialog. */
  prompt?: Prompt;
  command?: string | null;
  /** What the notification says while it waits (a command's says its script). */
  notice?: string;
  /** A notification about it is showing (one is enough). */
  notified?: boolean;
}

export class ApprovalCenter implements vscode.Disposable {
  private readonly items = new Map<string, ThreadItem>();
  /** MCP tool calls started and not yet completed: an approval request names none, so it is matched to one. */
  private readonly runningToolCalls = new Map<string, RunningToolCall>();
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

  /** Runs `callback` once the user is not typing (an MCP server's question takes the keyboard too). */
  whenIdle(callback: () => void): void {
    this.dialogs.whenIdle(callback);
  }

  /** Opens a pending command's (or MCP tool call's) dialog because the user asked (its chat card, the notification). */
  reviewCommand(itemId: string): void {
    if (!this.pending.get(itemId)?.prompt) {
      this.sayNoLongerWaiting(itemId);
      return;
    }
    this.dialogs.ask(itemId);
  }

  /** Feed every server notification here. */
  observe(notification: ServerNotification): void {
    if (notification.method === 'item/started' || notification.method === 'item/completed') {
      const { item, threadId } = notification.params;
      this.items.set(item.id, item);
      if (this.items.size > MAX_REMEMBERED_ITEMS) this.items.delete(this.items.keys().next().value!);
      if (item.type === 'mcpToolCall' && item.status === 'inProgress') this.runningToolCalls.set(item.id, { threadId, item });
      else this.runningToolCalls.delete(item.id);
      if (this.runningToolCalls.size > MAX_REMEMBERED_ITEMS) this.runningToolCalls.delete(this.runningToolCalls.keys().next().value!);
    } else if (notification.method === 'serverRequest/resolved') {
      // Resolved without us (the turn was interrupted): drop the review.
      const { requestId } = notification.params;
      for (const entry of this.pending.values()) if (entry.requestId === requestId) entry.decide('cancel');
    } else if (notification.method === 'turn/completed') {
      // Nothing of an ended turn can still wait: its reviews and notifications go.
      const { threadId, turn } = notification.params;
      for (const entry of [...this.pending.values()]) if (entry.threadId === threadId && entry.turnId === turn.id) entry.decide('cancel');
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
    const { decision } = await this.track(requestId, request, 'command', [], () => {
      const entry = this.pending.get(request.itemId)!;
      entry.prompt = prompt;
      entry.command = request.command ? shellScriptOf(request.command) : request.command;
      // Held back while the user types: the card and a notification (neither takes focus) say it waits.
      if (!this.dialogs.offer(request.itemId)) this.notifyWaiting(entry);
      // The dialog, the card or the notification settle it; `later` leaves it pending.
      return new Promise<Settlement>(() => undefined);
    });
    const prefix = request.proposedExecpolicyAmendment;
    if (decision === 'acceptPrefix') return { decision: prefix?.length ? { acceptWithExecpolicyAmendment: { execpolicy_amendment: prefix } } : 'accept' };
    return { decision };
  }

  /**
   * An MCP tool call that needs approval: the dialog shows the tool and its arguments; its card in the chat
   * (when the call's item was seen) waits with it. Closing the dialog cancels the call.
   */
  async answerMcpTool(requestId: number, request: McpElicitationParams): Promise<ReturnType<typeof mcpToolAnswer>> {
    const item = toolCallItemFor(this.runningToolCalls.values(), request, new Set(this.pending.keys()));
    const scope = { itemId: item?.id ?? `mcp-approval:${requestId}`, threadId: request.threadId, turnId: request.turnId ?? '' };
    const { decision } = await this.track(requestId, scope, 'mcpTool', [], () => {
      const entry = this.pending.get(scope.itemId)!;
      entry.prompt = mcpToolPrompt(request);
      entry.notice = mcpWaitingNotice(request);
      if (!this.dialogs.offer(scope.itemId)) this.notifyWaiting(entry);
      return new Promise<Settlement>(() => undefined);
    });
    return mcpToolAnswer(decision);
  }

  async answerFileChange(requestId: number, request: ParamsOf<typeof FileChangeRequestApproval>): Promise<ResultOf<typeof FileChangeRequestApproval>> {
    const item = this.items.get(request.itemId);
    const changes: FileUpdateChange[] = item?.type === 'fileChange' ? item.changes : [];
    const { decision, files, edits } = await this.reviewPatch(requestId, request, changes);
    const answer = decision === 'acceptPrefix' ? 'accept' : decision;
    const edited = edits && edits.size > 0 ? edits : undefined;
    // Only the files the user checked, with what they made of them: Tandem's own field, which a codex server ignores.
    if ((files || edited) && (answer === 'accept' || answer === 'acceptForSession')) {
      const accepted = files ?? changes.map((change) => change.path);
      return { decision: answer, tandemAcceptedFiles: accepted.map((file) => (edited?.has(file) ? { path: file, content: edited.get(file)! } : { path: file })) };
    }
    return { decision: answer };
  }

  /**
   * Decides the pending patch a command names (by item id), or the only one pending. Never a command: only
   * its dialog runs one, so a chat message cannot.
   */
  decide(itemId: string | undefined, decision: Decision): boolean {
    const entry = this.pendingPatch(itemId);
    entry?.decide(decision);
    return entry !== undefined;
  }

  /**
   * Asks which files of a pending patch to accept (a native picker, every file checked): the checked ones are
   * written, the others rejected; nothing checked rejects the change; dismissing it decides nothing.
   */
  async chooseFiles(itemId: string | undefined): Promise<void> {
    const entry = this.pendingPatch(itemId);
    if (!entry) return;
    // Decided meanwhile (the other buttons, the turn ended): the picker closes rather than wait for a stale answer.
    const closeWhenSettled = new vscode.CancellationTokenSource();
    void entry.settled.then(() => closeWhenSettled.cancel());
    let checked: FileChoice[] | undefined;
    try {
      checked = await vscode.window.showQuickPick(
        fileChoices(entry.changes, (file) => this.reviewer.label(file)),
        {
          canPickMany: true,
          title: vscode.l10n.t('Tandem: choose the files to accept'),
          placeHolder: vscode.l10n.t('Checked files are written; unchecked files are rejected and left as they are'),
        },
        closeWhenSettled.token,
      );
    } finally {
      closeWhenSettled.dispose();
    }
    if (this.pending.get(entry.itemId) !== entry) return;
    const answer = choiceAnswer(entry.changes, checked);
    if (answer) entry.decide(answer.decision, answer.files);
  }

  /** The pending patch an action names (by item id), or the only one pending; says so when there is none. */
  private pendingPatch(itemId: string | undefined): PendingEntry | undefined {
    const patches = [...this.pending.values()].filter((e) => e.kind === 'patch');
    const entry = itemId ? patches.find((e) => e.itemId === itemId) : patches.length === 1 ? patches[0] : undefined;
    if (!entry) {
      void vscode.window.showWarningMessage(
        itemId
          ? vscode.l10n.t('Tandem: that change is no longer waiting for a decision.')
          : vscode.l10n.t('Tandem: no single change is waiting; use the buttons of the diff you want to decide.'),
      );
    }
    return entry;
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
      if (changes.length === 0) throw new Error(vscode.l10n.t('Tandem no longer has the details of that change.'));
      await this.reviewer.openApplied(`${itemId}:applied`, changes);
    } catch (error) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: cannot show the diff: {0}', (error as Error).message));
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

  private sayNoLongerWaiting(itemId: string): void {
    const message =
      this.items.get(itemId)?.type === 'mcpToolCall' || itemId.startsWith('mcp-approval:')
        ? vscode.l10n.t('Tandem: that tool call is no longer waiting for a decision.')
        : vscode.l10n.t('Tandem: that command is no longer waiting for a decision.');
    void vscode.window.showInformationMessage(message);
  }

  /** A notification that the command waits, whose action opens its dialog. Notifications never take focus. */
  private notifyWaiting(entry: PendingEntry): void {
    if (entry.notified) return;
    entry.notified = true;
    const review = reviewActionTitle();
    void vscode.window.showWarningMessage(entry.notice ?? waitingNotice(entry.command), review).then((choice) => {
      entry.notified = false;
      if (choice !== review) return;
      if (this.pending.get(entry.itemId) === entry) this.dialogs.ask(entry.itemId);
      else this.sayNoLongerWaiting(entry.itemId);
    });
  }

  private async reviewPatch(requestId: number, request: ParamsOf<typeof FileChangeRequestApproval>, changes: FileUpdateChange[]): Promise<Settlement> {
    return this.track(requestId, request, 'patch', changes, (_settle, settled) => {
      this.openReviewWhenIdle(request.itemId, changes);
      // A notification with buttons cannot be closed from code; a progress one closes when the request is
      // settled (decided anywhere, or its turn ended). The diff editor's title bar and the chat card decide.
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: patchSummary(changes, request.reason), cancellable: false }, () => settled);
      // Nothing here decides on its own: the editor-title actions, the picker or the chat card call `settle`,
      // so this promise is left pending on purpose.
      return new Promise<Settlement>(() => undefined);
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
        void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: cannot show the proposed change ({0}). Decide from its card in the chat.', (error as Error).message));
      });
    });
  }

  /**
   * Keeps the request pending until `ask` or a later `decide` settles it, then cleans up. `ask` also gets a
   * promise that resolves once it is settled, however that happened.
   */
  private track(
    requestId: number,
    request: { itemId: string; threadId: string; turnId: string },
    kind: PendingApproval['kind'],
    changes: FileUpdateChange[],
    ask: (settle: (decision: Decision) => void, settled: Promise<void>) => Promise<Settlement>,
  ): Promise<Settlement> {
    const { itemId, threadId, turnId } = request;
    return new Promise<Settlement>((resolve) => {
      let done = false;
      let markSettled!: () => void;
      const settled = new Promise<void>((resolveSettled) => (markSettled = resolveSettled));
      const settle = (decision: Decision, files?: string[]) => {
        if (done) return;
        done = true;
        this.pending.delete(itemId);
        this.dialogs.drop(itemId);
        this.changed.fire(this.list());
        // What the user did in the review is read before it closes: an accepted patch writes it.
        const accepted = decision === 'accept' || decision === 'acceptForSession' || decision === 'acceptPrefix';
        const edits = kind === 'patch' && accepted ? this.reviewer.editedContents(itemId) : undefined;
        if (kind === 'patch') void this.reviewer.close(itemId);
        markSettled();
        resolve({ decision, ...(files ? { files } : {}), ...(edits && edits.size > 0 ? { edits } : {}) });
      };
      this.pending.set(itemId, { requestId, itemId, threadId, turnId, kind, changes, decide: settle, settled });
      this.changed.fire(this.list());
      ask(settle, settled).then(
        (settlement) => settle(settlement.decision, settlement.files),
        (error: unknown) => {
          this.logger.warn('an approval prompt failed; cancelling', { error: (error as Error).message });
          settle('cancel');
        },
      );
    });
  }
}
