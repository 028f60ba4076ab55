// The signed-in account and the credentials model requests carry: an API key, ChatGPT tokens from the
// browser or device-code sign-in (kept in the credential store and refreshed when stale or on a 401), or ChatGPT tokens
// the host supplies (memory only; refreshed by asking the host). Providers that need OpenAI auth use the
// sign-in, then their env_key variable; other providers use their env_key only.
import { invalidRequest } from '../../protocol';
import { ModelError } from '../model/errors';
import { CHATGPT_BACKEND_BASE_URL, type ModelProviderInfo } from '../model/provider';
import type { ModelAuth } from '../model/responsesClient';
import { ChatgptLoginFlow, DEFAULT_CHATGPT_AUTH, readClaims, refreshTokens, type ChatgptAuthSettings, type ChatgptTokens, type PendingLogin } from './chatgptLogin';
import { DeviceCodeLoginFlow } from './deviceCodeLogin';
import type { CredentialStore, StoredCredentials } from './credentialStore';

export type ForcedLoginMethod = 'api' | 'chatgpt' | undefined;
export type AuthMode = 'apikey' | 'chatgpt' | 'chatgptAuthTokens';

/** Tokens a host app supplies and refreshes itself. */
export interface ExternalTokens {
  accessToken: string;
  chatgptAccountId: string;
  chatgptPlanType?: string | null;
}

export interface AuthManagerOptions {
  forcedLoginMethod?: () => ForcedLoginMethod;
  forcedWorkspaceId?: () => string | undefined;
  chatgptAuth?: () => ChatgptAuthSettings;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  /** Stored ChatGPT tokens older than this are refreshed before use when their expiry is unknown. */
  maxTokenAgeMs?: number;
}

const DEFAULT_MAX_TOKEN_AGE_MS = 8 * 24 * 3_600_000;

export class AuthManager implements ModelAuth {
  private cached: StoredCredentials | null | undefined;
  private activeLogin: PendingLogin | undefined;
  private external: ExternalTokens | undefined;
  /** Set by the server: asks the host for fresh external tokens (`account/chatgptAuthTokens/refresh`). */
  requestExternalRefresh: ((previousAccountId: string | null) => Promise<ExternalTokens>) | undefined;

  constructor(
    private readonly store: CredentialStore,
    private readonly options: AuthManagerOptions = {},
  ) {}

  private async credentials(): Promise<StoredCredentials | null> {
    if (this.cached === undefined) this.cached = await this.store.load();
    return this.cached;
  }

  private settings(): ChatgptAuthSettings {
    return this.options.chatgptAuth?.() ?? DEFAULT_CHATGPT_AUTH;
  }

  async authMode(): Promise<AuthMode | null> {
    if (this.external) return 'chatgptAuthTokens';
    return (await this.credentials())?.auth_mode ?? null;
  }

  async planType(): Promise<string | null> {
    if (this.external) return this.external.chatgptPlanType ?? null;
    const tokens = (await this.credentials())?.tokens;
    return tokens ? readClaims(tokens.id_token).planType : null;
  }

  // ---- sign-in ----

  async loginWithApiKey(apiKey: string): Promise<void> {
    if (this.options.forcedLoginMethod?.() === 'chatgpt') throw invalidRequest('API key login is disabled. Use ChatGPT login instead.');
    const key = apiKey.trim();
    if (key === '') throw invalidRequest('the API key must not be empty');
    if (/\s/.test(key)) throw invalidRequest('the API key must not contain spaces or line breaks');
    await this.save({ auth_mode: 'apikey', OPENAI_API_KEY: key, tokens: null, last_refresh: new Date().toISOString() });
  }

  /** Starts the browser sign-in; a sign-in already under way is cancelled. */
  async startChatgptLogin(originator: string): Promise<ChatgptLoginFlow> {
    this.checkChatgptLoginAllowed('in the browser');
    this.activeLogin?.cancel('a new sign-in was started');
    const flow = new ChatgptLoginFlow(this.settings(), originator, (tokens) => this.acceptChatgptTokens(tokens), this.options.fetch);
    await flow.start();
    this.track(flow);
    return flow;
  }

