// account/* and model/list. Sign-in changes are serialized on one global key.
import { BedrockCheckGovCloudRequirements, AccountLoginCancel, AccountLoginStart, AccountLogout, AccountRateLimitsRead, AccountRead, ModelList, invalidRequest, type ModelInfo, AccountLoginCompleted, AccountUpdated, Warning, ChatgptAuthTokensRefresh } from '../../protocol';
import { parseRateLimitHeaders, parseUsageResponse, usageUrl, type RateLimitSnapshot } from '../../core/model/rateLimits';
import type { Logger } from '../../core/log';
import { httpRequest, type ResponseHeaders } from '../../core/net/httpRequest';
import type { AuthManager } from '../../core/auth/authManager';
import { catalogFor, customProviderList, providerModels } from '../../core/model/catalog';
import type { ThreadManager } from '../../core/thread/threadManager';
import type { AppServer } from '../appServer';
import type { Connection } from '../connection';
import { identityOf } from './threads';
import { exclusive } from '../serialization';

const ACCOUNT_KEY = exclusive('account-auth');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How long the host has to hand over fresh ChatGPT tokens after a 401. */
export const EXTERNAL_REFRESH_TIMEOUT_MS = 10_000;

const EMPTY_SNAPSHOT: RateLimitSnapshot = { limitId: null, limitName: null, primary: null, secondary: null, credits: null, planType: null };

/** The latest rate-limit snapshot per limit, fed from model response headers. */
export class RateLimitTracker {
  private readonly latest = new Map<string, RateLimitSnapshot>();
  constructor(private readonly onUpdate: (snapshot: RateLimitSnapshot) => void) {}

  observe(headers: ResponseHeaders): void {
    for (const snapshot of parseRateLimitHeaders(headers)) {
      this.latest.set(snapshot.limitId ?? 'default', snapshot);
      this.onUpdate(snapshot);
    }
  }

  /** A snapshot read from the usage endpoint. */
  record(snapshot: RateLimitSnapshot): void {
    this.latest.set(snapshot.limitId ?? 'default', snapshot);
  }

  all(): RateLimitSnapshot[] {
    return [...this.latest.values()];
  }
}

/** How long the usage endpoint may take before the header snapshot is used instead. */
const USAGE_TIMEOUT_MS = 5_000;

