// Builds the app-server with every method Tandem implements. The extension and the CLI both start here.
import { AccountRateLimitsUpdated } from '../protocol';
import * as process from 'node:process';
import type { Logger } from '../core/log';
import * as path from 'node:path';
import { ProcessManager } from '../core/exec/processManager';
import { AuthManager } from '../core/auth/authManager';
import { loadConfig } from '../core/config/load';
import { DEFAULT_CHATGPT_AUTH, type ChatgptAuthSettings } from '../core/auth/chatgptLogin';
import { FileCredentialStore, type CredentialStore } from '../core/auth/credentialStore';
import { RateLimitTracker, registerAccountHandlers } from './handlers/account';
import { registerConfigHandlers } from './handlers/config';
import { registerSearchHandlers } from './handlers/search';
import { registerGitHandlers } from './handlers/git';
import { ThreadManager } from '../core/thread/threadManager';
import type { ThreadSession } from '../core/thread/threadSession';
import type { ToolHandler } from '../core/tools/registry';
import { AppServer } from './appServer';
import { registerThreadHandlers } from './handlers/threads';
import { registerThreadActionHandlers } from './handlers/threadActions';
import { registerTurnHandlers } from './handlers/turns';
import { startIdleUnloader } from './threadUnloader';
import { registerCommandExecHandlers } from './handlers/commandExec';
import { registerSkillsHandlers } from './handlers/skills';
import { registerGoalHandlers } from './handlers/goals';
import { registerCatalogHandlers } from './handlers/catalog';
import { registerCheckpointHandlers } from './handlers/checkpoints';
import { registerMcpHandlers } from './handlers/mcp';
import { McpHub } from '../core/mcp/mcpHub';
import { withExtraServers, type McpServerConfig } from '../core/mcp/mcpConfig';
import { FileSecretStore, McpOAuthStore, type SecretStore } from '../core/mcp/mcpOAuthStore';
import { modelAcceptsImages } from '../core/model/modelInfo';
import type { ThreadEventSink } from '../core/thread/events';

export interface TandemServerOptions {
  logger: Logger;
  home: string;
  /** `-c key=value` overrides, applied over the config files. */
  configOverrides?: readonly string[];
  maxInFlightRequests?: number;
  validateResults?: boolean;
  /** Where threads run when a client gives no cwd. */
  defaultCwd?: string;
  /** `review_file_changes` when the config does not set it: the extension reviews every patch unless told not to. */
  reviewFileChangesByDefault?: boolean;
  /** Where sign-in credentials are kept: auth.json by default; the extension passes SecretStorage. */
  credentialStore?: CredentialStore;
  /** Where MCP servers' OAuth tokens are kept: `.credentials.json` in the home by default; the extension passes SecretStorage. */
  mcpSecrets?: SecretStore;
  /**
   * A ripgrep that file search should list files with, in its own process rather than walking the tree on the
   * server's thread (the extension passes VS Code's bundled one). Without it the server walks the tree itself,
   * with `rg` on PATH standing in should the walk fail.
   */
  ripgrepPath?: string;
  /** Continue a turn cut off by a restart when its thread is loaded again (the extension's reloads). */
  continueUnfinishedTurns?: boolean;
  /** Loads node-pty; the extension passes one that prefers VS Code's own build. */
  loadPty?: () => unknown;
  /** MCP servers defined outside config.toml (the extension passes VS Code's own); config.toml wins a name clash. */
  extraMcpServers?: () => readonly McpServerConfig[];
  /** Extra tools every thread offers (tests use this for a test-only tool). */
  extraTools?: (session: ThreadSession) => ToolHandler[];
}

export interface TandemServer {
  auth: AuthManager;
  server: AppServer;
  threads: ThreadManager;
}

export function createTandemServer(options: TandemServerOptions): AppServer {
  return createTandemRuntime(options).server;
}

/** `[chatgpt_auth]`: issuer, client_id, callback_port, login_timeout_ms, device_code_timeout_ms (tests point the issuer at a fake). */
function chatgptAuthSettings(table: unknown): ChatgptAuthSettings {
  const t = (typeof table === 'object' && table !== null ? table : {}) as Record<string, unknown>;
  return {
    issuer: typeof t.issuer === 'string' ? t.issuer : DEFAULT_CHATGPT_AUTH.issuer,
    clientId: typeof t.client_id === 'string' ? t.client_id : DEFAULT_CHATGPT_AUTH.clientId,
    port: Number.isInteger(t.callback_port) ? (t.callback_port as number) : DEFAULT_CHATGPT_AUTH.port,
    loginTimeoutMs: Number.isInteger(t.login_timeout_ms) ? (t.login_timeout_ms as number) : DEFAULT_CHATGPT_AUTH.loginTimeoutMs,
    deviceCodeTimeoutMs: Number.isInteger(t.device_code_timeout_ms) ? (t.device_code_timeout_ms as number) : DEFAULT_CHATGPT_AUTH.deviceCodeTimeoutMs,
  };
}