  /**
   * Starts the device-code sign-in. A sign-in already under way is cancelled once the issuer has handed
   * out the new code, so a refused request leaves it running, as in codex.
   */
  async startDeviceCodeLogin(): Promise<DeviceCodeLoginFlow> {
    this.checkChatgptLoginAllowed('with a device code');
    const flow = new DeviceCodeLoginFlow(this.settings(), (tokens) => this.acceptChatgptTokens(tokens), this.options.fetch);
    await flow.start();
    this.activeLogin?.cancel('a new sign-in was started');
    this.track(flow);
    return flow;
  }

  /** Whether the login was under way (and is now cancelled). */
  cancelLogin(loginId: string): boolean {
    if (!this.activeLogin || this.activeLogin.loginId !== loginId) return false;
    const login = this.activeLogin;
    // Forget it now: a second cancel finds nothing, as in codex.
    this.activeLogin = undefined;
    login.cancel();
    return true;
  }

  private checkChatgptLoginAllowed(how: string): void {
    if (this.options.forcedLoginMethod?.() === 'api') throw invalidRequest('ChatGPT login is disabled. Use API key login instead.');
    if (this.external) throw invalidRequest(`ChatGPT sign-in ${how} is not available while the host supplies ChatGPT tokens`);
  }

  private track(login: PendingLogin): void {
    this.activeLogin = login;
    void login.done.then(() => {
      if (this.activeLogin === login) this.activeLogin = undefined;
    });
  }

  async loginWithExternalTokens(tokens: ExternalTokens): Promise<void> {
    if (this.options.forcedLoginMethod?.() === 'api') throw invalidRequest('ChatGPT login is disabled. Use API key login instead.');
    this.checkWorkspace(tokens.chatgptAccountId);
    this.activeLogin?.cancel('the host supplied ChatGPT tokens');
    this.external = { ...tokens };
  }

  async logout(): Promise<void> {
    this.activeLogin?.cancel('signed out');
    this.external = undefined;
    await this.store.delete();
    this.cached = null;
  }

  async account(): Promise<{ type: 'apiKey' } | { type: 'chatgpt'; email: string | null; planType: string } | null> {
    if (this.external) return { type: 'chatgpt', email: null, planType: this.external.chatgptPlanType ?? 'unknown' };
    const credentials = await this.credentials();
    if (credentials?.auth_mode === 'apikey' && credentials.OPENAI_API_KEY) return { type: 'apiKey' };
    if (credentials?.auth_mode === 'chatgpt' && credentials.tokens) {
      const claims = readClaims(credentials.tokens.id_token);
      return { type: 'chatgpt', email: claims.email, planType: claims.planType };
    }
    return null;
  }

  // ---- ModelAuth ----

  async headers(provider: ModelProviderInfo): Promise<Record<string, string>> {
    if (provider.requiresOpenaiAuth) {
      if (this.external) return { authorization: `Bearer ${this.external.accessToken}`, 'ChatGPT-Account-ID': this.external.chatgptAccountId };
      const credentials = await this.credentials();
      if (credentials?.auth_mode === 'chatgpt' && credentials.tokens) {
        const tokens = (await this.freshTokens(credentials)) ?? credentials.tokens;
        const headers: Record<string, string> = { authorization: `Bearer ${tokens.access_token}` };
        if (tokens.account_id) headers['ChatGPT-Account-ID'] = tokens.account_id;
        return headers;
      }
      if (credentials?.OPENAI_API_KEY) return { authorization: `Bearer ${credentials.OPENAI_API_KEY}` };
    }
    if (provider.envKey) {
      const key = (this.options.env ?? process.env)[provider.envKey]?.trim();
      if (key) return { authorization: `Bearer ${key}` };
    }
    if (provider.requiresOpenaiAuth || provider.envKey) {
      const how = provider.envKey ? ` Sign in (Tandem: Sign In with API Key, or account/login/start), or set ${provider.envKey}.` : ' Sign in first.';
      throw new ModelError(`Not signed in to the model provider "${provider.name}".${how}`, 'unauthorized', false, 'request');
    }
    return {};
  }

