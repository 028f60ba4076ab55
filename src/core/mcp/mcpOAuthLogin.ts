// Signing in to a streamable HTTP MCP server, as codex's `mcpServer/oauth/login` does: find the server's
// authorization server, register with it (unless the config names a client), build the authorization URL
// with PKCE, and hand it back at once; then wait — at most `timeoutSecs`, 300 by default as in codex — for
// the browser to come back to the loopback callback, exchange the code, and store the tokens.
import { randomBytes, randomUUID } from 'node:crypto';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Logger } from '../log';
import type { McpServerConfig } from './mcpConfig';
import { OAuthCallbackServer } from './mcpOAuthCallback';
import { discoverSignIn, serverFetch, SignInProvider, staticHeadersOf } from './mcpOAuth';
import type { McpOAuthStore } from './mcpOAuthStore';

/** How long a sign-in waits for the browser when the client does not say, as in codex. */
export const DEFAULT_MCP_OAUTH_TIMEOUT_SECS = 300;
/** Longest wait accepted: a day (timers cannot wait much beyond 24 days anyway). */
const MAX_MCP_OAUTH_TIMEOUT_SECS = 24 * 60 * 60;

export interface McpSignInOptions {
  /** The scopes to ask for; none: the server's advertised ones, as the SDK chooses. */
  scopes: readonly string[] | null;
  timeoutSecs: number | null;
  /** `mcp_oauth_callback_port`; null: a port the system picks. */
  callbackPort: number | null;
  env: NodeJS.ProcessEnv;
}

export interface McpSignIn {
  loginId: string;
  authorizationUrl: string;
  /** Settles when the sign-in is over: null when the tokens are stored, else why it failed. */
  completion: Promise<string | null>;
}

export class McpSignIns {
  /** Sign-ins waiting for their callback, to end when Tandem shuts down. */
  private readonly pending = new Set<AbortController>();

  constructor(
    private readonly store: McpOAuthStore,
    private readonly logger: Logger,
  ) {}

  /** Starts a sign-in; rejects when it cannot start (no OAuth, no registration, port in use). */
  async start(config: McpServerConfig, options: McpSignInOptions): Promise<McpSignIn> {
    const transport = config.transport;
    if (transport.type !== 'streamableHttp') throw new Error('OAuth login is only supported for streamable HTTP servers');
    const discovery = await discoverSignIn(transport, options.env).catch((error: unknown) => {
      throw new Error(`could not reach ${new URL(transport.url).origin} to find how to sign in: ${messageOf(error)}`);
    });
    if (!discovery) throw new Error(`${config.name} does not offer an OAuth sign-in (it advertises no authorization server)`);

    const state = randomBytes(32).toString('base64url');
    const callback = await OAuthCallbackServer.listen(options.callbackPort ?? 0, transport.url, state);
    const scope = options.scopes && options.scopes.length > 0 ? options.scopes.join(' ') : undefined;
    const provider = new SignInProvider(
      this.store,
      { name: config.name, url: transport.url, clientId: config.oauth?.clientId ?? null, resource: config.oauth?.resource ?? null },
      callback.redirectUrl,
      scope,
      state,
      discovery,
    );
    const fetchFn = serverFetch(transport.url, staticHeadersOf(transport, options.env));
    try {
      const started = await auth(provider, { serverUrl: transport.url, scope, fetchFn });
      if (started !== 'REDIRECT' || !provider.authorizationUrl) throw new Error('the authorization server did not ask for a sign-in');
    } catch (error) {
      await callback.close();
      throw error;
    }

    const loginId = randomUUID();
    const timeoutMs = Math.min(Math.max(1, options.timeoutSecs ?? DEFAULT_MCP_OAUTH_TIMEOUT_SECS), MAX_MCP_OAUTH_TIMEOUT_SECS) * 1000;
    const abort = new AbortController();
    this.pending.add(abort);
    this.logger.info('MCP sign-in started', { server: config.name, loginId });
    const completion = this.finish(callback, abort.signal, timeoutMs, async (code) => {
      const finished = await auth(provider, { serverUrl: transport.url, authorizationCode: code, scope, fetchFn });
      if (finished !== 'AUTHORIZED') throw new Error('the authorization server did not accept the sign-in');
    }).then((error) => {
      this.pending.delete(abort);
      if (error === null) this.logger.info('MCP sign-in completed', { server: config.name, loginId });
      else this.logger.warn('MCP sign-in failed', { server: config.name, loginId, error });
      return error;
    });
    return { loginId, authorizationUrl: provider.authorizationUrl.href, completion };
  }

  /** Ends the sign-ins still waiting (Tandem is shutting down). */
  cancelAll(): void {
    for (const abort of this.pending) abort.abort(new Error('the sign-in was cancelled because Tandem stopped'));
    this.pending.clear();
  }

  /** Waits for the callback, exchanges its code, answers the browser; null on success, else the error. */
  private async finish(callback: OAuthCallbackServer, cancelled: AbortSignal, timeoutMs: number, exchange: (code: string) => Promise<void>): Promise<string | null> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([cancelled, timeout]);
    try {
      const { result, reply } = await callback.next(signal).catch((error: unknown) => {
        throw timeout.aborted ? new Error('timed out waiting for OAuth callback') : error;
      });
      if (result.kind === 'error') {
        await reply(400, `Sign-in failed: ${result.message}`);
        return result.message;
      }
      try {
        await exchange(result.code);
      } catch (error) {
        await reply(400, `Sign-in failed: ${messageOf(error)}`);
        throw error;
      }
      await reply(200, 'Authentication complete. You may close this window.');
      return null;
    } catch (error) {
      return messageOf(error);
    } finally {
      await callback.close();
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
