// Where MCP servers' OAuth sign-ins are kept: a secret store of strings by key — VS Code's SecretStorage in
// the extension, a file in the home folder for the CLI (mode 0600, like codex's `.credentials.json`), memory in
// tests. One entry per server, keyed by its name and URL as codex keys them, so a server whose URL changes
// asks to sign in again instead of sending its tokens to the new address.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { writeFileAtomic } from '../atomicWrite';

/** Strings kept secret by key; VS Code's `SecretStorage` has this shape. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** What a sign-in leaves: the client the authorization server knows us as, and its tokens. */
export interface McpOAuthCredentials {
  serverName: string;
  serverUrl: string;
  /** As registered (or configured); keeps the `issuer` the SDK stamps on it. */
  clientInformation: OAuthClientInformationMixed;
  /** As the SDK saved them, `issuer` included. */
  tokens: OAuthTokens;
  /** When the access token expires (ms since the epoch), when the server said. */
  expiresAt: number | null;
  /** The redirect URI the client was registered with. */
  redirectUrl: string;
}

export class McpOAuthStore {
  constructor(private readonly secrets: SecretStore) {}

  async load(serverName: string, serverUrl: string): Promise<McpOAuthCredentials | null> {
    const text = await this.secrets.get(storeKey(serverName, serverUrl));
    if (!text) return null;
    try {
      const parsed = JSON.parse(text) as McpOAuthCredentials;
      // An entry that no longer reads as tokens is treated as no sign-in, so the user can sign in again.
      if (parsed.serverUrl !== serverUrl || !tokensSchema().safeParse(parsed.tokens).success || typeof parsed.clientInformation?.client_id !== 'string') return null;
      return parsed;
    } catch {
      return null;
    }
  }

  async save(credentials: McpOAuthCredentials): Promise<void> {
    await this.secrets.store(storeKey(credentials.serverName, credentials.serverUrl), JSON.stringify(credentials));
  }

  async delete(serverName: string, serverUrl: string): Promise<void> {
    await this.secrets.delete(storeKey(serverName, serverUrl));
  }
}

/** codex's key: the name, then a hash of what identifies the server's address. */
export function storeKey(serverName: string, serverUrl: string): string {
  const identity = JSON.stringify({ headers: {}, type: 'http', url: serverUrl });
  return `mcp-oauth/${serverName}|${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`;
}

/** Expiry in ms since the epoch from a token response's `expires_in`, or null. */
export function expiresAtOf(tokens: OAuthTokens, now = Date.now()): number | null {
  return typeof tokens.expires_in === 'number' ? now + tokens.expires_in * 1000 : null;
}

/** One JSON file of secrets (the CLI's): written whole and atomically, readable only by the user. */
export class FileSecretStore implements SecretStore {
  /** Writes run one at a time, so two sign-ins finishing together both land. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  async get(key: string): Promise<string | undefined> {
    await this.queue;
    const all = await this.read();
    return Object.hasOwn(all, key) ? all[key] : undefined;
  }

  store(key: string, value: string): Promise<void> {
    return this.update((all) => {
      all[key] = value;
    });
  }

  delete(key: string): Promise<void> {
    return this.update((all) => {
      delete all[key];
    });
  }

  private update(change: (all: Record<string, string>) => void): Promise<void> {
    const next = this.queue.then(async () => {
      const all = await this.read();
      change(all);
      if (Object.keys(all).length === 0) await fs.rm(this.file, { force: true });
      else await writeFileAtomic(this.file, JSON.stringify(all, null, 2) + '\n', 0o600);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    } catch {
      // Never echo the file: it holds secrets.
      throw new Error(`${this.file} is not valid JSON; delete it and sign in to your MCP servers again`);
    }
  }
}

/** Secrets in memory only (tests, ephemeral servers). */
export class MemorySecretStore implements SecretStore {
  readonly entries = new Map<string, string>();
  async get(key: string) {
    return this.entries.get(key);
  }
  async store(key: string, value: string) {
    this.entries.set(key, value);
  }
  async delete(key: string) {
    this.entries.delete(key);
  }
}

/** The SDK's token schema, loaded when stored tokens are first read (not when the server starts). */
function tokensSchema(): typeof import('./mcpTokenSchema').OAuthTokensSchema {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./mcpTokenSchema') as typeof import('./mcpTokenSchema')).OAuthTokensSchema;
}
