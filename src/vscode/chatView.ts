// The sidebar chat: a webview view whose page speaks the app-server protocol through ChatBridge.
// Strict CSP (nonce script, styles from the extension only), resources only from dist/ and media/.
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { HostToWebview, ServerNotification, WebviewHostState, WebviewToHost, WelcomeState } from '../protocol';
import type { Logger } from '../core/log';
import { ChatBridge, type BridgeClient } from './chatBridge';
import type { ApprovalCenter } from './approvals';
import { deleteThreadAfterAsking } from './threadDeletion';
import type { IdeContextService } from './ideContext';
import { translationsBlock } from './localization';
import type { CheckpointRestorer } from './checkpointRestore';

export interface ChatViewOptions {
  approvals: ApprovalCenter;
  /** True in an untrusted workspace. */
  restricted(): boolean;
  /** Why the agent is limited, shown above the composer. */
  notice(): string | null;
  /** Why the composer cannot send, if it cannot. */
  composerDisabledReason(): string | null;
  /** The first-run welcome while there are no credentials; null otherwise. */
  welcome(): WelcomeState | null;
  welcomeAction(message: Extract<WebviewToHost, { kind: 'welcome' }>): void;
  /** The active editor and terminal for the composer's chips, and what a message attaches from them. */
  ideContext: IdeContextService;
  /** Undo from the chat: restores and rewinds, asked for in VS Code's own UI. */
  checkpoints: CheckpointRestorer;
}

const ACTIVE_THREAD_KEY = 'tandem.activeThreadId';
/** Kept in globalState: the *Full access* warning is shown once per user, not per workspace. */
const FULL_ACCESS_KEY = 'tandem.fullAccessAccepted';

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'tandem.chat';
  private view: vscode.WebviewView | undefined;
  private bridge: ChatBridge | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: BridgeClient,
    private readonly logger: Logger,
    private readonly options: ChatViewOptions,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const extensionUri = this.context.extensionUri;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    view.webview.html = this.html(view.webview);
    this.bridge = new ChatBridge(
      this.client,
      {
        post: (message) => void view.webview.postMessage(message),
        state: () => this.state(),
        setActiveThread: (threadId) => void this.context.workspaceState.update(ACTIVE_THREAD_KEY, threadId ?? undefined),
        openLink: (url) => void vscode.env.openExternal(vscode.Uri.parse(url.toString())),
        showChange: (itemId) => void this.options.approvals.show(itemId),
        decideChange: (itemId, decision) => void this.options.approvals.decide(itemId, decision),
        chooseChangeFiles: (itemId) =>
          void this.options.approvals.chooseFiles(itemId).catch((error: unknown) => this.logger.warn('choosing the files of a change failed', { error: String(error) })),
        copy: (text) => void vscode.env.clipboard.writeText(text),
        composerTyping: () => this.options.approvals.noteUserTyping(),
        reviewCommand: (itemId) => this.options.approvals.reviewCommand(itemId),
        openFile: (path, line) => void openFileAt(path, line, this.logger),
        restricted: () => this.options.restricted(),
        observeResponse: (method, result) => this.options.approvals.observeResponse(method, result),
        welcome: (message) => this.options.welcomeAction(message),
        confirmFullAccess: () => this.confirmFullAccess(),
        fullAccessAccepted: () => this.context.globalState.get<boolean>(FULL_ACCESS_KEY) === true,
        resolveContext: (attachments) => this.options.ideContext.resolve(attachments),
        restoreCheckpoint: (call) => this.options.checkpoints.run(call),
        openCheckpointDiff: (call) => void this.options.checkpoints.openDiff(call),
        deleteThread: (threadId) =>
          deleteThreadAfterAsking(this.client, threadId, {
            activeThreadId: () => this.context.workspaceState.get<string>(ACTIVE_THREAD_KEY) ?? null,
            setActiveThread: (id) => void this.context.workspaceState.update(ACTIVE_THREAD_KEY, id ?? undefined),
          }),
      },
      this.logger,
    );
    this.disposables.push(
      view.webview.onDidReceiveMessage((message: unknown) => void this.bridge?.receive(message)),
      view.onDidDispose(() => {
        this.view = undefined;
        this.bridge = undefined;
      }),
    );
  }

  /** Server notifications go to the page when it is showing; when it is not, it rebuilds on return. */
  forwardNotification(notification: ServerNotification): void {
    this.bridge?.forwardNotification(notification);
  }

  /** Sends the host state again (trust was granted, say). */
  refreshState(): void {
    this.post({ kind: 'state', state: this.state() });
  }

  /** The thread the chat shows (kept across reloads), if any. */
  get activeThreadId(): string | null {
    return this.context.workspaceState.get<string>(ACTIVE_THREAD_KEY) ?? null;
  }

  /** The chat is on screen (its view is open and not collapsed). */
  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  post(message: HostToWebview): void {
    void this.view?.webview.postMessage(message);
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private state(): WebviewHostState {
    return {
      activeThreadId: this.context.workspaceState.get<string>(ACTIVE_THREAD_KEY) ?? null,
      workspaceName: vscode.workspace.name ?? null,
      workspaceRoots: (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath),
      homeDir: os.homedir(),
      notice: this.options.notice(),
      composerDisabledReason: this.options.composerDisabledReason(),
      pendingApprovals: this.options.approvals.list(),
      welcome: this.options.welcome(),
      restricted: this.options.restricted(),
      ideContext: this.options.ideContext.current(),
    };
  }

  /** The one-time warning before the first *Full access* turn; the answer is remembered only when yes. */
  private async confirmFullAccess(): Promise<boolean> {
    if (this.context.globalState.get<boolean>(FULL_ACCESS_KEY) === true) return true;
    const allow = vscode.l10n.t('Allow Full Access');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Full access lets Tandem edit any file and run any command on this machine without asking, outside the sandbox. Use it only where you would let the model do anything.'),
      { modal: true },
      allow,
    );
    if (answer !== allow) return false;
    await this.context.globalState.update(FULL_ACCESS_KEY, true);
    return true;
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', 'chat.css'));
    const welcomeStyle = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', 'welcome.css'));
    const codicons = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'codicons', 'codicon.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} data:`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="${vscode.env.language.replace(/[^A-Za-z0-9-]/g, '')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${codicons.toString()}">
<link rel="stylesheet" href="${style.toString()}">
<link rel="stylesheet" href="${welcomeStyle.toString()}">
<title>Tandem</title>
</head>
<body>
<div id="root"></div>
${translationsBlock(vscode.l10n.bundle)}
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}

/** Opens a file the chat names (a review finding) at its line; a path that is not a file is only logged. */
async function openFileAt(filePath: string, line: number | undefined, logger: Logger): Promise<void> {
  try {
    const position = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
    await vscode.window.showTextDocument(vscode.Uri.file(filePath), { selection: new vscode.Range(position, position), preview: true });
  } catch (error) {
    logger.warn('could not open a file the chat names', { path: filePath.slice(0, 500), error: String(error) });
  }
}