/** `mcp_oauth_callback_port`, when it is a usable port. */
function callbackPortOf(value: unknown): number | null {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535 ? (value as number) : null;
}

export function createTandemRuntime(options: TandemServerOptions): TandemServer {
  const config = () => loadConfig(options.home, options.configOverrides ?? []).values;
  const server = new AppServer({
    logger: options.logger,
    home: options.home,
    maxInFlightRequests: options.maxInFlightRequests,
    validateResults: options.validateResults,
  });
  const auth = new AuthManager(options.credentialStore ?? new FileCredentialStore(path.join(options.home, 'auth.json')), {
    forcedLoginMethod: () => {
      const forced = config().forced_login_method;
      return forced === 'api' || forced === 'chatgpt' ? forced : undefined;
    },
    forcedWorkspaceId: () => {
      const workspace = config().forced_chatgpt_workspace_id;
      return typeof workspace === 'string' ? workspace : undefined;
    },
    chatgptAuth: () => chatgptAuthSettings(config().chatgpt_auth),
  });
  const rateLimits = new RateLimitTracker((snapshot) => server.outgoing.broadcast(AccountRateLimitsUpdated, { rateLimits: snapshot }));
  const events: ThreadEventSink = {
    notify: (threadId, descriptor, params) => server.outgoing.notifyThread(threadId, descriptor, params),
    broadcast: (descriptor, params) => server.outgoing.broadcast(descriptor, params),
    clientsBehind: (threadId) => server.outgoing.threadSubscribersBehind(threadId),
    request: (threadId, descriptor, params, requestOptions) =>
      server.outgoing.sendRequest(descriptor, params, { threadId, timeoutMs: requestOptions?.timeoutMs, signal: requestOptions?.signal }),
  };
  const defaultCwd = options.defaultCwd ?? process.cwd();
  const mcp: McpHub = new McpHub({
    logger: options.logger,
    events,
    serversFor: (cwd): McpServerConfig[] => withExtraServers(threads.resolver.defaults(null, cwd).mcpServers, options.extraMcpServers?.() ?? []),
    acceptsImages: modelAcceptsImages,
    defaultCwd,
    oauth: new McpOAuthStore(options.mcpSecrets ?? new FileSecretStore(path.join(options.home, '.credentials.json'))),
    oauthCallbackPort: () => callbackPortOf((config() as Record<string, unknown>).mcp_oauth_callback_port),
  });
  const threads: ThreadManager = new ThreadManager({
    continueUnfinishedTurns: options.continueUnfinishedTurns,
    processes: new ProcessManager(options.logger, { loadPty: options.loadPty }),
    onResponseHeaders: (headers) => rateLimits.observe(headers),
    home: options.home,
    logger: options.logger,
    auth,
    configOverrides: options.configOverrides,
    defaultCwd,
    reviewFileChangesByDefault: options.reviewFileChangesByDefault,
    source: 'vscode',
    tools: (session) => [...(options.extraTools?.(session) ?? []), ...mcp.toolsFor(session)],
    prepareTools: (session, signal) => mcp.prepare(session, signal),
    events,
  });
  registerThreadHandlers(server, threads, { opened: (session) => void mcp.open(session), requiredFailure: (session, subscribe) => mcp.requiredFailure(session, subscribe) });
  registerThreadActionHandlers(server, threads);
  registerTurnHandlers(server, threads);
  startIdleUnloader(server, threads, () => mcp.sweep((threadId) => threads.isLoaded(threadId)));
  registerMcpHandlers(server, threads, mcp);
  registerCheckpointHandlers(server, threads);
  registerCommandExecHandlers(server, threads);
  registerAccountHandlers(server, auth, threads, rateLimits, {
    chatgptBaseUrl: () => {
      const base = config().chatgpt_base_url;
      return typeof base === 'string' ? base : undefined;
    },
  });
  registerConfigHandlers(server, options.home, options.configOverrides ?? []);
  registerSearchHandlers(server, options.ripgrepPath);
  registerGitHandlers(server);
  registerSkillsHandlers(server, options.home, options.defaultCwd ?? process.cwd());
  registerGoalHandlers(server, threads);
  registerCatalogHandlers(server, threads, options.home, options.defaultCwd ?? process.cwd());
  // Before pending approvals fail: a turn that waited on one ends as interrupted (or, in VS Code, is
  // suspended to be continued by the next host) instead of reading the failure as the user's answer.
  server.onStopping(() => (options.continueUnfinishedTurns ? threads.suspendTurns() : threads.interruptTurns()));
  server.onShutdown(async () => {
    await threads.shutdown();
    await mcp.closeAll();
  });
  return { server, threads, auth };
}