  /** With a ChatGPT sign-in, the built-in OpenAI provider talks to the ChatGPT backend. */
  baseUrlFor(provider: ModelProviderInfo): string | undefined {
    const chatgpt = this.external !== undefined || this.cached?.auth_mode === 'chatgpt';
    return provider.id === 'openai' && chatgpt ? CHATGPT_BACKEND_BASE_URL : undefined;
  }

  async refreshAfterUnauthorized(provider: ModelProviderInfo): Promise<boolean> {
    if (!provider.requiresOpenaiAuth) return false;
    if (this.external) {
      if (!this.requestExternalRefresh) return false;
      try {
        const fresh = await this.requestExternalRefresh(this.external.chatgptAccountId);
        this.checkWorkspace(fresh.chatgptAccountId);
        this.external = { ...fresh };
        return true;
      } catch {
        return false;
      }
    }
    const credentials = await this.credentials();
    if (credentials?.auth_mode !== 'chatgpt' || !credentials.tokens) return false;
    try {
      await this.refreshStored(credentials);
      return true;
    } catch {
      return false;
    }
  }

  // ---- internals ----

  private async acceptChatgptTokens(tokens: ChatgptTokens): Promise<void> {
    const claims = readClaims(tokens.id_token);
    this.checkWorkspace(claims.accountId);
    await this.save({
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: null,
      tokens: { id_token: tokens.id_token, access_token: tokens.access_token, refresh_token: tokens.refresh_token, account_id: claims.accountId },
      last_refresh: new Date().toISOString(),
    });
  }

  private checkWorkspace(accountId: string | null): void {
    const forced = this.options.forcedWorkspaceId?.();
    if (forced && accountId !== forced) throw invalidRequest(`Sign in with the ChatGPT workspace ${forced}; this account (${accountId ?? 'no workspace'}) is not allowed here.`);
  }

  /** Refreshes stored tokens before use when the access token has expired or is older than the limit. */
  private async freshTokens(credentials: StoredCredentials): Promise<StoredCredentials['tokens']> {
    const tokens = credentials.tokens!;
    const expiresAt = readClaims(tokens.access_token).expiresAt;
    const age = credentials.last_refresh ? Date.now() - Date.parse(credentials.last_refresh) : Infinity;
    const stale = expiresAt !== null ? expiresAt * 1000 <= Date.now() : age > (this.options.maxTokenAgeMs ?? DEFAULT_MAX_TOKEN_AGE_MS);
    if (!stale) return tokens;
    try {
      return (await this.refreshStored(credentials)).tokens;
    } catch {
      return tokens;
    }
  }

  private async refreshStored(credentials: StoredCredentials): Promise<StoredCredentials> {
    const fresh = await refreshTokens(this.settings(), credentials.tokens!.refresh_token, this.options.fetch);
    const idToken = fresh.id_token ?? credentials.tokens!.id_token;
    const accountId = readClaims(idToken).accountId ?? credentials.tokens!.account_id;
    this.checkWorkspace(accountId);
    const updated: StoredCredentials = {
      ...credentials,
      tokens: {
        id_token: idToken,
        access_token: fresh.access_token ?? credentials.tokens!.access_token,
        refresh_token: fresh.refresh_token ?? credentials.tokens!.refresh_token,
        account_id: accountId,
      },
      last_refresh: new Date().toISOString(),
    };
    await this.save(updated);
    return updated;
  }

  private async save(credentials: StoredCredentials): Promise<void> {
    await this.store.save(credentials);
    this.cached = credentials;
  }
}