async function fetchUsage(auth: AuthManager, threads: ThreadManager, rateLimits: RateLimitTracker, logger: Logger, chatgptBaseUrl: string | undefined): Promise<void> {
  const provider = threads.resolver.provider();
  const url = usageUrl(provider.id, provider.baseUrl, chatgptBaseUrl);
  try {
    const response = await httpRequest(url, { headers: { ...(await auth.headers(provider)), accept: 'application/json' }, signal: AbortSignal.timeout(USAGE_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    rateLimits.record(parseUsageResponse(await response.json()));
  } catch (error) {
    logger.warn('could not read the ChatGPT usage; using the last rate-limit headers', { error: (error as Error).message });
  }
}

export interface AccountOptions {
  /** `chatgpt_base_url` from the config, read at each use. */
  chatgptBaseUrl?: () => string | undefined;
}

export function registerAccountHandlers(server: AppServer, auth: AuthManager, threads: ThreadManager, rateLimits: RateLimitTracker, options: AccountOptions = {}): void {
  const { registry, outgoing } = server;
  let tokenOwner: Connection | undefined;
  auth.requestExternalRefresh = async (previousAccountId) => {
    if (!tokenOwner || tokenOwner.closed) throw new Error('the client that supplied the ChatGPT tokens is gone');
    const result = (await outgoing.sendRequest(ChatgptAuthTokensRefresh, { reason: 'unauthorized', previousAccountId }, { target: tokenOwner, timeoutMs: EXTERNAL_REFRESH_TIMEOUT_MS })) as { accessToken?: unknown; chatgptAccountId?: unknown; chatgptPlanType?: unknown };
    if (typeof result?.accessToken !== 'string' || typeof result.chatgptAccountId !== 'string') throw new Error('the client answered the token refresh without tokens');
    return { accessToken: result.accessToken, chatgptAccountId: result.chatgptAccountId, chatgptPlanType: typeof result.chatgptPlanType === 'string' ? result.chatgptPlanType : null };
  };
  const announce = async (loginId: string | null, success: boolean, error: string | null) => {
    outgoing.broadcast(AccountLoginCompleted, { loginId, success, error });
    if (success) outgoing.broadcast(AccountUpdated, { authMode: await auth.authMode(), planType: await auth.planType() });
  };

  registry.register(AccountRead, {
    key: () => ACCOUNT_KEY,
    handle: async () => ({ account: await auth.account(), requiresOpenaiAuth: threads.resolver.provider().requiresOpenaiAuth }),
  });

  registry.register(AccountLoginStart, {
    key: () => ACCOUNT_KEY,
    handle: async (params, context) => {
      switch (params.type) {
        case 'apiKey':
          await auth.loginWithApiKey(params.apiKey);
          context.afterResponse(() => void announce(null, true, null));
          return { type: 'apiKey' as const };
        case 'chatgpt': {
          const flow = await auth.startChatgptLogin(identityOf(context.connection).originator);
          void flow.done.then((outcome) => announce(flow.loginId, outcome.success, outcome.error));
          return { type: 'chatgpt' as const, loginId: flow.loginId, authUrl: flow.authUrl };
        }
        case 'chatgptDeviceCode': {
          const flow = await auth.startDeviceCodeLogin();
          void flow.done.then((outcome) => announce(flow.loginId, outcome.success, outcome.error));
          return { type: 'chatgptDeviceCode' as const, loginId: flow.loginId, verificationUrl: flow.verificationUrl, userCode: flow.userCode };
        }
        case 'chatgptAuthTokens':
          await auth.loginWithExternalTokens({ accessToken: params.accessToken, chatgptAccountId: params.chatgptAccountId, chatgptPlanType: params.chatgptPlanType });
          tokenOwner = context.connection;
          context.afterResponse(() => void announce(null, true, null));
          return { type: 'chatgptAuthTokens' as const };
        default:
          throw invalidRequest(`${(params as { type: string }).type} sign-in is not available in this version of Tandem; use chatgpt, chatgptDeviceCode or apiKey`);
      }
    },
  });

  registry.register(AccountLoginCancel, {
    key: () => ACCOUNT_KEY,
    handle: async (params) => {
      // Login ids are UUIDs: anything else is a malformed request, a UUID no login has (any more) is not.
      if (!UUID.test(params.loginId)) throw invalidRequest(`invalid login id: ${params.loginId}`);
      return { status: auth.cancelLogin(params.loginId) ? ('canceled' as const) : ('notFound' as const) };
    },
  });

  registry.register(AccountLogout, {
    key: () => ACCOUNT_KEY,
    handle: async () => {
      await auth.logout();
      outgoing.broadcast(AccountUpdated, { authMode: null, planType: null });
      return {};
    },
  });

  // Tandem has no Bedrock provider: no setup of it can resolve to GovCloud.
  registry.register(BedrockCheckGovCloudRequirements, { key: () => null, handle: async () => ({ isGovCloud: false, shouldWarn: false }) });

  registry.register(AccountRateLimitsRead, {
    key: () => null,
    handle: async () => {
      // Rate limits belong to a ChatGPT plan: codex answers anything else with these errors.
      const mode = await auth.authMode();
      if (mode === null) throw invalidRequest('codex account authentication required to read rate limits');
      if (mode !== 'chatgpt' && mode !== 'chatgptAuthTokens') throw invalidRequest('chatgpt authentication required to read rate limits');
      await fetchUsage(auth, threads, rateLimits, server.logger, options.chatgptBaseUrl?.());
      const all = rateLimits.all();
      const main = all.find((s) => s.limitId === 'codex') ?? all[0] ?? EMPTY_SNAPSHOT;
      return { rateLimits: main, rateLimitsByLimitId: all.length > 0 ? Object.fromEntries(all.map((s) => [s.limitId ?? 'default', s])) : null, rateLimitResetCredits: null };
    },
  });

  registry.register(ModelList, {
    key: () => null,
    handle: async (params) => {
      const provider = threads.resolver.provider(params?.modelProvider ?? undefined);
      const configuredModel = threads.resolver.defaults().model;
      const includeHidden = params?.includeHidden ?? false;
      let models: ModelInfo[];
      if (provider.id === 'openai') {
        models = catalogFor(includeHidden, configuredModel);
      } else {
        let listed: ModelInfo[] | null = null;
        try {
          listed = await providerModels(provider, await auth.headers(provider).catch(() => ({})));
        } catch (error) {
          server.logger.warn((error as Error).message);
          outgoing.broadcast(Warning, { message: (error as Error).message, threadId: null });
        }
        // A failed or empty list still leaves the configured model to pick.
        models = customProviderList(listed, configuredModel, provider.name, includeHidden);
      }
      const cursor = params?.cursor;
      const start = cursor === undefined || cursor === null ? 0 : Number(cursor);
      if (!Number.isInteger(start) || start < 0 || !/^\d+$/.test(String(cursor ?? '0'))) throw invalidRequest(`invalid cursor: ${cursor}`);
      if (start > models.length) throw invalidRequest(`cursor ${start} exceeds total models ${models.length}`);
      const limit = params?.limit ?? models.length;
      const end = Math.min(models.length, start + limit);
      return { data: models.slice(start, end), nextCursor: end < models.length ? String(end) : null };
    },
  });
}
