// The MCP servers of every loaded thread: a manager per thread, opened when the thread is (its servers
// start in the background), consulted when a turn builds its tools, and closed with the thread. Also a
// manager without a thread, for clients that list or read before they open one.
import type { ElicitRequest, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { McpServerElicitation, McpServerStartupStatusUpdated, type AskForApproval } from '../../protocol';
import type { Logger } from '../log';
import { modelSearchesTools } from '../model/modelInfo';
import type { ThreadEventSink } from '../thread/events';
import type { ToolHandler } from '../tools/registry';
import type { McpServerConfig } from './mcpConfig';
import type { McpManager } from './mcpManager';
import type { McpSignIn, McpSignIns } from './mcpOAuthLogin';
import type { McpOAuthStore } from './mcpOAuthStore';
import { mayAsk } from './mcpToolCall';

/** What the hub needs to know of a thread. */
export interface McpThread {
  readonly id: string;
  readonly settings: { readonly cwd: string; readonly approvalPolicy: AskForApproval; readonly model: string };
  readonly activeTurn?: { readonly id: string } | undefined;
}

export interface McpHubOptions {
  readonly logger: Logger;
  readonly events: ThreadEventSink;
  /** The servers the config defines for a folder (re-read each time: edits apply to threads opened later). */
  serversFor(cwd: string | null): McpServerConfig[];
  /** Whether a model takes images (tool results with images go to it as images). */
  acceptsImages(model: string): boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Where a manager without a thread runs its stdio servers. */
  readonly defaultCwd: string;
  /** Where OAuth sign-ins to HTTP servers are kept (the credential store); none: no sign-ins. */
  readonly oauth?: McpOAuthStore;
  /** `mcp_oauth_callback_port`: the sign-in callback's fixed port, or null for one the system picks. */
  oauthCallbackPort?(): number | null;
}

export class McpHub {
  private readonly managers = new Map<string, { manager: McpManager; thread: McpThread }>();
  private global: McpManager | undefined;
  private signInsMade: McpSignIns | undefined;

  constructor(private readonly options: McpHubOptions) {}

  private get signIns(): McpSignIns | undefined {
    if (!this.signInsMade && this.options.oauth) this.signInsMade = new (runtime().McpSignIns)(this.options.oauth, this.options.logger);
    return this.signInsMade;
  }

  /** The thread's manager, started on first use (with `servers` when the caller has just read them from the config). */
  open(thread: McpThread, servers?: McpServerConfig[]): McpManager {
    const open = this.managers.get(thread.id);
    if (open) {
      open.thread = thread;
      return open.manager;
    }
    const manager = new (runtime().McpManager)(servers ?? this.options.serversFor(thread.settings.cwd), {
      threadId: thread.id,
      cwd: thread.settings.cwd,
      env: this.options.env ?? process.env,
      logger: this.options.logger,
      oauth: this.options.oauth,
      onStatus: (name, status, error, failureReason) =>
        this.options.events.notify(thread.id, McpServerStartupStatusUpdated, { threadId: thread.id, name, status, error, failureReason: failureReason ?? null }),
      elicit: (server, request, signal) => this.elicit(thread.id, server, request, signal),
    });
    this.managers.set(thread.id, { manager, thread });
    manager.start();
    return manager;
  }

  /** With a `required` server configured: opens the thread's servers (after `beforeOpen`) and waits for the required ones. */
  async requiredFailure(thread: McpThread, beforeOpen: () => void): Promise<string | null> {
    const servers = this.options.serversFor(thread.settings.cwd);
    if (!servers.some((s) => s.enabled && s.required)) return null;
    beforeOpen();
    // The config just read serves the manager too: thread start reads it once less.
    return this.open(thread, servers).requiredFailure();
  }

  get(threadId: string): McpManager | undefined {
    return this.managers.get(threadId)?.manager;
  }

  /** Before a turn's first request: the thread's servers have started (or given up). */
  async prepare(thread: McpThread, signal: AbortSignal): Promise<void> {
    await this.open(thread).whenStarted(signal);
  }

  toolsFor(thread: McpThread): ToolHandler[] {
    const manager = this.get(thread.id);
    return manager ? runtime().mcpToolHandlers(manager, { supportsImages: this.options.acceptsImages(thread.settings.model), searchTools: modelSearchesTools(thread.settings.model) }) : [];
  }

  /** The manager for requests that name no thread: the config's servers for the default folder. */
  shared(): McpManager {
    if (!this.global) {
      this.global = new (runtime().McpManager)(this.options.serversFor(null), {
        threadId: null,
        cwd: this.options.defaultCwd,
        env: this.options.env ?? process.env,
        logger: this.options.logger,
        oauth: this.options.oauth,
        // No thread, no startup notifications (as codex): a client learns what it needs from the list itself.
        onStatus: (name, status, error) => {
          if (status === 'failed') this.options.logger.warn('MCP server failed to start (no thread)', { name, error });
        },
        elicit: async () => ({ action: 'decline' }),
      });
      this.global.start();
    }
    return this.global;
  }

  async close(threadId: string): Promise<void> {
    const open = this.managers.get(threadId);
    this.managers.delete(threadId);
    await open?.manager.close();
  }

  /** Closes the managers of threads no longer loaded. */
  async sweep(isLoaded: (threadId: string) => boolean): Promise<void> {
    await Promise.all([...this.managers.keys()].filter((id) => !isLoaded(id)).map((id) => this.close(id)));
  }

  /** Config changed: every manager starts over with the servers the config now defines. */
  async reload(): Promise<void> {
    const open = [...this.managers.values()];
    const global = this.global;
    this.managers.clear();
    this.global = undefined;
    await Promise.all([...open.map((o) => o.manager.close()), global?.close()]);
    for (const { thread } of open) this.open(thread);
  }

  /** A server as the thread's config (or, without a thread, the default folder's) defines it; starts nothing new. */
  serverConfig(name: string, thread?: McpThread): McpServerConfig | undefined {
    if (thread) return this.open(thread).config(name);
    return this.global?.config(name) ?? this.options.serversFor(null).find((config) => config.name === name);
  }

  /** Starts an OAuth sign-in to an HTTP server; the completion says how it ended. */
  async signIn(config: McpServerConfig, options: { scopes: readonly string[] | null; timeoutSecs: number | null }): Promise<McpSignIn> {
    if (!this.signIns) throw new Error('this server keeps no credentials, so it cannot sign in to MCP servers');
    return this.signIns.start(config, { ...options, callbackPort: this.options.oauthCallbackPort?.() ?? null, env: this.options.env ?? process.env });
  }

  /** Restarts a server wherever it runs (every thread's manager and the shared one), e.g. after a sign-in. */
  async restartServer(name: string): Promise<void> {
    const managers = [...[...this.managers.values()].map((o) => o.manager), ...(this.global ? [this.global] : [])];
    await Promise.all(managers.filter((manager) => manager.config(name)).map((manager) => manager.restart([name])));
  }

  async closeAll(): Promise<void> {
    this.signInsMade?.cancelAll();
    const open = [...this.managers.values()].map((o) => o.manager);
    this.managers.clear();
    if (this.global) open.push(this.global);
    this.global = undefined;
    await Promise.all(open.map((m) => m.close()));
  }

  /** A server's question goes to the thread's clients, tied to the running turn if there is one. */
  private async elicit(threadId: string, server: string, request: ElicitRequest['params'], signal: AbortSignal): Promise<ElicitResult> {
    const thread = this.managers.get(threadId)?.thread;
    if (!thread || !mayAsk(thread.settings.approvalPolicy)) return { action: 'decline' };
    const meta = (request as { _meta?: unknown })._meta ?? null;
    const scope = { threadId, turnId: thread.activeTurn?.id ?? null, serverName: server };
    const params =
      request.mode === 'url'
        ? { ...scope, mode: 'url' as const, _meta: meta, message: request.message, url: request.url, elicitationId: request.elicitationId }
        : { ...scope, mode: 'form' as const, _meta: meta, message: request.message, requestedSchema: request.requestedSchema as Record<string, unknown> };
    try {
      const answer = (await this.options.events.request(threadId, McpServerElicitation, params, { signal })) as { action?: unknown; content?: unknown };
      if (answer?.action === 'accept') return { action: 'accept', content: (answer.content ?? undefined) as ElicitResult['content'] };
      return { action: answer?.action === 'decline' ? 'decline' : 'cancel' };
    } catch {
      return { action: 'cancel' };
    }
  }
}

/**
 * The SDK-backed half of MCP, loaded on first use. require() rather than import: bundled, the module then
 * runs when first called instead of when the server starts (the SDK builds about a thousand schemas).
 */
function runtime(): typeof import('./mcpRuntime') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./mcpRuntime') as typeof import('./mcpRuntime');
}
