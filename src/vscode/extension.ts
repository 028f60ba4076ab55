// Extension entry: starts the app-server in-process, shows the chat view, and stops the server (bounded)
// on deactivate. Everything the agent knows lives in the server; this layer only hosts and presents.
import * as vscode from 'vscode';
import { resolveTandemHome } from '../core/home';
import { TANDEM_VERSION } from '../core/version';
import { createTandemServer } from '../server/tandemServer';
import { startInProcess, type InProcessClient } from '../server/transports/inProcess';
import { ChatViewProvider } from './chatView';
import { bundledRipgrep } from './bundledTools';
import { channelLogger } from './logger';
import { pumpServerEvents } from './serverEvents';
import { ApprovalResponder } from './approvals';
import { SecretStorageCredentialStore } from './secretStore';

let client: InProcessClient | undefined;

export interface TandemExtensionApi {
  readonly client: InProcessClient;
}

export async function activate(context: vscode.ExtensionContext): Promise<TandemExtensionApi> {
  const channel = vscode.window.createOutputChannel('Tandem', { log: true });
  context.subscriptions.push(channel);
  const logger = channelLogger(channel);
  const home = resolveTandemHome();
  const workspaceFolder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const server = createTandemServer({
    logger,
    home,
    defaultCwd: workspaceFolder ?? home,
    credentialStore: new SecretStorageCredentialStore(context.secrets),
    ripgrepPath: bundledRipgrep(vscode.env.appRoot),
  });
  const inProcess = await startInProcess({
    server,
    clientInfo: { name: 'tandem_vscode', title: 'Tandem VS Code Extension', version: TANDEM_VERSION },
  });
  client = inProcess;
  logger.info(`Tandem ${TANDEM_VERSION} started its in-process app-server`, { home, userAgent: inProcess.initializeResult.userAgent });

  const chat = new ChatViewProvider(context, inProcess, logger, () => null);
  context.subscriptions.push(
    chat,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, chat, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.commands.registerCommand('tandem.showLogs', () => channel.show(true)),
    vscode.commands.registerCommand('tandem.newThread', async () => {
      await chat.reveal();
      chat.post({ kind: 'command', command: 'newThread' });
    }),
    vscode.commands.registerCommand('tandem.focusChat', async () => {
      await chat.reveal();
      chat.post({ kind: 'command', command: 'focusComposer' });
    }),
    vscode.commands.registerCommand('tandem.interrupt', () => chat.post({ kind: 'command', command: 'interrupt' })),
    vscode.commands.registerCommand('tandem.signInWithApiKey', () => signInWithApiKey(inProcess)),
    vscode.commands.registerCommand('tandem.signOut', async () => {
      await inProcess.request('account/logout');
      void vscode.window.showInformationMessage('Tandem: signed out.');
    }),
  );
  const approvals = new ApprovalResponder();

  void pumpServerEvents(
    inProcess,
    {
      notification: (method, params) => {
        approvals.observe(method, params);
        chat.forwardNotification(method, params);
      },
      serverRequest: (method, params) => approvals.answer(method, params),
    },
    logger,
  );
  return { client: inProcess };
}

async function signInWithApiKey(inProcess: InProcessClient): Promise<void> {
  const apiKey = await vscode.window.showInputBox({
    title: 'Tandem: Sign In with API Key',
    prompt: 'Your OpenAI API key. It is kept in VS Code’s secret storage, never in a file.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'Enter an API key' : /\s/.test(value.trim()) ? 'An API key has no spaces' : undefined),
  });
  if (!apiKey) return;
  try {
    await inProcess.request('account/login/start', { type: 'apiKey', apiKey });
    void vscode.window.showInformationMessage('Tandem: signed in with an API key.');
  } catch (error) {
    void vscode.window.showErrorMessage(`Tandem: sign-in failed: ${(error as Error).message}`);
  }
}

export async function deactivate(): Promise<void> {
  const current = client;
  client = undefined;
  await current?.shutdown();
}
