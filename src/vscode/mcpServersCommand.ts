// *Tandem: MCP Servers*: a quick pick of the configured MCP servers (for the chat's thread when there is
// one) with their status, tools and errors; choosing one shows its tools, restarts the servers, enables or
// disables it in config.toml, or opens config.toml at its table.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpServerConnectionStatus, McpServerStatus } from '../protocol';
import { formatKeyPath } from '../core/config/table';

export interface McpServersHost {
  request(method: string, params?: unknown): Promise<unknown>;
  /** The thread the chat shows, if any: its servers are the ones it runs. */
  activeThreadId(): string | null;
  /** Tandem's home, which holds config.toml. */
  home: string;
  /** Why a server last failed to start, when the startup notifications said so. */
  startupFailure(name: string): string | undefined;
  /** The servers were restarted at the user's request. */
  restarted(): void;
  /** For a server from VS Code's own MCP config: its file (null: the `mcp` setting); undefined for config.toml's. */
  sourceOf?(name: string): vscode.Uri | null | undefined;
}

/** Pages of servers read at most (100 each): far more than anyone configures, yet bounded. */
const MAX_PAGES = 10;

type ServerItem = vscode.QuickPickItem & { server: McpServerStatus };
type Action = 'tools' | 'restart' | 'toggle' | 'configure';
type ActionItem = vscode.QuickPickItem & { action: Action };

export async function showMcpServers(host: McpServersHost): Promise<void> {
  let servers: McpServerStatus[];
  try {
    servers = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading the MCP servers…') }, () => listServers(host));
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Tandem could not list the MCP servers: {0}', (error as Error).message));
    return;
  }
  if (servers.length === 0) {
    const open = vscode.l10n.t('Open Config');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('No MCP servers are configured. Add one as an [mcp_servers.<name>] table in config.toml.'), open);
    if (choice === open) await vscode.commands.executeCommand('tandem.openConfig');
    return;
  }
  const items: ServerItem[] = servers.map((server) => serverItem(server, host.startupFailure(server.name)));
  const chosen = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('MCP Servers'), placeHolder: vscode.l10n.t('Choose a server to see its tools, restart, enable or disable it'), matchOnDescription: true });
  if (chosen) await serverActions(host, chosen.server);
}

async function listServers(host: McpServersHost): Promise<McpServerStatus[]> {
  const threadId = host.activeThreadId();
  try {
    return await readPages(host, threadId);
  } catch (error) {
    // The chat's thread may not be loaded (yet): the config's servers are listed without it.
    if (threadId === null) throw error;
    return readPages(host, null);
  }
}

