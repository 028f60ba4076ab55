// ChatGPT sign-in in the browser: PKCE (S256) and a random state, a callback server
// on 127.0.0.1 (the next free port when the first is busy), the code exchanged at the issuer's token
// endpoint, and a 10-minute limit. Tokens are handed to the caller; nothing is stored here.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatgptAuthSettings {
  issuer: string;
  clientId: string;
  /** The first port tried for the callback. */
  port: number;
  loginTimeoutMs: number;
  /** How long a device-code sign-in may wait for the user to enter the code. */
  deviceCodeTimeoutMs: number;
}

export const DEFAULT_CHATGPT_AUTH: ChatgptAuthSettings = {
  issuer: 'https://auth.openai.com',
  clientId: 'app_EMoamEEZ73f0CkXaXp7hrann',
  port: 1455,
  loginTimeoutMs: 10 * 60_000,
  deviceCodeTimeoutMs: 15 * 60_000,
};

/** Ports tried after the first one, when it is busy. */
const PORT_ATTEMPTS = 10;

export interface ChatgptTokens {
  id_token: string;
  access_token: string;
  refresh_token: string;
}

export interface IdClaims {
  email: string | null;
  planType: string;
  accountId: string | null;
  /** Unix seconds, when the token says. */
  expiresAt: number | null;
}

/** Reads the claims of a JWT without checking its signature (it came straight from the issuer over TLS). */
export function readClaims(jwt: string): IdClaims {
  let payload: Record<string, unknown> = {};
  try {
    payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    // unreadable claims: defaults below
  }
  const auth = (payload['https://api.openai.com/auth'] ?? {}) as Record<string, unknown>;
  const profile = (payload['https://api.openai.com/profile'] ?? {}) as Record<string, unknown>;
  const email = typeof payload.email === 'string' ? payload.email : typeof profile.email === 'string' ? profile.email : null;
  return {
    email,
    planType: typeof auth.chatgpt_plan_type === 'string' ? auth.chatgpt_plan_type : 'unknown',
    accountId: typeof auth.chatgpt_account_id === 'string' ? auth.chatgpt_account_id : null,
    expiresAt: typeof payload.exp === 'number' ? payload.exp : null,
  };
}

export interface LoginOutcome {
  success: boolean;
  error: string | null;
}

/** A sign-in under way, whichever way it goes: its id, its outcome, and a way to stop it. */
export interface PendingLogin {
  readonly loginId: string;
  readonly done: Promise<LoginOutcome>;
  cancel(reason?: string): void;
}

export class ChatgptLoginFlow implements PendingLogin {
  readonly loginId = randomUUID();
  authUrl = '';
  readonly done: Promise<LoginOutcome>;
  private finish!: (outcome: LoginOutcome) => void;
  private server: http.Server | undefined;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  private readonly verifier = randomBytes(64).toString('base64url');
  private readonly state = randomBytes(32).toString('base64url');

