// account/* and model/list. Sign-in changes are serialized on one global key.
import { AccountLoginCancel, AccountLoginStart, AccountLogout, AccountRead, ModelList, invalidRequest, type ModelInfo } from '../../protocol';
import type { AuthManager } from '../../core/auth/authManager';
import { OPENAI_CATALOG, providerModels } from '../../core/model/catalog';
import type { ThreadManager } from '../../core/thread/threadManager';
import type { AppServer } from '../appServer';
import { exclusive } from '../serialization';

const ACCOUNT_KEY = exclusive('account-auth');

export function registerAccountHandlers(server: AppServer, auth: AuthManager, threads: ThreadManager): void {
  const { registry, outgoing } = server;

  registry.register(AccountRead, {
    key: () => ACCOUNT_KEY,
    handle: async () => ({ account: await auth.account(), requiresOpenaiAuth: threads.defaultProvider().requiresOpenaiAuth }),
  });

  registry.register(AccountLoginStart, {
    key: () => ACCOUNT_KEY,
    handle: async (params) => {
      if (params.type !== 'apiKey') {
        throw invalidRequest(`${params.type} sign-in is not available in this version of Tandem; sign in with an API key`);
      }
      await auth.loginWithApiKey(params.apiKey);
      outgoing.broadcast('account/login/completed', { loginId: null, success: true, error: null });
      outgoing.broadcast('account/updated', { authMode: 'apikey', planType: null });
      return { type: 'apiKey' as const };
    },
  });

  registry.register(AccountLoginCancel, {
    key: () => ACCOUNT_KEY,
    handle: async (params) => {
      throw invalidRequest(`login id not found: ${params.loginId}`);
    },
  });

  registry.register(AccountLogout, {
    key: () => ACCOUNT_KEY,
    handle: async () => {
      await auth.logout();
      outgoing.broadcast('account/updated', { authMode: null, planType: null });
      return {};
    },
  });

  registry.register(ModelList, {
    key: () => null,
    handle: async (params) => {
      const provider = threads.defaultProvider(params?.modelProvider ?? undefined);
      let models: ModelInfo[];
      if (provider.id === 'openai') {
        models = OPENAI_CATALOG.filter((m) => params?.includeHidden || !m.hidden);
      } else {
        try {
          models = await providerModels(provider, await auth.headers(provider).catch(() => ({})));
        } catch (error) {
          server.logger.warn((error as Error).message);
          outgoing.broadcast('warning', { message: (error as Error).message, threadId: null });
          models = [];
        }
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
