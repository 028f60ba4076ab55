// A thread's MCP servers: all started together when the thread opens, each reporting its own startup
// (`mcpServer/startupStatus/updated`). A server that is slow or fails only loses its own tools; a
// `required` one that fails fails the thread's start. Closing the thread closes them (stdio children end).
import type { ElicitRequest, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpAuthStatus, McpServerConnectionStatus, McpServerStartupState, McpServerStatus } from '../../protocol';
import type { Logger } from '../log';
import { McpConnection } from './mcpConnection';
import { messageOf } from './errorMessage';
import { toolAllowed, type McpServerConfig } from './mcpConfig';
import { authStatusOf, discoverSignIn, McpSignInRequired } from './mcpOAuth';
import type { McpOAuthStore } from './mcpOAuthStore';
import { compareCodeUnits } from '../codeUnitOrder';

export interface McpManagerOptions {
  readonly threadId: string | null;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** Where OAuth sign-ins are kept; without it HTTP servers get no stored tokens. */
  readonly oauth?: McpOAuthStore;
  /** A server's startup moved on (starting → ready, failed or cancelled); a refused sign-in says so. */
  onStatus(name: string, status: McpServerStartupState, error: string | null, failureReason?: 'reauthenticationRequired' | null): void;
  /** A question from a server, to put to the user. */
  elicit(server: string, request: ElicitRequest['params'], signal: AbortSignal): Promise<ElicitResult>;
}

interface ServerState {
  readonly config: McpServerConfig;
  status: McpServerConnectionStatus;
  connection?: McpConnection;
  error: string | null;
  /** Settles (never rejects) when startup is over, one way or the other. */
  started: Promise<void>;
  readonly abort: AbortController;
  /** The last start was refused for want of a sign-in (HTTP 401). */
  signInRequired: boolean;
  /** Whether the server advertises an OAuth sign-in, looked up once per start when a status asks. */
  advertisesSignIn?: Promise<boolean>;
}

export class McpManager {
  private readonly servers = new Map<string, ServerState>();
  private closed = false;

  constructor(
    configs: readonly McpServerConfig[],
    private readonly options: McpManagerOptions,
  ) {
    // Kept in name order, so every list below (tools offered, statuses) comes out sorted without sorting again.
    for (const config of [...configs].sort((a, b) => compareCodeUnits(a.name, b.name))) {
      this.servers.set(config.name, { config, status: config.enabled ? 'notStarted' : 'disabled', error: null, started: Promise.resolve(), abort: new AbortController(), signInRequired: false });
    }
  }

  get configs(): McpServerConfig[] {
    return [...this.servers.values()].map((s) => s.config);
  }

  /** Starts every enabled server not started yet; returns at once. */
  start(): void {
    for (const state of this.servers.values()) if (state.status === 'notStarted') this.startOne(state);
  }

  private startOne(state: ServerState): void {
    const { config } = state;
    state.status = 'starting';
    state.error = null;
    state.signInRequired = false;
    state.advertisesSignIn = undefined;
    this.options.onStatus(config.name, 'starting', null);
    state.started = McpConnection.connect(
      config,
      { cwd: this.options.cwd, env: this.options.env, signal: state.abort.signal, oauth: this.options.oauth },
      {
        logger: this.options.logger,
        elicit: (request, signal) => this.options.elicit(config.name, request, signal),
        onClosed: () => {
          if (state.status !== 'connected') return;
          state.status = 'failed';
          state.error = `the MCP server ${config.name} stopped`;
          state.connection = undefined;
          this.options.logger.warn('an MCP server stopped', { server: config.name });
        },
      },
    ).then(
      (connection) => {
        if (this.closed || state.abort.signal.aborted) {
          void connection.close();
          return;
        }
        state.connection = connection;
        state.status = 'connected';
        this.options.logger.info('MCP server ready', { server: config.name, tools: connection.tools.length });
        this.options.onStatus(config.name, 'ready', null);
      },
      (error: unknown) => {
        const cancelled = state.abort.signal.aborted;
        state.status = cancelled ? 'cancelled' : 'failed';
        state.error = cancelled ? null : `MCP server ${config.name} failed to start: ${messageOf(error)}`;
        state.signInRequired = !cancelled && error instanceof McpSignInRequired;
        if (!cancelled) this.options.logger.warn('an MCP server did not start', { server: config.name, error: messageOf(error) });
        const reauthenticate = error instanceof McpSignInRequired && error.hadTokens ? 'reauthenticationRequired' : null;
        this.options.onStatus(config.name, cancelled ? 'cancelled' : 'failed', state.error, reauthenticate);
      },
    );
  }

