// ChatGPT sign-in with a device code, for machines a browser cannot call back to (SSH, containers,
// Codespaces): the issuer hands out a one-time code the user enters on any device; Tandem polls until
// the user has done so, then trades the authorization code it gets for tokens, as codex does. Tokens
// are handed to the caller; nothing is stored here.
import { randomUUID } from 'node:crypto';
import { invalidRequest } from '../../protocol';
import { exchangeCode, issuerBase, type ChatgptAuthSettings, type ChatgptTokens, type LoginOutcome, type PendingLogin } from './chatgptLogin';

/** The wait between polls when the issuer names none; codex's issuer says 5 seconds. */
const DEFAULT_POLL_INTERVAL_MS = 5_000;
/** Never poll the issuer faster than this, whatever interval it names. */
const MIN_POLL_INTERVAL_MS = 1_000;
/** A single request to the issuer; the overall limit is the device-code timeout. */
const REQUEST_TIMEOUT_MS = 30_000;

interface UserCode {
  deviceAuthId: string;
  userCode: string;
  intervalMs: number;
}

interface AuthorizationGrant {
  authorization_code: string;
  code_verifier: string;
}

export class DeviceCodeLoginFlow implements PendingLogin {
  readonly loginId = randomUUID();
  verificationUrl = '';
  userCode = '';
  readonly done: Promise<LoginOutcome>;
  private finish!: (outcome: LoginOutcome) => void;
  private finished = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly settings: ChatgptAuthSettings,
    /** Checks and keeps the tokens; throws to fail the login with a message. */
    private readonly accept: (tokens: ChatgptTokens) => Promise<void>,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  /** Asks the issuer for a code; the wait for the user runs on in the background and settles `done`. */
  async start(): Promise<void> {
    const code = await this.requestUserCode();
    this.userCode = code.userCode;
    this.verificationUrl = `${issuerBase(this.settings)}/codex/device`;
    void this.complete(code).then(
      () => this.end({ success: true, error: null }),
      (error: Error) => this.end({ success: false, error: error.message }),
    );
  }

  cancel(reason = 'Login was not completed'): void {
    this.end({ success: false, error: reason });
  }

  private async requestUserCode(): Promise<UserCode> {
    let response: Response;
    try {
      response = await this.post('/api/accounts/deviceauth/usercode', { client_id: this.settings.clientId });
    } catch (error) {
      throw new Error(`failed to request device code: ${(error as Error).message}`, { cause: error });
    }
    // The same words codex uses: a client may show them as they are.
    if (response.status === 404) throw invalidRequest('device code login is not enabled for this Codex server. Use the browser login or verify the server URL.');
    if (!response.ok) throw new Error(`failed to request device code: device code request failed with status ${statusText(response)}`);
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    const deviceAuthId = body.device_auth_id;
    const userCode = body.user_code ?? body.usercode;
    if (typeof deviceAuthId !== 'string' || typeof userCode !== 'string') throw new Error('failed to request device code: the sign-in server answered without a code');
    const seconds = Number(typeof body.interval === 'string' ? body.interval.trim() : body.interval);
    const intervalMs = body.interval !== undefined && Number.isFinite(seconds) && seconds >= 0 ? Math.max(MIN_POLL_INTERVAL_MS, seconds * 1000) : DEFAULT_POLL_INTERVAL_MS;
    return { deviceAuthId, userCode, intervalMs };
  }

  private async complete(code: UserCode): Promise<void> {
    const grant = await this.poll(code);
    let tokens: ChatgptTokens;
    try {
      const redirectUri = `${issuerBase(this.settings)}/deviceauth/callback`;
      tokens = await exchangeCode(this.settings, { code: grant.authorization_code, redirectUri, verifier: grant.code_verifier }, this.fetchImpl, this.signal());
    } catch (error) {
      throw new Error(`device code exchange failed: ${(error as Error).message}`, { cause: error });
    }
    if (this.finished) return;
    await this.accept(tokens);
  }

  /** Polls until the user has entered the code (the issuer then answers 200), refuses, or time runs out. */
  private async poll(code: UserCode): Promise<AuthorizationGrant> {
    const deadline = Date.now() + this.settings.deviceCodeTimeoutMs;
    for (;;) {
      if (this.finished) throw new Error('Login was not completed');
      const response = await this.post('/api/accounts/deviceauth/token', { device_auth_id: code.deviceAuthId, user_code: code.userCode }).catch((error: Error) => {
        throw new Error(`device auth failed: ${error.message}`, { cause: error });
      });
      if (response.ok) {
        const grant = (await response.json().catch(() => ({}))) as Partial<AuthorizationGrant>;
        if (typeof grant.authorization_code !== 'string' || typeof grant.code_verifier !== 'string') throw new Error('device auth failed: the sign-in server answered without an authorization code');
        return grant as AuthorizationGrant;
      }
      // 403 and 404 mean the user has not entered the code yet; anything else ends the wait.
      if (response.status !== 403 && response.status !== 404) throw new Error(`device auth failed with status ${statusText(response)}`);
      const left = deadline - Date.now();
      if (left <= 0) {
        const minutes = Math.max(1, Math.round(this.settings.deviceCodeTimeoutMs / 60_000));
        throw new Error(`device auth timed out after ${minutes} minute${minutes === 1 ? '' : 's'}`);
      }
      await this.sleep(Math.min(code.intervalMs, left));
    }
  }

  private post(pathname: string, body: unknown): Promise<Response> {
    return this.fetchImpl(`${issuerBase(this.settings)}${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: this.signal(),
    });
  }

  private signal(): AbortSignal {
    return AbortSignal.any([this.abort.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.abort.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }

  private end(outcome: LoginOutcome): void {
    if (this.finished) return;
    this.finished = true;
    this.abort.abort();
    this.finish(outcome);
  }
}

function statusText(response: Response): string {
  return response.statusText ? `${response.status} ${response.statusText}` : String(response.status);
}
