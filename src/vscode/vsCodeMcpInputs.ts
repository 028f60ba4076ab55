// Tells the user once per server when an MCP server from VS Code's config waits for an input
// (`${input:id}`, an API key say), and asks for it when they choose to: then the servers reload with it.
import * as vscode from 'vscode';
import type { VsCodeMcpServers } from './vsCodeMcpServers';

const told = new Set<string>();

export async function askVsCodeMcpInputs(servers: VsCodeMcpServers, reload: () => Promise<void>): Promise<void> {
  for (const server of servers.waitingForInput()) {
    if (told.has(server.name)) continue;
    told.add(server.name);
    const enter = vscode.l10n.t('Enter Now');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('The MCP server {0} from VS Code’s MCP configuration needs: {1}. Tandem starts it once it has them.', server.name, server.inputs.map((i) => i.description).join(', ')),
      enter,
    );
    if (choice !== enter) continue;
    if (!(await servers.askInputs(server))) {
      told.delete(server.name);
      continue;
    }
    await servers.refresh();
    await reload();
    return;
  }
}
