// Extension entry: starts the app-server in-process and stops it (bounded) on deactivate.
import * as vscode from 'vscode';
import { resolveTandemHome } from '../core/home';
import { TANDEM_VERSION } from '../core/version';
import { createTandemServer } from '../server/tandemServer';
import { startInProcess, type InProcessClient } from '../server/transports/inProcess';
import { channelLogger } from './logger';

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
  const server = createTandemServer({ logger, home, defaultCwd: workspaceFolder ?? home });
  client = await startInProcess({
    server,
    clientInfo: { name: 'tandem_vscode', title: 'Tandem VS Code Extension', version: TANDEM_VERSION },
  });
  logger.info(`Tandem ${TANDEM_VERSION} started its in-process app-server`, { home, userAgent: client.initializeResult.userAgent });
  context.subscriptions.push(
    vscode.commands.registerCommand('tandem.showLogs', () => channel.show(true)),
  );
  return { client };
}

export async function deactivate(): Promise<void> {
  const current = client;
  client = undefined;
  await current?.shutdown();
}
