// Extension entry: starts the app-server in-process, wires the chat view, native approvals, the patch
// review, the status bar and the commands, and stops the server (bounded) on deactivate. Everything the
// agent knows lives in the server; this layer only hosts and presents.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveTandemHome } from '../core/home';
import { TANDEM_VERSION } from '../core/version';
import { createTandemServer } from '../server/tandemServer';
import { startInProcess, type InProcessClient } from '../server/transports/inProcess';
import { ChatViewProvider } from './chatView';
import { REVIEW_FILE_CHANGES_BY_DEFAULT } from './chatSettings';
import { bundledRipgrep } from './bundledTools';
import { channelLogger } from './logger';
import { ServerRequestRouter, pumpServerEvents } from './serverEvents';
import { ApprovalCenter } from './approvals';
import { PatchReviewer, PROPOSED_SCHEME, ProposedContentProvider, reviewKeyOf } from './patchReview';
import { HunkReview } from './hunkReview';
import { SecretStorageCredentialStore } from './secretStore';
import { TandemStatusBar, showActions } from './statusBar';
import { signInWithApiKey, signInWithChatGpt, type LoginOutcome } from './signIn';
import { loadPty } from './ptyLoader';
import { pickReviewTarget } from './reviewCommand';
import { watchConfig } from './configWatcher';
import { Attention } from './attention';
import { LocalModelDetection } from './welcome';
import { detectLocalModels } from './localModels';
import { pickLocalModel, welcomeAction } from './localModelCommand';
import { IdeContextService } from './ideContext';
import { loadTranslations } from './localization';
import { McpElicitations } from './mcpElicitation';
import { McpStartupNotices } from './mcpStartupNotices';
import { showMcpServers } from './mcpServersCommand';
import { askVsCodeMcpInputs } from './vsCodeMcpInputs';
import { VsCodeMcpServers } from './vsCodeMcpServers';
import { CHECKPOINT_SCHEME, CheckpointContentProvider } from './checkpointDocuments';
import { CheckpointRestorer } from './checkpointRestore';
import { closeSpawnHost } from '../core/exec/spawnHost';

let client: InProcessClient | undefined;

export interface TandemExtensionApi {
  readonly client: InProcessClient;
}

const signInNeeded = () =>
  vscode.l10n.t('Sign in or choose a local model to send: use the choices above, or “Tandem: Sign In with API Key”, “Tandem: Sign In with ChatGPT” or “Tandem: Use a Local Model” from the Command Palette.');
const untrustedNotice = () => vscode.l10n.t('This folder is not trusted, so Tandem only reads: commands run read-only and it asks before each one. Trust the folder to let it make changes.');