  /** Waits until every server's startup is over (each is bounded by its own startup timeout). */
  async whenStarted(signal?: AbortSignal): Promise<void> {
    const all = Promise.all([...this.servers.values()].map((s) => s.started));
    if (!signal) return void (await all);
    await Promise.race([all, new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))]);
  }

  /** After startup: the error of the first `required` server that did not start, or null. */
  async requiredFailure(): Promise<string | null> {
    const required = [...this.servers.values()].filter((s) => s.config.required && s.config.enabled);
    await Promise.all(required.map((s) => s.started));
    const failed = required.filter((s) => s.status !== 'connected');
    if (failed.length === 0) return null;
    return `required MCP servers failed to initialize: ${failed.map((s) => s.error ?? `${s.config.name} (${s.status})`).join('; ')}`;
  }

  /** A server that is running, or undefined. */
  connection(name: string): McpConnection | undefined {
    return this.servers.get(name)?.connection;
  }

  /** The server's config, whether or not it runs. */
  config(name: string): McpServerConfig | undefined {
    return this.servers.get(name)?.config;
  }

  /** Why a server cannot be called right now (not configured, disabled, failed, still starting). */
  unavailableReason(name: string): string {
    const state = this.servers.get(name);
    if (!state) return `there is no MCP server named ${name}`;
    if (state.status === 'disabled') return `the MCP server ${name} is disabled`;
    if (state.status === 'starting') return `the MCP server ${name} is still starting`;
    return state.error ?? `the MCP server ${name} is not running (${state.status})`;
  }

  /** Running servers with the tools the config lets the model use, by server name. */
  readyServers(): Array<{ config: McpServerConfig; connection: McpConnection }> {
    const ready: Array<{ config: McpServerConfig; connection: McpConnection }> = [];
    for (const state of this.servers.values()) if (state.connection && state.status === 'connected') ready.push({ config: state.config, connection: state.connection });
    return ready;
  }

  /** Each server's status as `mcpServerStatus/list` reports it; `full` lists resources too. */
  async statuses(detail: 'full' | 'toolsAndAuthOnly', only?: string): Promise<McpServerStatus[]> {
    await this.whenStarted();
    const states = [...this.servers.values()].filter((s) => only === undefined || s.config.name === only);
    return Promise.all(states.map(async (state) => ({ ...(await statusOf(state, detail)), authStatus: await this.authStatus(state) })));
  }

  /** Stops the named servers (all when none named) and starts the enabled ones again. */
  async restart(names?: readonly string[]): Promise<void> {
    const states = [...this.servers.values()].filter((s) => names === undefined || names.includes(s.config.name));
    await Promise.all(states.map((s) => this.stopOne(s)));
    for (const state of states) {
      Object.assign(state, { abort: new AbortController() });
      state.status = state.config.enabled ? 'notStarted' : 'disabled';
      if (state.config.enabled && !this.closed) this.startOne(state);
    }
  }

  private authStatus(state: ServerState): Promise<McpAuthStatus> {
    const { config } = state;
    return authStatusOf(config, this.options.env, this.options.oauth, {
      signInRequired: state.signInRequired,
      advertised: () => {
        if (config.transport.type !== 'streamableHttp') return Promise.resolve(false);
        const transport = config.transport;
        state.advertisesSignIn ??= discoverSignIn(transport, this.options.env).then((found) => found !== undefined, () => false);
        return state.advertisesSignIn;
      },
    });
  }

  private async stopOne(state: ServerState): Promise<void> {
    state.abort.abort();
    await state.started;
    const connection = state.connection;
    state.connection = undefined;
    if (connection) await connection.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.servers.values()].map((s) => this.stopOne(s)));
  }
}

async function statusOf(state: ServerState, detail: 'full' | 'toolsAndAuthOnly'): Promise<Omit<McpServerStatus, 'authStatus'>> {
  const { config, connection } = state;
  const tools = connection ? Object.fromEntries(connection.tools.filter((t) => toolAllowed(config, t.name)).map((t) => [t.name, t])) : {};
  let resources: McpServerStatus['resources'] = [];
  let resourceTemplates: McpServerStatus['resourceTemplates'] = [];
  if (connection && detail === 'full') {
    // A server that fails to list resources still shows its tools.
    [resources, resourceTemplates] = await Promise.all([connection.listResources().catch(() => []), connection.listResourceTemplates().catch(() => [])]);
  }
  const info = connection?.serverInfo;
  return {
    name: config.name,
    runtimeStatus: state.status,
    pluginId: null,
    httpOrigin: config.transport.type === 'streamableHttp' ? originOf(config.transport.url) : null,
    serverInfo: info ? { name: info.name, version: info.version, title: info.title ?? null, description: (info as { description?: string }).description ?? null, icons: info.icons ?? null, websiteUrl: info.websiteUrl ?? null } : null,
    serverCapabilities: connection?.capabilities ?? null,
    toolListMeta: null,
    tools,
    toolsError: connection ? null : state.error,
    resources,
    resourceTemplates,
  };
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

