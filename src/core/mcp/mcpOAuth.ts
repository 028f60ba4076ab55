// OAuth for streamable HTTP MCP servers, through the SDK's client (`auth()`: discovery, dynamic client
// registration, PKCE, code exchange, refresh). Two providers: one for a sign-in in progress (everything in
// memory until the tokens arrive, then saved), and one for a connection, which offers the saved tokens,
// saves refreshed ones, and never opens a browser — a server that wants a new sign-in fails with
// McpSignInRequired instead. Also how a server's auth status is told, as codex tells it.
import { discoverOAuthServerInfo, UnauthorizedError, type OAuthClientProvider, type OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpAuthStatus } from '../../protocol';
import type { McpServerConfig, McpTransport } from './mcpConfig';
import { expiresAtOf, type McpOAuthCredentials, type McpOAuthStore } from './mcpOAuthStore';

type HttpTransport = Extract<McpTransport, { type: 'streamableHttp' }>;

/** How long the check for OAuth support may take, as in codex. */
const DISCOVERY_TIMEOUT_MS = 5_000;
/** The name Tandem registers under with an authorization server. */
const CLIENT_NAME = 'Tandem';

/** A server answered 401 and no sign-in (or no longer a valid one) is stored for it. */
export class McpSignInRequired extends Error {
  constructor(
    serverName: string,
    /** Tokens were stored but the server refused them and they could not be refreshed. */
    readonly hadTokens: boolean,
  ) {
    super(
      hadTokens
        ? `its sign-in has expired or was revoked: sign in to ${serverName} again`
        : `it requires you to sign in (OAuth): sign in to ${serverName} and it starts again`,
    );
    this.name = 'McpSignInRequired';
  }
}

/** `http_headers` and `env_http_headers` (those whose variable is set), without the bearer token. */
export function staticHeadersOf(transport: HttpTransport, env: NodeJS.ProcessEnv): Record<string, string> {
  const headers: Record<string, string> = { ...(transport.httpHeaders ?? {}) };
  for (const [header, variable] of Object.entries(transport.envHttpHeaders ?? {})) {
    const value = env[variable];
    if (value !== undefined && value !== '') headers[header] = value;
  }
  return headers;
}

/** Whether the server is given a token some other way (`bearer_token_env_var`, an Authorization header). */
export function usesBearerToken(transport: HttpTransport, env: NodeJS.ProcessEnv): boolean {
  return transport.bearerTokenEnvVar !== null || Object.keys(staticHeadersOf(transport, env)).some((h) => h.toLowerCase() === 'authorization');
}

/**
 * A fetch that adds the server's own headers to requests for its origin only: an authorization server
 * elsewhere never sees what was meant for the MCP server.
 */
export function serverFetch(serverUrl: string, headers: Record<string, string>, timeoutMs?: number): FetchLike {
  const origin = new URL(serverUrl).origin;
  return (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const merged = new Headers(init?.headers);
    if (url.origin === origin) for (const [name, value] of Object.entries(headers)) if (!merged.has(name)) merged.set(name, value);
    const signal = timeoutMs === undefined ? init?.signal : init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    return fetch(input, { ...init, headers: merged, signal });
  };
}

/** Where the server sends users to sign in, found the SDK's way (RFC 9728, then RFC 8414 / OIDC). */
export async function discoverSignIn(transport: HttpTransport, env: NodeJS.ProcessEnv, timeoutMs = DISCOVERY_TIMEOUT_MS): Promise<OAuthDiscoveryState | undefined> {
  const info = await discoverOAuthServerInfo(transport.url, { fetchFn: serverFetch(transport.url, staticHeadersOf(transport, env), timeoutMs) });
  return info.authorizationServerMetadata ? info : undefined;
}

/**
 * The auth status `mcpServerStatus/list` reports, in codex's order: a token from the config, then a stored
 * sign-in, then whether the server wants one (it answered 401, or it advertises an authorization server).
 */
export async function authStatusOf(
  config: McpServerConfig,
  env: NodeJS.ProcessEnv,
  store: McpOAuthStore | undefined,
  known: { signInRequired: boolean; advertised: () => Promise<boolean> },
): Promise<McpAuthStatus> {
  const transport = config.transport;
  if (transport.type === 'stdio') return 'unsupported';
  if (usesBearerToken(transport, env)) return 'bearerToken';
  if (store && (await store.load(config.name, transport.url).catch(() => null))) return 'oAuth';
  if (known.signInRequired) return 'notLoggedIn';
  return (await known.advertised()) ? 'notLoggedIn' : 'unsupported';
}

/**
 * Maps a failed start to McpSignInRequired when the server refused us for want of a sign-in; a server given
 * a token by the config keeps its own error (the token is wrong, not missing).
 */