async function readPages(host: McpServersHost, threadId: string | null): Promise<McpServerStatus[]> {
  const servers: McpServerStatus[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = (await host.request('mcpServerStatus/list', { detail: 'toolsAndAuthOnly', ...(threadId ? { threadId } : {}), ...(cursor ? { cursor } : {}) })) as {
      data: McpServerStatus[];
      nextCursor: string | null;
    };
    servers.push(...result.data);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return servers;
}

function statusIcon(status: McpServerConnectionStatus | null | undefined): string {
  switch (status) {
    case 'connected':
      return '$(pass)';
    case 'starting':
      return '$(loading~spin)';
    case 'failed':
      return '$(error)';
    case 'authenticationRequired':
      return '$(key)';
    case 'disabled':
      return '$(circle-slash)';
    case 'cancelled':
      return '$(close)';
    default:
      return '$(circle-outline)';
  }
}

export function statusWord(status: McpServerConnectionStatus | null | undefined): string {
  switch (status) {
    case 'connected':
      return vscode.l10n.t('running');
    case 'starting':
      return vscode.l10n.t('starting');
    case 'failed':
      return vscode.l10n.t('failed to start');
    case 'authenticationRequired':
      return vscode.l10n.t('needs sign-in');
    case 'disabled':
      return vscode.l10n.t('disabled');
    case 'cancelled':
      return vscode.l10n.t('stopped');
    default:
      return vscode.l10n.t('not started');
  }
}

function toolCount(server: McpServerStatus): string {
  const count = Object.keys(server.tools).length;
  return count === 1 ? vscode.l10n.t('1 tool') : vscode.l10n.t('{0} tools', count);
}

/**
 * The status to show. A list read without a thread has none (there is no thread runtime): what the server
 * answered says enough — an error means it did not start, server info that it runs.
 */
function shownStatus(server: McpServerStatus): McpServerConnectionStatus | null | undefined {
  if (server.runtimeStatus != null) return server.runtimeStatus;
  return server.toolsError ? 'failed' : server.serverInfo ? 'connected' : null;
}

function serverItem(server: McpServerStatus, startupFailure: string | undefined): ServerItem {
  const status = shownStatus(server);
  const error = server.toolsError ?? (status === 'failed' ? startupFailure : undefined);
  const info = server.serverInfo ? `${server.serverInfo.title ?? server.serverInfo.name} ${server.serverInfo.version}` : undefined;
  return {
    label: `${statusIcon(status)} ${server.name}`,
    description: status === 'disabled' ? statusWord(status) : `${statusWord(status)} · ${toolCount(server)}`,
    detail: error ? `$(warning) ${error}` : info,
    server,
  };
}

async function serverActions(host: McpServersHost, server: McpServerStatus): Promise<void> {
  const disabled = shownStatus(server) === 'disabled';
  const source = host.sourceOf?.(server.name);
  const fromVsCode = source !== undefined;
  const actions: ActionItem[] = [
    ...(disabled ? [] : [{ label: `$(tools) ${vscode.l10n.t('Show Tools')}`, description: toolCount(server), action: 'tools' as const }]),
    { label: `$(debug-restart) ${vscode.l10n.t('Restart')}`, description: vscode.l10n.t('reads config.toml again and restarts every MCP server'), action: 'restart' },
    // A server from VS Code's own config is turned off there (or by a config.toml table of the same name).
    ...(fromVsCode
      ? []
      : [
          disabled
            ? { label: `$(play) ${vscode.l10n.t('Enable')}`, description: vscode.l10n.t('sets enabled = true in config.toml'), action: 'toggle' as const }
            : { label: `$(circle-slash) ${vscode.l10n.t('Disable')}`, description: vscode.l10n.t('sets enabled = false in config.toml'), action: 'toggle' as const },
        ]),
    {
      label: `$(go-to-file) ${vscode.l10n.t('Open Configuration')}`,
      description: fromVsCode ? (source ? vscode.workspace.asRelativePath(source, true) : vscode.l10n.t('the "mcp" setting')) : undefined,
      action: 'configure',
    },
  ];
  const chosen = await vscode.window.showQuickPick(actions, { title: vscode.l10n.t('MCP server {0}', server.name), placeHolder: serverItem(server, host.startupFailure(server.name)).description });
  switch (chosen?.action) {
    case 'tools':
      await showTools(server);
      return;
    case 'restart':
      await restart(host);
      return;
    case 'toggle':
      await setEnabled(host, server.name, disabled);
      return;
    case 'configure':
      if (source) await vscode.window.showTextDocument(source);
      else if (source === null) await vscode.commands.executeCommand('workbench.action.openSettingsJson');
      else await openServerConfig(host.home, server.name);
      return;
    default:
      return;
  }
}

async function showTools(server: McpServerStatus): Promise<void> {
  const tools = Object.values(server.tools);
  if (tools.length === 0) {
    void vscode.window.showInformationMessage(
      server.toolsError ? vscode.l10n.t('The MCP server {0} offers no tools: {1}', server.name, server.toolsError) : vscode.l10n.t('The MCP server {0} offers no tools.', server.name),
    );
    return;
  }
  const items = tools
    .map((tool) => {
      const title = tool.title?.trim();
      return { label: title || tool.name, description: title && title !== tool.name ? tool.name : undefined, detail: tool.description?.trim() || undefined };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
  await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Tools of the MCP server {0}', server.name), placeHolder: toolCount(server), matchOnDescription: true, matchOnDetail: true });
}

async function restart(host: McpServersHost): Promise<void> {
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Restarting the MCP servers…') }, () => host.request('config/mcpServer/reload', {}));
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Tandem could not restart the MCP servers: {0}', (error as Error).message));
    return;
  }
  host.restarted();
  void vscode.window.showInformationMessage(vscode.l10n.t('Tandem restarted the MCP servers.'));
}

/** Writes `mcp_servers.<name>.enabled` to config.toml, then restarts the servers so it applies. */
async function setEnabled(host: McpServersHost, name: string, enabled: boolean): Promise<void> {
  let written: { status?: string; overriddenMetadata?: { message?: string } | null };
  try {
    written = (await host.request('config/value/write', { keyPath: formatKeyPath(['mcp_servers', name, 'enabled']), value: enabled, mergeStrategy: 'replace' })) as typeof written;
    await host.request('config/mcpServer/reload', {});
  } catch (error) {
    void vscode.window.showErrorMessage(
      enabled
        ? vscode.l10n.t('Tandem could not enable the MCP server {0}: {1}', name, (error as Error).message)
        : vscode.l10n.t('Tandem could not disable the MCP server {0}: {1}', name, (error as Error).message),
    );
    return;
  }
  host.restarted();
  // Another config layer (a project's, say) still sets it: saved, but not what applies.
  if (written?.status === 'okOverridden') {
    void vscode.window.showWarningMessage(vscode.l10n.t('Tandem saved the change, but another configuration overrides it: {0}', written.overriddenMetadata?.message ?? ''));
    return;
  }
  void vscode.window.showInformationMessage(enabled ? vscode.l10n.t('Tandem enabled the MCP server {0}.', name) : vscode.l10n.t('Tandem disabled the MCP server {0}.', name));
}

/** The 0-based line of the server's table (or of its first dotted key) in config.toml, if there is one. */
export function serverTableLine(text: string, name: string): number | undefined {
  const quoted = `(?:${escapeRegExp(name)}|"${escapeRegExp(JSON.stringify(name).slice(1, -1))}"|'${escapeRegExp(name)}')`;
  const table = new RegExp(`^\\s*\\[\\s*mcp_servers\\s*\\.\\s*${quoted}\\s*\\]`);
  const dotted = new RegExp(`^\\s*mcp_servers\\s*\\.\\s*${quoted}\\s*\\.`);
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((line) => table.test(line));
  if (at !== -1) return at;
  const key = lines.findIndex((line) => dotted.test(line));
  return key === -1 ? undefined : key;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function openServerConfig(home: string, name: string): Promise<void> {
  const file = vscode.Uri.file(path.join(home, 'config.toml'));
  try {
    const document = await vscode.workspace.openTextDocument(file);
    const line = serverTableLine(document.getText(), name);
    const position = new vscode.Position(line ?? 0, 0);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position) });
    if (line === undefined) void vscode.window.showInformationMessage(vscode.l10n.t('The MCP server {0} is not defined in this file; it may come from a project configuration.', name));
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Tandem could not open config.toml: {0}', (error as Error).message));
  }
}
