// Tells the user once per server when an MCP server from VS Code's config waits for them: for an input
// (`${input:id}`, an API key say), asked when they choose to; or, for a server the workspace itself defines,
// for their agreement to start the program it names. Then the servers reload.
import * as vscode from 'vscode';
import type { VsCodeMcpServers, WaitingServer } from './vsCodeMcpServers';

const told = new Set<string>();

export async function askVsCodeMcpInputs(servers: VsCodeMcpServers, reload: () => Promise<void>): Promise<void> {
  for (const server of servers.waitingForInput()) {
    const key = server.kind === 'consent' ? server.consentKey : `${server.kind}:${server.name}`;
    if (told.has(key)) continue;
    told.add(key);
    if (!(await answered(servers, server))) {
      if (server.kind === 'input') told.delete(key);
      continue;
    }
    await servers.refresh();
    await reload();
    return;
  }
}

/** Asks about one waiting server; true when the user gave what it waits for. */
async function answered(servers: VsCodeMcpServers, server: WaitingServer): Promise<boolean> {
  if (server.kind === 'consent') {
    const start = vscode.l10n.t('Start It');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} defines the MCP server {1}, which runs: {2}. Start it for Tandem? Only start servers you trust.', server.label, server.name, server.what),
      start,
    );
    if (choice !== start) return false;
    await servers.allow(server);
    return true;
  }
  const enter = vscode.l10n.t('Enter Now');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('The MCP server {0} from VS Code’s MCP configuration needs: {1}. Tandem starts it once it has them.', server.name, server.inputs.map((i) => i.description).join(', ')),
    enter,
  );
  return choice === enter && (await servers.askInputs(server));
}