  constructor(
    private readonly settings: ChatgptAuthSettings,
    private readonly originator: string,
    /** Checks and keeps the tokens; throws to fail the login with a message. */
    private readonly accept: (tokens: ChatgptTokens) => Promise<void>,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  async start(): Promise<void> {
    const port = await this.listen();
    const redirectUri = `http://localhost:${port}/auth/callback`;
    const challenge = createHash('sha256').update(this.verifier).digest('base64url');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: redirectUri,
      scope: 'openid profile email offline_access',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      id_token_add_organizations: 'true',
      state: this.state,
      originator: this.originator,
    });
    this.authUrl = `${this.settings.issuer.replace(/\/+$/, '')}/oauth/authorize?${query.toString()}`;
    this.timer = setTimeout(() => this.end({ success: false, error: `sign-in timed out after ${Math.round(this.settings.loginTimeoutMs / 60_000) || 1} minute(s)` }), this.settings.loginTimeoutMs);
    this.timer.unref();
  }

  cancel(reason = 'sign-in was cancelled'): void {
    this.end({ success: false, error: reason });
  }

  private listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      let attempt = 0;
      const tryPort = () => {
        const server = http.createServer((req, res) => void this.handle(req, res));
        server.once('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'EADDRINUSE' && attempt < PORT_ATTEMPTS) {
            attempt += 1;
            tryPort();
          } else {
            reject(new Error(`cannot listen for the sign-in callback: ${error.message}`));
          }
        });
        server.listen(this.settings.port === 0 ? 0 : this.settings.port + attempt, '127.0.0.1', () => {
          this.server = server;
          resolve((server.address() as AddressInfo).port);
        });
      };
      tryPort();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/success') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Tandem</title><p>Signed in to Tandem. You can close this tab.</p>');
      return;
    }
    if (url.pathname !== '/auth/callback') {
      res.writeHead(404).end();
      return;
    }
    if (url.searchParams.get('state') !== this.state) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('This sign-in link is stale or was not started by Tandem.');
      return;
    }
    const code = url.searchParams.get('code');
    if (!code) {
      const reason = url.searchParams.get('error_description') ?? url.searchParams.get('error') ?? 'no code in the callback';
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`Sign-in failed: ${reason}`);
      this.end({ success: false, error: `sign-in failed: ${reason}` });
      return;
    }
    try {
      const tokens = await this.exchange(code, `http://localhost:${(this.server!.address() as AddressInfo).port}/auth/callback`);
      await this.accept(tokens);
      res.writeHead(302, { location: '/success' }).end();
      this.end({ success: true, error: null });
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`Sign-in failed: ${(error as Error).message}`);
      this.end({ success: false, error: (error as Error).message });
    }
  }

  private exchange(code: string, redirectUri: string): Promise<ChatgptTokens> {
    return exchangeCode(this.settings, { code, redirectUri, verifier: this.verifier }, this.fetchImpl);
  }

  private end(outcome: LoginOutcome): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    // Let the browser fetch /success before the server goes away.
    const server = this.server;
    setTimeout(() => server?.close(), 1_000).unref();
    server?.closeIdleConnections?.();
    this.finish(outcome);
  }
}

/** Trades an authorization code (and its PKCE verifier) for tokens at the issuer's token endpoint. */
export async function exchangeCode(settings: ChatgptAuthSettings, grant: { code: string; redirectUri: string; verifier: string }, fetchImpl: typeof fetch = fetch, signal?: AbortSignal): Promise<ChatgptTokens> {
  const body = new URLSearchParams({ grant_type: 'authorization_code', code: grant.code, redirect_uri: grant.redirectUri, client_id: settings.clientId, code_verifier: grant.verifier });
  const response = await fetchImpl(`${issuerBase(settings)}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    signal,
  });
  if (!response.ok) throw new Error(`the sign-in server refused the code (${response.status})`);
  const tokens = (await response.json()) as Partial<ChatgptTokens>;
  if (!tokens.id_token || !tokens.access_token || !tokens.refresh_token) throw new Error('the sign-in server answered without the expected tokens');
  return tokens as ChatgptTokens;
}

export function issuerBase(settings: ChatgptAuthSettings): string {
  return settings.issuer.replace(/\/+$/, '');
}

/** Refreshes ChatGPT tokens at the issuer. */
export async function refreshTokens(settings: ChatgptAuthSettings, refreshToken: string, fetchImpl: typeof fetch = fetch): Promise<Partial<ChatgptTokens>> {
  const response = await fetchImpl(`${settings.issuer.replace(/\/+$/, '')}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: settings.clientId, grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } | string };
    const code = typeof body.error === 'string' ? body.error : body.error?.code;
    if (code && /refresh_token_(expired|reused|invalidated)/.test(code)) throw new Error('Your ChatGPT sign-in has expired; please sign in again.');
    throw new Error(`refreshing the ChatGPT sign-in failed (${response.status})`);
  }
  return (await response.json()) as Partial<ChatgptTokens>;
}