export function signInErrorOf(error: unknown, config: McpServerConfig, env: NodeJS.ProcessEnv, provider: StoredSignInProvider | undefined): McpSignInRequired | undefined {
  if (config.transport.type !== 'streamableHttp' || usesBearerToken(config.transport, env)) return undefined;
  const refused = error instanceof UnauthorizedError || (error instanceof StreamableHTTPError && error.code === 401) || provider?.signInNeeded === true;
  return refused ? new McpSignInRequired(config.name, provider !== undefined) : undefined;
}

function clientMetadataFor(redirectUrl: string, scope: string | undefined): OAuthClientMetadata {
  return {
    client_name: CLIENT_NAME,
    redirect_uris: [redirectUrl],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    ...(scope ? { scope } : {}),
  };
}

/** `oauth_resource` from the config, sent as the RFC 8707 resource instead of the one discovery finds. */
function configuredResource(resource: string | null): OAuthClientProvider['validateResourceURL'] {
  return resource ? async () => new URL(resource) : undefined;
}

/** A sign-in in progress: registration, PKCE verifier and discovery stay in memory; the tokens are saved. */
export class SignInProvider implements OAuthClientProvider {
  /** Where the user goes to sign in, once `auth()` has built it. */
  authorizationUrl: URL | undefined;
  readonly validateResourceURL: OAuthClientProvider['validateResourceURL'];
  private client: OAuthClientInformationMixed | undefined;
  private verifier: string | undefined;

  constructor(
    private readonly store: McpOAuthStore,
    private readonly server: { name: string; url: string; clientId: string | null; resource: string | null },
    readonly redirectUrl: string,
    private readonly scope: string | undefined,
    /** The state sent with the request; the callback must carry it back. */
    readonly expectedState: string,
    private discovery: OAuthDiscoveryState | undefined,
  ) {
    this.validateResourceURL = configuredResource(server.resource);
  }

  get clientMetadata(): OAuthClientMetadata {
    return clientMetadataFor(this.redirectUrl, this.scope);
  }

  state(): string {
    return this.expectedState;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    // Each sign-in registers afresh (the callback port changes), unless the config names a client.
    return this.client ?? (this.server.clientId ? { client_id: this.server.clientId } : undefined);
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.client = info;
  }

  tokens(): undefined {
    return undefined;
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    const clientInformation = this.clientInformation();
    if (!clientInformation) throw new Error('the authorization server issued tokens to an unknown client');
    await this.store.save({ serverName: this.server.name, serverUrl: this.server.url, clientInformation, tokens, expiresAt: expiresAtOf(tokens), redirectUrl: this.redirectUrl });
  }

  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error('the sign-in was not started');
    return this.verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }
}

/** A connection's sign-in: the stored tokens, refreshed by the SDK on a 401 and saved again. */
export class StoredSignInProvider implements OAuthClientProvider {
  /** The server wants a new sign-in (refresh failed or was refused): the connection gives up. */
  signInNeeded = false;
  readonly validateResourceURL: OAuthClientProvider['validateResourceURL'];
  private revoked = false;

  constructor(
    private readonly store: McpOAuthStore,
    private credentials: McpOAuthCredentials,
    resource: string | null,
  ) {
    this.validateResourceURL = configuredResource(resource);
  }

  get redirectUrl(): string {
    return this.credentials.redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return clientMetadataFor(this.credentials.redirectUrl, undefined);
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.revoked ? undefined : this.credentials.clientInformation;
  }

  tokens(): OAuthTokens | undefined {
    return this.revoked ? undefined : this.credentials.tokens;
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    this.credentials = { ...this.credentials, tokens, expiresAt: expiresAtOf(tokens) };
    await this.store.save(this.credentials);
  }

  /** Only a sign-in started by the user opens a browser; here it means the user must sign in again. */
  redirectToAuthorization(): void {
    this.signInNeeded = true;
  }

  saveCodeVerifier(): void {}

  codeVerifier(): string {
    throw new Error('sign in again to get a new authorization code');
  }

  /** The authorization server refused the client or the refresh token: forget the sign-in. */
  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'verifier' || scope === 'discovery') return;
    this.revoked = true;
    this.signInNeeded = true;
    await this.store.delete(this.credentials.serverName, this.credentials.serverUrl);
  }
}

/** The provider a connection uses, or undefined: only with a stored sign-in and no token from the config. */
export async function storedSignInFor(config: McpServerConfig, store: McpOAuthStore | undefined, env: NodeJS.ProcessEnv): Promise<StoredSignInProvider | undefined> {
  const transport = config.transport;
  if (!store || transport.type !== 'streamableHttp' || usesBearerToken(transport, env)) return undefined;
  const credentials = await store.load(config.name, transport.url).catch(() => null);
  return credentials ? new StoredSignInProvider(store, credentials, config.oauth?.resource ?? null) : undefined;
}
