// *Tandem: Use a Local Model* and the welcome's choices: the local path finds the servers, lets the user
// pick a model, and writes the provider and model through the server.
import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import type { LocalModelServer, WebviewToHost } from '../protocol';
import { detectLocalModels } from './localModels';
import { useLocalModel, type ConfigWriter } from './providerSetup';

export const NO_LOCAL_SERVER = 'No local model server answered. Start Ollama (`ollama serve`, port 11434) or the local server in LM Studio (port 1234), load a model, then try again.';

/** Writes the choice, then `applied` (the status bar and composer re-read at once, not on the file watch). */
export async function applyLocalModel(client: ConfigWriter, server: LocalModelServer['provider'], model: string, applied: () => Promise<void>, logger: Logger): Promise<void> {
  try {
    await useLocalModel(client, server, model);
    logger.info('switched to a local model', { provider: server, model });
    await applied();
  } catch (error) {
    void vscode.window.showErrorMessage(`Tandem could not switch to ${model}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function pickLocalModel(client: ConfigWriter, applied: () => Promise<void>, logger: Logger): Promise<void> {
  const servers = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Tandem: looking for local models…' }, () => detectLocalModels());
  const items = servers.flatMap((server) => server.models.map((model) => ({ label: model, description: server.name, provider: server.provider })));
  if (items.length === 0) {
    const again = await vscode.window.showInformationMessage(servers.length > 0 ? `${servers.map((s) => s.name).join(' and ')} answered but serves no model. Load or pull one, then try again.` : NO_LOCAL_SERVER, 'Try Again');
    if (again) await pickLocalModel(client, applied, logger);
    return;
  }
  const chosen = await vscode.window.showQuickPick(items, { title: 'Tandem: Use a Local Model', placeHolder: 'New threads use this model' });
  if (chosen) await applyLocalModel(client, chosen.provider, chosen.label, applied, logger);
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
