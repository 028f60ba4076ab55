// Offers the MCP servers the user already defined for VS Code (each folder's `.vscode/mcp.json`, the user
// profile's mcp.json and the `mcp` setting) to Tandem's threads, when `tandem.mcp.includeVsCodeServers`
// is on, so nobody configures a server twice. config.toml wins a name clash. A workspace's own servers are
// read only in a trusted workspace: a cloned repository must not start programs by being opened. Inputs
// (`${input:id}`) are asked once and kept in SecretStorage; a server waiting for one is not started.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import type { McpServerConfig } from '../core/mcp/mcpConfig';
import { parseMcpJson, readMcpValue, serverOutcome, type McpInputSpec, type McpJsonDocument } from './vsCodeMcpJson';

export const INCLUDE_SETTING = 'tandem.mcp.includeVsCodeServers';
const SECRET_PREFIX = 'tandem.mcp.input:';

/** A place servers are defined, in the order that wins a name clash. */
interface Source {
  label: string;
  file: vscode.Uri | null;
  workspaceFolder: string | null;
  document: McpJsonDocument;
}

/** A server waiting for inputs the user has not given yet. */
export interface WaitingServer {
  name: string;
  inputs: McpInputSpec[];
}

export class VsCodeMcpServers implements vscode.Disposable {
  private servers: McpServerConfig[] = [];
  private waiting: WaitingServer[] = [];
  /** Where each offered server is defined (for "Open Configuration"). */
  private readonly sources = new Map<string, vscode.Uri | null>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly options: {
      secrets: vscode.SecretStorage;
      logger: Logger;
      /** The user profile's mcp.json. */
      userMcpJson: vscode.Uri | null;
      /** The servers changed after a refresh (Tandem reloads its servers). */
      changed(): void;
    },
  ) {
    const refreshSoon = () => void this.refresh().then((changed) => changed && this.options.changed());
    const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/mcp.json');
    this.disposables.push(
      watcher,
      watcher.onDidChange(refreshSoon),
      watcher.onDidCreate(refreshSoon),
      watcher.onDidDelete(refreshSoon),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(INCLUDE_SETTING) || event.affectsConfiguration('mcp')) refreshSoon();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(refreshSoon),
      vscode.workspace.onDidChangeWorkspaceFolders(refreshSoon),
    );
    if (options.userMcpJson) {
      const user = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(options.userMcpJson.fsPath)), 'mcp.json'));
      this.disposables.push(user, user.onDidChange(refreshSoon), user.onDidCreate(refreshSoon), user.onDidDelete(refreshSoon));
    }
  }

  /** The servers to offer now (none while the setting is off). */
  current(): McpServerConfig[] {
    return this.servers;
  }

  /** Servers that wait for the user to give an input. */
  waitingForInput(): readonly WaitingServer[] {
    return this.waiting;
  }

  /** The file a server offered from VS Code's config is defined in; undefined when it is not one of them. */
  sourceOf(name: string): vscode.Uri | null | undefined {
    return this.sources.get(name);
  }

  /** Reads the sources again; true when the servers offered changed. */
  async refresh(): Promise<boolean> {
    const before = JSON.stringify(this.servers);
    this.sources.clear();
    if (!vscode.workspace.getConfiguration().get<boolean>(INCLUDE_SETTING, false)) {
      this.servers = [];
      this.waiting = [];
      return before !== JSON.stringify(this.servers);
    }
    const sources = await this.readSources();
    const inputs = new Map<string, string>();
    const specs = new Map<string, McpInputSpec>();
    for (const source of sources) for (const spec of source.document.inputs) if (!specs.has(spec.id)) specs.set(spec.id, spec);
    for (const id of specs.keys()) {
      const value = await this.options.secrets.get(SECRET_PREFIX + id);
      if (value !== undefined) inputs.set(id, value);
    }
    const servers: McpServerConfig[] = [];
    const waiting: WaitingServer[] = [];
    const taken = new Set<string>();
    for (const source of sources) {
      for (const problem of source.document.problems) this.options.logger.warn(`MCP servers from VS Code: ${problem}`);
      for (const { name, raw } of source.document.servers) {
        const outcome = serverOutcome(name, raw, {
          workspaceFolder: source.workspaceFolder,
          userHome: os.homedir(),
          env: process.env,
          inputs,
          readFile: (file) => fs.readFileSync(file, 'utf8'),
        });
        const tandemName = outcome.kind === 'ready' ? outcome.config.name : outcome.name;
        if (taken.has(tandemName)) continue;
        taken.add(tandemName);
        if (outcome.kind === 'invalid') this.options.logger.warn(`MCP server ${name} in ${source.label} is skipped: ${outcome.problem}`);
        else if (outcome.kind === 'needsInput') waiting.push({ name: tandemName, inputs: outcome.inputs.map((id) => specs.get(id) ?? plainInput(id)) });
        else {
          servers.push(outcome.config);
          this.sources.set(tandemName, source.file);
        }
      }
    }
    this.servers = servers.sort((a, b) => (a.name < b.name ? -1 : 1));
    this.waiting = waiting;
    return before !== JSON.stringify(this.servers);
  }

  /** Asks for the inputs a waiting server needs and keeps them; true when every one was given. */
  async askInputs(server: WaitingServer): Promise<boolean> {
    for (const input of server.inputs) {
      const value =
        input.type === 'pickString' && input.options.length > 0
          ? await vscode.window.showQuickPick(input.options, { title: vscode.l10n.t('MCP server {0}', server.name), placeHolder: input.description, ignoreFocusOut: true })
          : await vscode.window.showInputBox({ title: vscode.l10n.t('MCP server {0}', server.name), prompt: input.description, password: input.password, value: input.default ?? undefined, ignoreFocusOut: true });
      if (value === undefined) return false;
      await this.options.secrets.store(SECRET_PREFIX + input.id, value);
    }
    return true;
  }

  private async readSources(): Promise<Source[]> {
    const sources: Source[] = [];
    const folders = vscode.workspace.workspaceFolders ?? [];
    // A workspace's servers are programs its files name: only in a folder the user trusts.
    if (vscode.workspace.isTrusted) {
      for (const folder of folders) {
        const file = vscode.Uri.joinPath(folder.uri, '.vscode', 'mcp.json');
        const document = await readFile(file);
        if (document) sources.push({ label: vscode.workspace.asRelativePath(file, true), file, workspaceFolder: folder.uri.fsPath, document });
      }
    }
    const firstFolder = folders[0]?.uri.fsPath ?? null;
    if (this.options.userMcpJson) {
      const document = await readFile(this.options.userMcpJson);
      if (document) sources.push({ label: this.options.userMcpJson.fsPath, file: this.options.userMcpJson, workspaceFolder: firstFolder, document });
    }
    // The setting's user value always; its workspace values only when trusted.
    const inspected = vscode.workspace.getConfiguration().inspect<unknown>('mcp');
    const settings = vscode.workspace.isTrusted ? [inspected?.workspaceFolderValue, inspected?.workspaceValue, inspected?.globalValue] : [inspected?.globalValue];
    for (const value of settings) {
      if (value !== undefined) sources.push({ label: vscode.l10n.t('the "mcp" setting'), file: null, workspaceFolder: firstFolder, document: readMcpValue(value, 'the "mcp" setting') });
    }
    return sources;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

async function readFile(file: vscode.Uri): Promise<McpJsonDocument | null> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(file);
  } catch {
    return null;
  }
  return parseMcpJson(Buffer.from(bytes).toString('utf8'), file.fsPath);
}

function plainInput(id: string): McpInputSpec {
  return { id, type: 'promptString', description: id, password: true, default: null, options: [] };
}
