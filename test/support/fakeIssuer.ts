// A local fake of the ChatGPT OAuth issuer: the token endpoint for the code exchange (checking PKCE
// against the challenge the test saw in the authorize URL) and for refreshes. Tokens are unsigned JWTs.
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
    if (req.url !== '/oauth/token' || req.method !== 'POST') return void res.writeHead(404).end();
    const isJson = String(req.headers['content-type']).includes('json');
    const body: Record<string, string> = isJson ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
    if (body.grant_type === 'authorization_code') {
      this.exchanges.push(body);
      const challenge = createHash('sha256').update(body.code_verifier ?? '').digest('base64url');
      if (body.code !== 'good-code' || (this.expectedChallenge && challenge !== this.expectedChallenge)) {
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
}
