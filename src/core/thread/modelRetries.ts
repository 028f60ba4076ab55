// Retries one model call while the error says a retry may help, in codex's two layers. A request that fails
// before its stream starts (5xx, connection refused) is retried silently within `request_max_retries`: a
// client reads `error` with willRetry as trouble, and codex says nothing here either. Past that budget, and
// for a stream that broke or a rate limit with a wait, it is a reconnect, reported as codex reports it
// ("Reconnecting... n/max", the cause in additionalDetails) within `stream_max_retries`; each reconnect
// gets a fresh request budget. Sampling and compaction both go through here.
import { ErrorNotification } from '../../protocol';
import { backoffDelayMs, sleep } from '../model/backoff';
import { ModelError } from '../model/errors';
import type { ModelClient } from '../model/responsesClient';
import type { TurnEmitter } from './turnEmitter';

export async function withModelRetries<T>(client: ModelClient, emitter: TurnEmitter, signal: AbortSignal, attempt: () => Promise<T>): Promise<T> {
  let requestRetries = 0;
  let reconnects = 0;
  while (true) {
    try {
      return await attempt();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (!(error instanceof ModelError) || !error.retryable) throw error;
      const { requestMaxRetries, streamMaxRetries } = client.provider;
      const log = (kind: string, attempt: number, delayMs: number) =>
        client.logger.warn(`retrying the model request (${kind})`, { provider: client.provider.id, attempt, delayMs, ...(error.options.httpStatus ? { status: error.options.httpStatus } : {}), error: error.message });
      if (error.phase === 'request' && requestRetries < requestMaxRetries) {
        requestRetries += 1;
        const delayMs = backoffDelayMs(requestRetries, error.options.retryAfterMs);
        log('request', requestRetries, delayMs);
        await sleep(delayMs, signal);
        continue;
      }
      requestRetries = 0;
      reconnects += 1;
      if (reconnects > streamMaxRetries) throw error;
      const httpStatusCode = error.options.httpStatus === 429 ? 429 : null;
      emitter.notify(ErrorNotification, {
        error: { message: `Reconnecting... ${reconnects}/${streamMaxRetries}`, codexErrorInfo: { responseStreamDisconnected: { httpStatusCode } }, additionalDetails: error.message },
        willRetry: true,
      });
      const delayMs = backoffDelayMs(reconnects, error.options.retryAfterMs);
      log('reconnect', reconnects, delayMs);
      await sleep(delayMs, signal);
    }
  }
}
