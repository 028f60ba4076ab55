// Where credentials live: a file (the CLI: $TANDEM_HOME/auth.json, mode 0600, written atomically), memory
// (ephemeral), or — supplied by the extension — VS Code's SecretStorage. Same shape as Codex's auth.json.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../atomicWrite';

export interface StoredCredentials {
  auth_mode: 'apikey' | 'chatgpt';
  OPENAI_API_KEY: string | null;
  tokens?: { id_token: string; access_token: string; refresh_token: string; account_id: string | null } | null;
  last_refresh?: string | null;
}

export interface CredentialStore {
  load(): Promise<StoredCredentials | null>;
  save(credentials: StoredCredentials): Promise<void>;
  delete(): Promise<void>;
}

export class FileCredentialStore implements CredentialStore {
  constructor(readonly file: string) {}

  async load(): Promise<StoredCredentials | null> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      return JSON.parse(text) as StoredCredentials;
    } catch {
      // Never echo the file: it holds secrets.
      throw new Error(`${this.file} is not valid JSON; sign in again to replace it`);
    }
  }

  async save(credentials: StoredCredentials): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file, JSON.stringify(credentials, null, 2) + '\n', 0o600);
  }

  async delete(): Promise<void> {
    await fs.unlink(this.file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

export class EphemeralCredentialStore implements CredentialStore {
  private credentials: StoredCredentials | null = null;
  async load() {
    return this.credentials;
  }
  async save(credentials: StoredCredentials) {
    this.credentials = credentials;
  }
  async delete() {
    this.credentials = null;
  }
}