export async function activate(context: vscode.ExtensionContext): Promise<TandemExtensionApi> {
  loadTranslations(vscode.l10n.bundle);
  const channel = vscode.window.createOutputChannel('Tandem', { log: true });
  context.subscriptions.push(channel);
  const logger = channelLogger(channel);
  const home = resolveTandemHome();
  const workspaceFolder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const restricted = () => !vscode.workspace.isTrusted;
  // Read before the server starts, so the first thread already has them (when the setting is on).
  // Bound once the in-process client exists; a change seen before then needs no reload.
  const mcpReload = { run: (): void => undefined };
  const vsCodeMcp = new VsCodeMcpServers({
    secrets: context.secrets,
    consents: context.globalState,
    logger,
    userMcpJson: vscode.Uri.joinPath(context.globalStorageUri, '..', '..', 'mcp.json'),
    changed: () => mcpReload.run(),
  });
  context.subscriptions.push(vsCodeMcp);
  await vsCodeMcp.refresh();
  const server = createTandemServer({
    extraMcpServers: () => vsCodeMcp.current(),
    logger,
    home,
    defaultCwd: workspaceFolder ?? home,
    // VS Code's flow: every patch opens in the diff editor unless config.toml says review_file_changes = false.
    reviewFileChangesByDefault: REVIEW_FILE_CHANGES_BY_DEFAULT,
    credentialStore: new SecretStorageCredentialStore(context.secrets),
    // MCP sign-in tokens stay in VS Code's secret storage too, never in a file.
    mcpSecrets: context.secrets,
    ripgrepPath: bundledRipgrep(vscode.env.appRoot),
    // The extension host restarts with the window; a turn running then carries on after the reload.
    continueUnfinishedTurns: true,
    loadPty: () => {
      const { module, from } = loadPty(vscode.env.appRoot);
      logger.info(`terminal support from ${from}`);
      return module;
    },
  });
  const inProcess = await startInProcess({
    server,
    clientInfo: { name: 'tandem_vscode', title: 'Tandem VS Code Extension', version: TANDEM_VERSION },
    // The chat follows the thread's settings through `thread/settings/updated`, an experimental notification.
    capabilities: { experimentalApi: true },
  });
  client = inProcess;
  logger.info(`Tandem ${TANDEM_VERSION} started its in-process app-server`, { home, userAgent: inProcess.initializeResult.userAgent });
  const reloadMcpServers = async () => {
    try {
      await inProcess.request('config/mcpServer/reload', {});
    } catch (error) {
      logger.warn(`reloading MCP servers after VS Code's MCP config changed: ${(error as Error).message}`);
    }
    void askVsCodeMcpInputs(vsCodeMcp, reloadMcpServers);
  };
  mcpReload.run = () => void reloadMcpServers();
  void askVsCodeMcpInputs(vsCodeMcp, reloadMcpServers);

  const proposed = new ProposedContentProvider();
  const reviewer = new PatchReviewer(proposed, workspaceFolder);
  const approvals = new ApprovalCenter(reviewer, logger, restricted);
  const hunks = new HunkReview(reviewer);
  const statusBar = new TandemStatusBar(inProcess, restricted);
  // Both call back into the chat, which asks for their state only once it exists.
  const detection = new LocalModelDetection(() => detectLocalModels(), () => chat.refreshState());
  // After a provider switch the status bar and the composer read the server again at once.
  const applied = async () => {
    await statusBar.refresh();
    chat.refreshState();
  };
  const ideContext = new IdeContextService(logger);
  const chat = new ChatViewProvider(context, inProcess, logger, {
    approvals,
    restricted,
    notice: () => (restricted() ? untrustedNotice() : null),
    composerDisabledReason: () => (statusBar.signInNeeded ? signInNeeded() : null),
    welcome: () => (statusBar.signInNeeded ? detection.current() : null),
    welcomeAction: (message) => void welcomeAction(message, { client: inProcess, detectAgain: () => detection.refresh(), applied, logger }),
    ideContext,
    checkpoints: new CheckpointRestorer(inProcess, logger),
  });
  const attention = new Attention({
    enabled: () => vscode.workspace.getConfiguration('tandem').get<boolean>('notifications.enabled', true),
    chatVisible: () => chat.visible,
    windowFocused: () => vscode.window.state.focused,
    notify: (message) =>
      void vscode.window.showInformationMessage(message, vscode.l10n.t('Show Chat')).then((choice) => {
        if (choice) void chat.reveal();
      }),
  });
  const elicitations = new McpElicitations(approvals, logger);
  const showServers = () =>
    showMcpServers({
      request: (method, params) => inProcess.request(method, params),
      activeThreadId: () => chat.activeThreadId,
      home,
      startupFailure: (name) => mcpNotices.failureOf(name),
      sourceOf: (name) => vsCodeMcp.sourceOf(name),
      restarted: () => mcpNotices.forget(),
    });
  const mcpNotices = new McpStartupNotices({ warn: (message, action) => vscode.window.showWarningMessage(message, action), showServers: () => void showServers() });
  const loginWaiters = new Map<string, (outcome: LoginOutcome) => void>();
  const decide = (decision: 'accept' | 'acceptForSession' | 'decline') => (uri?: vscode.Uri) => approvals.decide(reviewKeyOf(uri ?? vscode.window.activeTextEditor?.document.uri), decision);

  context.subscriptions.push(
    chat,
    ideContext,
    ideContext.onDidChange((current) => chat.post({ kind: 'ideContext', context: current })),
    proposed,
    approvals,
    elicitations,
    statusBar,
    // A file system rather than a content provider: the proposed side of a review is editable.
    vscode.workspace.registerFileSystemProvider(PROPOSED_SCHEME, proposed, { isCaseSensitive: true }),
    hunks,
    vscode.languages.registerCodeLensProvider({ scheme: PROPOSED_SCHEME }, hunks),
    vscode.commands.registerCommand('tandem.keepHunk', (uri?: vscode.Uri, key?: string) => hunks.keep(uri instanceof vscode.Uri ? uri : undefined, typeof key === 'string' ? key : undefined)),
    vscode.commands.registerCommand('tandem.discardHunk', (uri?: vscode.Uri, key?: string) => hunks.discard(uri instanceof vscode.Uri ? uri : undefined, typeof key === 'string' ? key : undefined)),
    vscode.workspace.registerTextDocumentContentProvider(CHECKPOINT_SCHEME, new CheckpointContentProvider(inProcess)),
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, chat, { webviewOptions: { retainContextWhenHidden: false } }),
    approvals.onDidChange((pending) => {
      chat.post({ kind: 'approvals', pending: [...pending] });
      attention.approvalsChanged(pending);
      void vscode.commands.executeCommand('setContext', 'tandem.changePending', pending.some((p) => p.kind === 'patch'));
    }),
    // Typing in the editor holds a command's dialog back too: a modal would take those keys. An edit that
    // is not the user's (a file reloaded from disk) only delays a dialog by the quiet period.
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0 && event.document === vscode.window.activeTextEditor?.document) approvals.noteUserTyping();
    }),
    statusBar.onDidChangeSignInNeeded(() => chat.refreshState()),
    // config.toml edited (by hand, or a provider switch): the status bar, composer and header follow.
    watchConfig(home, () => void applied(), logger),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      chat.refreshState();
      void statusBar.refresh();
    }),
    vscode.commands.registerCommand('tandem.showLogs', () => channel.show(true)),
    vscode.commands.registerCommand('tandem.newThread', async () => {
      await chat.reveal();
      chat.post({ kind: 'command', command: 'newThread' });
    }),
    vscode.commands.registerCommand('tandem.focusChat', async () => {
      await chat.reveal();
      chat.post({ kind: 'command', command: 'focusComposer' });
    }),
    vscode.commands.registerCommand('tandem.showHistory', async () => {
      await chat.reveal();
      chat.post({ kind: 'command', command: 'showHistory' });
    }),
    vscode.commands.registerCommand('tandem.interrupt', () => chat.post({ kind: 'command', command: 'interrupt' })),
    vscode.commands.registerCommand('tandem.reviewChanges', async () => {
      const target = await pickReviewTarget(workspaceFolder);
      if (!target) return;
      await chat.reveal();
      chat.post({ kind: 'review', target });
    }),
    vscode.commands.registerCommand('tandem.signInWithApiKey', () => signInWithApiKey(inProcess)),
    vscode.commands.registerCommand('tandem.signInWithChatGpt', () =>
      signInWithChatGpt(inProcess, (loginId) => new Promise((resolve) => loginWaiters.set(loginId, resolve))),
    ),
    vscode.commands.registerCommand('tandem.signOut', async () => {
      await inProcess.request('account/logout');
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: signed out.'));
    }),
    vscode.commands.registerCommand('tandem.openConfig', () => openConfig(home)),
    vscode.commands.registerCommand('tandem.mcpServers', showServers),
    vscode.commands.registerCommand('tandem.useLocalModel', () => pickLocalModel(inProcess, applied, logger)),
    vscode.commands.registerCommand('tandem.showActions', async () => {
      const { account } = (await inProcess.request('account/read', {})) as { account: unknown };
      await showActions(account !== null);
    }),
    vscode.commands.registerCommand('tandem.acceptChange', decide('accept')),
    vscode.commands.registerCommand('tandem.acceptChangeForSession', decide('acceptForSession')),
    vscode.commands.registerCommand('tandem.rejectChange', decide('decline')),
    vscode.commands.registerCommand('tandem.chooseChangeFiles', (uri?: vscode.Uri) => approvals.chooseFiles(reviewKeyOf(uri ?? vscode.window.activeTextEditor?.document.uri))),
  );

  const requests = new ServerRequestRouter();
  approvals.register(requests);
  elicitations.register(requests);
  void pumpServerEvents(
    inProcess,
    {
      notification: (notification) => {
        approvals.observe(notification);
        elicitations.observe(notification);
        mcpNotices.observe(notification);
        statusBar.observe(notification.method);
        attention.observe(notification);
        if (notification.method === 'account/login/completed') {
          const { loginId, success, error } = notification.params;
          const waiter = loginId ? loginWaiters.get(loginId) : undefined;
          if (loginId) loginWaiters.delete(loginId);
          waiter?.({ success, error });
        }
        chat.forwardNotification(notification);
      },
      requests,
    },
    logger,
  );
  return { client: inProcess };
}

async function openConfig(home: string): Promise<void> {
  const file = vscode.Uri.file(path.join(home, 'config.toml'));
  try {
    await vscode.workspace.fs.stat(file);
  } catch {
    // A first config, so the command always opens something editable.
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('# Tandem configuration: see the README for the keys.\n'));
  }
  await vscode.window.showTextDocument(file);
}

export async function deactivate(): Promise<void> {
  const current = client;
  client = undefined;
  await current?.shutdown();
  // The helper that starts git for checkpoints would otherwise idle until the extension host exits.
  closeSpawnHost();
}
