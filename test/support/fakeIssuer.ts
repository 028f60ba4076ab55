// A local fake of the ChatGPT OAuth issuer: the token endpoint for the code exchange (checking PKCE
// against the challenge the test saw in the authorize URL) and for refreshes, and the device-code
// endpoints (a user code, then polls that wait until the test approves or denies). Tokens are unsigned JWTs.
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.sig`;
}

export class FakeIssuer {
  readonly exchanges: Array<Record<string, string>> = [];
  refreshes = 0;
  accountId = 'ws-123';
  expectedChallenge: string | undefined;
  /** The device-code sign-in: what the user has done with the code, and what the issuer hands out. */
  device = { enabled: true, decision: 'pending' as 'pending' | 'approved' | 'denied', userCode: 'ABCD-EFGH', interval: '1' as unknown };
  /** Each device-code request: `usercode` or `token`, with its JSON body. */
  readonly deviceRequests: Array<{ endpoint: string; body: Record<string, string> }> = [];
  private server = http.createServer((req, res) => void this.handle(req, res));
  private port = 0;

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  tokens(generation: number) {
    return {
      id_token: jwt({ email: 'dev@example.com', 'https://api.openai.com/auth': { chatgpt_plan_type: 'plus', chatgpt_account_id: this.accountId } }),
      access_token: jwt({ exp: Math.floor(Date.now() / 1000) + 3600, gen: generation }),
      refresh_token: `refresh-${generation}`,
    };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    if (req.url?.startsWith('/api/accounts/deviceauth/') && req.method === 'POST') return this.answerDevice(req.url.slice('/api/accounts/deviceauth/'.length), JSON.parse(text || '{}'), res);
    if (req.url !== '/oauth/token' || req.method !== 'POST') return void res.writeHead(404).end();
    const isJson = String(req.headers['content-type']).includes('json');
    const body: Record<string, string> = isJson ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
    if (body.grant_type === 'authorization_code') {
      this.exchanges.push(body);
      const challenge = createHash('sha256').update(body.code_verifier ?? '').digest('base64url');
      const browser = body.code === 'good-code' && (!this.expectedChallenge || challenge === this.expectedChallenge);
      const device = body.code === DEVICE_GRANT.authorization_code && body.code_verifier === DEVICE_GRANT.code_verifier && body.redirect_uri === `${this.url}/deviceauth/callback`;
      if (!browser && !device) {
        return void res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant' }));
      }
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.tokens(1)));
    }
    if (body.grant_type === 'refresh_token') {
      this.refreshes += 1;
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: this.tokens(1 + this.refreshes).access_token }));
    }
    res.writeHead(400).end();
  }

  private answerDevice(endpoint: string, body: Record<string, string>, res: http.ServerResponse): void {
    this.deviceRequests.push({ endpoint, body });
    const json = (status: number, value: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (!this.device.enabled) return void res.writeHead(404).end();
    if (endpoint === 'usercode') return json(200, { device_auth_id: DEVICE_AUTH_ID, user_code: this.device.userCode, interval: this.device.interval });
    if (endpoint !== 'token' || body.device_auth_id !== DEVICE_AUTH_ID || body.user_code !== this.device.userCode) return json(400, { error: 'invalid_request' });
    // The issuer answers 403 until the user has entered the code.
    if (this.device.decision === 'pending') return json(403, { error: { code: 'deviceauth_authorization_pending' } });
    if (this.device.decision === 'denied') return json(400, { error: { code: 'access_denied' } });
    json(200, DEVICE_GRANT);
  }
}

const DEVICE_AUTH_ID = 'deviceauth-1';
/** What the issuer hands out once the user has entered the code: a code and the PKCE pair it was issued for. */
const DEVICE_GRANT = { authorization_code: 'device-code', code_challenge: 'device-challenge', code_verifier: 'device-verifier' };
