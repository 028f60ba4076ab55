// *Tandem: Use a Local Model* and the welcome's choices: the local path finds the servers, lets the user
// pick a model, and writes the provider and model through the server.
import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import type { LocalModelServer, WebviewToHost } from '../protocol';
import { detectLocalModels } from './localModels';
import { useLocalModel, type ConfigWriter } from './providerSetup';

const noLocalServer = () =>
  vscode.l10n.t('No local model server answered. Start Ollama (`ollama serve`, port 11434) or the local server in LM Studio (port 1234), load a model, then try again.');

/** Writes the choice, then `applied` (the status bar and composer re-read at once, not on the file watch). */
export async function applyLocalModel(client: ConfigWriter, server: LocalModelServer['provider'], model: string, applied: () => Promise<void>, logger: Logger): Promise<void> {
  try {
    await useLocalModel(client, server, model);
    logger.info('switched to a local model', { provider: server, model });
    await applied();
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Tandem could not switch to {0}: {1}', model, error instanceof Error ? error.message : String(error)));
  }
}

export async function pickLocalModel(client: ConfigWriter, applied: () => Promise<void>, logger: Logger): Promise<void> {
  const servers = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Tandem: looking for local models…') }, () => detectLocalModels());
  const items = servers.flatMap((server) => server.models.map((model) => ({ label: model, description: server.name, provider: server.provider })));
  if (items.length === 0) {
    const problem = servers.length > 0 ? noModelServed(servers.map((s) => s.name)) : noLocalServer();
    const again = await vscode.window.showInformationMessage(problem, vscode.l10n.t('Try Again'));
    if (again) await pickLocalModel(client, applied, logger);
    return;
  }
  const chosen = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Tandem: Use a Local Model'), placeHolder: vscode.l10n.t('New threads use this model') });
  if (chosen) await applyLocalModel(client, chosen.provider, chosen.label, applied, logger);
}

/** The servers that answered (one or both) serve no model. */
function noModelServed(names: readonly string[]): string {
  return names.length === 1
    ? vscode.l10n.t('{0} answered but serves no model. Load or pull one, then try again.', names[0]!)
    : vscode.l10n.t('{0} and {1} answered but serve no model. Load or pull one, then try again.', names.slice(0, -1).join(', '), names.at(-1)!);
}

type WelcomeMessage = Extract<WebviewToHost, { kind: 'welcome' }>;

/** A choice made on the chat's welcome. */
export async function welcomeAction(message: WelcomeMessage, context: { client: ConfigWriter; detectAgain(): Promise<void>; applied(): Promise<void>; logger: Logger }): Promise<void> {
  switch (message.action) {
    case 'signInWithChatGpt':
      await vscode.commands.executeCommand('tandem.signInWithChatGpt');
      return;
    case 'signInWithApiKey':
      await vscode.commands.executeCommand('tandem.signInWithApiKey');
      return;
    case 'detectLocalModels':
      await context.detectAgain();
      return;
    case 'useLocalModel':
      if (message.provider && message.model) await applyLocalModel(context.client, message.provider, message.model, context.applied, context.logger);
      else await pickLocalModel(context.client, context.applied, context.logger);
      return;
  }
}
