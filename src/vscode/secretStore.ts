// Credentials in VS Code's SecretStorage (the OS keychain): nothing on disk in the home folder.
import type * as vscode from 'vscode';
import type { CredentialStore, StoredCredentials } from '../core/auth/credentialStore';

const KEY = 'tandem.credentials';

export class SecretStorageCredentialStore implements CredentialStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async load(): Promise<StoredCredentials | null> {
    const text = await this.secrets.get(KEY);
    if (!text) return null;
    try {
      return JSON.parse(text) as StoredCredentials;
    } catch {
      return null;
    }
  }

  async save(credentials: StoredCredentials): Promise<void> {
    await this.secrets.store(KEY, JSON.stringify(credentials));
  }

  async delete(): Promise<void> {
    await this.secrets.delete(KEY);
  }
}
