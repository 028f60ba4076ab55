// An MCP server behind OAuth, on 127.0.0.1, built from the SDK's server-side auth pieces: `mcpAuthRouter`
// (authorization server metadata, protected resource metadata, dynamic client registration, /authorize,
// /token with PKCE checked, /revoke) over an in-memory provider whose /authorize approves at once (or
// refuses, when told) and redirects to the client's callback; and /mcp behind `requireBearerAuth`, serving
// the test MCP server's tools statelessly. It records registrations, authorizations and refreshes.
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import { InvalidGrantError, InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import type { AuthorizationParams, OAuthServerProvider } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { getOAuthProtectedResourceMetadataUrl, mcpAuthRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { OAuthClientInformationFull, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { createTestMcpServer } from './mcpTestServer';

export interface TestOAuthServerOptions {
  /** /authorize refuses: it redirects back with this error instead of a code. */
  deny?: { error: string; description?: string };
  /** How long an access token lasts (default an hour). */
  accessTokenTtlSec?: number;
}

export interface TestOAuthServer {
  /** The MCP endpoint, http://127.0.0.1:<port>/mcp. */
  url: string;
  /** Clients registered through dynamic client registration. */
  registrations: OAuthClientInformationFull[];
  /** What each /authorize request asked for. */
  authorizations: AuthorizationParams[];
  /** Access tokens issued, in order (by code exchange and by refresh). */
  accessTokens: string[];
  /** How many refresh-token grants succeeded. */
  refreshes: number;
  /** Forgets every token issued, as if they were revoked. */
  revokeAll(): void;
  close(): Promise<void>;
}

interface Grant {
  clientId: string;
  scopes: string[];
  resource?: URL;
}

class TestAuthProvider implements OAuthServerProvider {
  readonly registrations: OAuthClientInformationFull[] = [];
  readonly authorizations: AuthorizationParams[] = [];
  readonly accessTokens: string[] = [];
  refreshes = 0;
  readonly codes = new Map<string, Grant & { challenge: string }>();
  readonly access = new Map<string, Grant & { expiresAt: number }>();
  readonly refresh = new Map<string, Grant>();

  constructor(private readonly options: TestOAuthServerOptions) {}

  readonly clientsStore: OAuthRegisteredClientsStore = {
    getClient: async (clientId) => this.registrations.find((c) => c.client_id === clientId),
    registerClient: async (client) => {
      const full = client as OAuthClientInformationFull;
      this.registrations.push(full);
      return full;
    },
  };

  async authorize(client: OAuthClientInformationFull, params: AuthorizationParams, res: { redirect(url: string): void }): Promise<void> {
    this.authorizations.push(params);
    const target = new URL(params.redirectUri);
    if (this.options.deny) {
      target.searchParams.set('error', this.options.deny.error);
      if (this.options.deny.description) target.searchParams.set('error_description', this.options.deny.description);
    } else {
      const code = randomUUID();
      this.codes.set(code, { clientId: client.client_id, scopes: params.scopes ?? [], resource: params.resource, challenge: params.codeChallenge });
      target.searchParams.set('code', code);
    }
    if (params.state !== undefined) target.searchParams.set('state', params.state);
    res.redirect(target.href);
  }

  async challengeForAuthorizationCode(_client: OAuthClientInformationFull, code: string): Promise<string> {
    const grant = this.codes.get(code);
    if (!grant) throw new InvalidGrantError('unknown authorization code');
    return grant.challenge;
  }

  async exchangeAuthorizationCode(client: OAuthClientInformationFull, code: string): Promise<OAuthTokens> {
    const grant = this.codes.get(code);
    if (!grant || grant.clientId !== client.client_id) throw new InvalidGrantError('unknown authorization code');
    this.codes.delete(code);
    return this.issue(grant);
  }

  async exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string): Promise<OAuthTokens> {
    const grant = this.refresh.get(refreshToken);
    if (!grant || grant.clientId !== client.client_id) throw new InvalidGrantError('unknown refresh token');
    this.refresh.delete(refreshToken);
    this.refreshes++;
    return this.issue(grant);
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const grant = this.access.get(token);
    if (!grant) throw new InvalidTokenError('unknown access token');
    return { token, clientId: grant.clientId, scopes: grant.scopes, expiresAt: Math.floor(grant.expiresAt / 1000), resource: grant.resource };
  }

  private issue(grant: Grant): OAuthTokens {
    const ttl = this.options.accessTokenTtlSec ?? 3600;
    const accessToken = `access-${randomUUID()}`;
    const refreshToken = `refresh-${randomUUID()}`;
    this.access.set(accessToken, { ...grant, expiresAt: Date.now() + ttl * 1000 });
    this.refresh.set(refreshToken, grant);
    this.accessTokens.push(accessToken);
    return { access_token: accessToken, token_type: 'bearer', expires_in: ttl, refresh_token: refreshToken, scope: grant.scopes.join(' ') };
  }
}

export async function startTestOAuthServer(options: TestOAuthServerOptions = {}): Promise<TestOAuthServer> {
  const provider = new TestAuthProvider(options);
  const app = createMcpExpressApp({ host: '127.0.0.1' });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mcpUrl = new URL('/mcp', origin);

  const noRateLimit = { rateLimit: false as const };
  app.use(
    mcpAuthRouter({
      provider,
      issuerUrl: new URL(origin),
      resourceServerUrl: mcpUrl,
      scopesSupported: ['tools'],
      authorizationOptions: noRateLimit,
      tokenOptions: noRateLimit,
      clientRegistrationOptions: noRateLimit,
      revocationOptions: noRateLimit,
    }),
  );
  const bearer = requireBearerAuth({ verifier: provider, resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpUrl), expectedResource: mcpUrl });
  app.post('/mcp', bearer, async (req: http.IncomingMessage & { body?: unknown }, res: http.ServerResponse) => {
    // Stateless: one server and transport per request, as the SDK's stateless example does.
    const mcp = createTestMcpServer({ crash: () => undefined, log: () => undefined });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  app.all('/mcp', bearer, (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(405, { allow: 'POST' }).end();
  });

  return {
    url: mcpUrl.href,
    registrations: provider.registrations,
    authorizations: provider.authorizations,
    accessTokens: provider.accessTokens,
    get refreshes() {
      return provider.refreshes;
    },
    revokeAll() {
      provider.access.clear();
      provider.refresh.clear();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
