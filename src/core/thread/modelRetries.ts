// Retries one model call while the error says a retry may help, within the provider's budgets, telling
// the client each time (`error` with willRetry). Sampling and compaction both go through here.
import { ErrorNotification } from '../../protocol';
import { backoffDelayMs, sleep } from '../model/backoff';
import { ModelError } from '../model/errors';
import type { ModelClient } from '../model/responsesClient';
import type { TurnEmitter } from './turnEmitter';

export async function withModelRetries<T>(client: ModelClient, emitter: TurnEmitter, signal: AbortSignal, attempt: () => Promise<T>): Promise<T> {
  const retries = { request: 0, stream: 0 };
  while (true) {
    try {
      return await attempt();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (!(error instanceof ModelError) || !error.retryable) throw error;
      const budget = error.phase === 'request' ? client.provider.requestMaxRetries : client.provider.streamMaxRetries;
      const count = ++retries[error.phase];
      if (count > budget) throw error;
      emitter.notify(ErrorNotification, {
        error: { message: `${error.message} Retrying (${count}/${budget})…`, codexErrorInfo: error.info, additionalDetails: null },
        willRetry: true,
      });
      await sleep(backoffDelayMs(count, error.options.retryAfterMs), signal);
    }
  }
}
