/** First retry waits about this long; each further retry doubles it. */
export const BACKOFF_BASE_MS = 200;
/** No single wait is longer than this, whatever the attempt count. */
export const BACKOFF_MAX_MS = 30_000;

/** 200 ms × 2ⁿ⁻¹ with ±10 % jitter, or the server's hint when it gave one. */
export function backoffDelayMs(attempt: number, hintMs?: number, random = Math.random): number {
  if (hintMs !== undefined) return Math.min(hintMs, BACKOFF_MAX_MS * 4);
  const base = BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1);
  const jitter = 0.9 + random() * 0.2;
  return Math.min(BACKOFF_MAX_MS, Math.round(base * jitter));
}

/** Resolves after `ms`, or rejects at once when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
