// Offers the MCP servers the user already defined for VS Code (each folder's `.vscode/mcp.json`, the user
// profile's mcp.json and the `mcp` setting) to Tandem's threads, when `tandem.mcp.includeVsCodeServers`
// is on, so nobody configures a server twice. config.toml wins a name clash. A workspace's own servers are
// read only in a trusted workspace: a cloned repository must not start programs by being opened. Inputs
// (`${input:id}`) are asked once and kept in SecretStorage; a server waiting for one is not started.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import type { McpServerConfig } from '../core/mcp/mcpConfig';
import { parseMcpJson, readMcpValue, serverOutcome, type McpInputSpec, type McpJsonDocument } from './vsCodeMcpJson';

export const INCLUDE_SETTING = 'tandem.mcp.includeVsCodeServers';
const SECRET_PREFIX = 'tandem.mcp.input:';
const CONSENTS_KEY = 'tandem.mcp.vsCodeServerConsents';
/** Consents kept (the newest): far more than anyone's servers, yet bounded. */
const MAX_CONSENTS = 200;

/** A place servers are defined, in the order that wins a name clash. */
interface Source {
  label: string;
  file: vscode.Uri | null;
  workspaceFolder: string | null;
  document: McpJsonDocument;
  /** The workspace's own (its .vscode/mcp.json, its settings): its servers start only once the user agrees. */
  workspaceOwned: boolean;
  /** Names the source in stored inputs and consents: a workspace never gets a secret typed for another. */
  key: string;
}

/** A server waiting for the user: inputs not given yet, or (a workspace's server) their agreement to start it. */
export type WaitingServer =
  | { kind: 'input'; name: string; sourceKey: string; inputs: McpInputSpec[] }
  | { kind: 'consent'; name: string; label: string; what: string; consentKey: string };

export class VsCodeMcpServers implements vscode.Disposable {
  private servers: McpServerConfig[] = [];
  private waiting: WaitingServer[] = [];
  /** Where each offered server is defined (for "Open Configuration"). */
  private readonly sources = new Map<string, vscode.Uri | null>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly options: {
      secrets: vscode.SecretStorage;
      /** Where the user's agreement to start a workspace's servers is kept (per server and definition). */
      consents: vscode.Memento;
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

  /** Reads the sources again; true when the servers offered changed. A failure keeps the servers as they were. */
  async refresh(): Promise<boolean> {
    try {
      return await this.read();
    } catch (error) {
      this.options.logger.warn(`MCP servers from VS Code could not be read: ${(error as Error).message}`);
      return false;
    }
  }

  private async read(): Promise<boolean> {
    const before = JSON.stringify(this.servers);
    this.sources.clear();
    if (!vscode.workspace.getConfiguration().get<boolean>(INCLUDE_SETTING, false)) {
      this.servers = [];
      this.waiting = [];
      return before !== JSON.stringify(this.servers);
    }
    const sources = await this.readSources();
    const servers: McpServerConfig[] = [];
    const waiting: WaitingServer[] = [];
    const taken = new Set<string>();
    for (const source of sources) {
      for (const problem of source.document.problems) this.options.logger.warn(`MCP servers from VS Code: ${problem}`);
      const specs = new Map(source.document.inputs.map((spec) => [spec.id, spec]));
      const inputs = new Map<string, string>();
      for (const id of specs.keys()) {
        const value = await this.options.secrets.get(secretKey(source.key, id));
        if (value !== undefined) inputs.set(id, value);
      }
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
        else if (outcome.kind === 'needsInput') waiting.push({ kind: 'input', name: tandemName, sourceKey: source.key, inputs: outcome.inputs.map((id) => specs.get(id) ?? plainInput(id)) });
        else if (source.workspaceOwned && !this.consented(consentKey(source.key, outcome.config))) {
          waiting.push({ kind: 'consent', name: tandemName, label: source.label, what: describe(outcome.config), consentKey: consentKey(source.key, outcome.config) });
        } else {
          servers.push(outcome.config);
          this.sources.set(tandemName, source.file);
        }
      }
    }
    this.servers = servers.sort((a, b) => (a.name < b.name ? -1 : 1));
    this.waiting = waiting;
    return before !== JSON.stringify(this.servers);
  }

  /** The user agreed to start a workspace's server as it is defined now (a changed definition asks again). */
  async allow(server: Extract<WaitingServer, { kind: 'consent' }>): Promise<void> {
    const agreed = this.options.consents.get<string[]>(CONSENTS_KEY, []);
    await this.options.consents.update(CONSENTS_KEY, [...agreed.filter((key) => key !== server.consentKey), server.consentKey].slice(-MAX_CONSENTS));
  }

  private consented(key: string): boolean {
    return this.options.consents.get<string[]>(CONSENTS_KEY, []).includes(key);
  }

  /** Asks for the inputs a waiting server needs and keeps them; true when every one was given. */
  async askInputs(server: Extract<WaitingServer, { kind: 'input' }>): Promise<boolean> {
    for (const input of server.inputs) {
      const value =
        input.type === 'pickString' && input.options.length > 0
          ? await vscode.window.showQuickPick(input.options, { title: vscode.l10n.t('MCP server {0}', server.name), placeHolder: input.description, ignoreFocusOut: true })
          : await vscode.window.showInputBox({ title: vscode.l10n.t('MCP server {0}', server.name), prompt: input.description, password: input.password, value: input.default ?? undefined, ignoreFocusOut: true });
      if (value === undefined) return false;
      await this.options.secrets.store(secretKey(server.sourceKey, input.id), value);
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
        if (document) sources.push({ label: vscode.workspace.asRelativePath(file, true), file, workspaceFolder: folder.uri.fsPath, document, workspaceOwned: true, key: file.toString() });
      }
    }
    const firstFolder = folders[0]?.uri.fsPath ?? null;
    if (this.options.userMcpJson) {
      const document = await readFile(this.options.userMcpJson);
      if (document) sources.push({ label: this.options.userMcpJson.fsPath, file: this.options.userMcpJson, workspaceFolder: firstFolder, document, workspaceOwned: false, key: 'user-mcp-json' });
    }
    // The setting's user value always; its workspace values only when trusted.
    const inspected = vscode.workspace.getConfiguration().inspect<unknown>('mcp');
    const settings: Array<[unknown, 'folder' | 'workspace' | 'user']> = vscode.workspace.isTrusted
      ? [
          [inspected?.workspaceFolderValue, 'folder'],
          [inspected?.workspaceValue, 'workspace'],
          [inspected?.globalValue, 'user'],
        ]
      : [[inspected?.globalValue, 'user']];
    for (const [value, level] of settings) {
      if (value === undefined) continue;
      const document = readMcpValue(value, 'the "mcp" setting');
      sources.push({ label: vscode.l10n.t('the "mcp" setting'), file: null, workspaceFolder: firstFolder, document, workspaceOwned: level !== 'user', key: `setting:${level}` });
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

function secretKey(sourceKey: string, id: string): string {
  return `${SECRET_PREFIX}${sourceKey}#${id}`;
}

/** The server as it would run: a consent stands for this definition only. */
function consentKey(sourceKey: string, config: McpServerConfig): string {
  return createHash('sha256').update(JSON.stringify([sourceKey, config.name, config.transport])).digest('hex');
}

/** What a server runs or where it connects, for the consent question. */
function describe(config: McpServerConfig): string {
  const t = config.transport;
  return t.type === 'stdio' ? [t.command, ...t.args].join(' ') : t.url;
}

function plainInput(id: string): McpInputSpec {
  return { id, type: 'promptString', description: id, password: true, default: null, options: [] };
}
