// Model errors as values a person can act on, with the protocol's codexErrorInfo and whether a retry may help.
import type { CodexErrorInfo } from '../../protocol';

export type ModelErrorPhase = 'request' | 'stream';

export class ModelError extends Error {
  constructor(
    message: string,
    readonly info: CodexErrorInfo,
    readonly retryable: boolean,
    readonly phase: ModelErrorPhase,
    readonly options: { httpStatus?: number; retryAfterMs?: number; details?: string } = {},
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

interface ApiErrorBody {
  type?: string;
  code?: string;
  message?: string;
  resets_at?: number;
  plan_type?: string;
}

/** Reads `{error: {...}}` or a bare error object out of a response body. */
export function parseApiError(body: string): ApiErrorBody {
  try {
    const parsed = JSON.parse(body) as { error?: ApiErrorBody } & ApiErrorBody;
    return (typeof parsed.error === 'object' && parsed.error) || parsed;
  } catch {
    return {};
  }
}

/** An HTTP error status before the stream started. */
export function httpError(status: number, body: string, retryAfterMs: number | undefined, where: string): ModelError {
  const api = parseApiError(body);
  const detail = api.message ? `: ${api.message}` : body.trim() ? `: ${body.trim().slice(0, 300)}` : '';
  const code = api.code ?? api.type;
  if (status === 429 && !QUOTA_CODES.has(code ?? '')) return rateLimited(where, detail, code === 'rate_limit_exceeded' ? (retryAfterMs ?? retryHintMs(api.message)) : retryAfterMs);
  const codeError = errorForCode(code, api, 'request', status);
  if (codeError) return codeError;
  if (status === 401) {
    return new ModelError(`${where} rejected the credentials (401 Unauthorized)${detail}. Sign in again or check the API key.`, 'unauthorized', false, 'request', { httpStatus: status });
  }
  if (status === 403) {
    return new ModelError(`${where} refused the request (403 Forbidden)${detail}.`, 'unauthorized', false, 'request', { httpStatus: status });
  }
  if (status === 404) {
    return new ModelError(`${where} does not know this model or endpoint (404 Not Found)${detail}. Check the model name and the provider's base_url.`, 'modelNotFound', false, 'request', { httpStatus: status });
  }
  if (status >= 500) {
    const info: CodexErrorInfo = status === 500 ? 'internalServerError' : { httpConnectionFailed: { httpStatusCode: status } };
    return new ModelError(`${where} had a server error (${status})${detail}.`, info, true, 'request', { httpStatus: status, retryAfterMs });
  }
  return new ModelError(`${where} rejected the request (${status})${detail}.`, 'badRequest', false, 'request', { httpStatus: status });
}

/** 429s that mean the plan or the quota, not a wait: retrying cannot help. */
const QUOTA_CODES = new Set(['usage_limit_reached', 'insufficient_quota', 'usage_not_included']);

/**
 * A 429 that says how long to wait (`Retry-After`, or "try again in …" with `rate_limit_exceeded`) is retried
 * after that wait and reported like a reconnect, as codex does; one that does not fails the turn.
 */
function rateLimited(where: string, detail: string, waitMs: number | undefined): ModelError {
  detail = detail.replace(/\.$/, '');
  const when = waitMs !== undefined ? ` Retrying in ${Math.ceil(waitMs / 1000)} s.` : ' Wait a moment and try again.';
  return new ModelError(`${where} is rate limiting requests (429)${detail}.${when}`, 'rateLimitExceeded', waitMs !== undefined, 'stream', { httpStatus: 429, retryAfterMs: waitMs });
}

/** A `response.failed` (or top-level `error`) event inside the stream. */
export function streamFailure(error: ApiErrorBody | undefined): ModelError {
  const api = error ?? {};
  return (
    errorForCode(api.code ?? api.type, api, 'stream') ??
    new ModelError(`The model stream failed: ${api.message ?? 'no reason given'}`, { responseStreamDisconnected: { httpStatusCode: null } }, true, 'stream', {
      retryAfterMs: retryHintMs(api.message),
    })
  );
}

function errorForCode(code: string | undefined, api: ApiErrorBody, phase: ModelErrorPhase, httpStatus?: number): ModelError | undefined {
  const detail = api.message ? ` (${api.message})` : '';
  switch (code) {
    case 'context_length_exceeded':
      return new ModelError(
        'The conversation no longer fits in the model’s context window. Start a new thread, or compact this one.',
        'contextWindowExceeded',
        false,
        phase,
        { httpStatus },
      );
    case 'insufficient_quota':
      return new ModelError(`The account has run out of quota${detail}. Check the plan and billing details, then try again.`, 'usageLimitExceeded', false, phase, { httpStatus });
    case 'usage_limit_reached': {
      const reset = api.resets_at ? ` It resets at ${new Date(api.resets_at * 1000).toISOString()}.` : '';
      return new ModelError(`You have reached your usage limit${api.plan_type ? ` for the ${api.plan_type} plan` : ''}.${reset}`, 'usageLimitExceeded', false, phase, { httpStatus });
    }
    case 'usage_not_included':
      return new ModelError('This plan does not include model usage. Upgrade the plan or sign in with an API key.', 'usageLimitExceeded', false, phase, { httpStatus });
    case 'rate_limit_exceeded': {
      const hint = retryHintMs(api.message);
      return new ModelError(`Rate limit reached${detail}.`, 'rateLimitExceeded', hint !== undefined, phase, { httpStatus, retryAfterMs: hint });
    }
    case 'server_is_overloaded':
    case 'slow_down':
      return new ModelError(`The model server is overloaded${detail}. Try again in a little while.`, 'serverOverloaded', false, phase, { httpStatus });
    case 'invalid_prompt':
      return new ModelError(`The model server rejected the prompt${detail}.`, 'badRequest', false, phase, { httpStatus });
    case 'model_not_found':
      return new ModelError(`The model was not found${detail}. Check the model name.`, 'modelNotFound', false, phase, { httpStatus });
    default:
      return undefined;
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, millisecond: 1, milliseconds: 1, s: 1000, sec: 1000, second: 1000, seconds: 1000, m: 60_000, min: 60_000, minute: 60_000, minutes: 60_000, h: 3_600_000, hour: 3_600_000, hours: 3_600_000 };
const DURATION_PART = /([\d.]+)\s*(milliseconds?|ms|minutes?|min|m|seconds?|sec|s|hours?|h)(?![a-z])/iy;

/** "try again in 1.5s" / "in 300ms" / "in 2 seconds" / "in 1m30s" → milliseconds. */
export function retryHintMs(message: string | undefined): number | undefined {
  const start = message && /try again in\s*/i.exec(message);
  if (!start) return undefined;
  let total = 0;
  let parts = 0;
  DURATION_PART.lastIndex = start.index + start[0].length;
  for (let match = DURATION_PART.exec(message); match; match = DURATION_PART.exec(message)) {
    total += Number(match[1]) * UNIT_MS[match[2]!.toLowerCase()]!;
    parts += 1;
    while (message[DURATION_PART.lastIndex] === ' ') DURATION_PART.lastIndex += 1;
  }
  return parts > 0 && Number.isFinite(total) ? total : undefined;
}

/** `Retry-After`: delta seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function connectionError(cause: unknown, url: string, providerId: string): ModelError {
  const reason = describeCause(cause);
  return new ModelError(
    `Could not reach the model server at ${url} (${reason}). Check that it is running and that provider "${providerId}" has the right base_url.`,
    { httpConnectionFailed: { httpStatusCode: null } },
    true,
    'request',
  );
}

export function describeCause(cause: unknown): string {
  // fetch wraps the socket's error (its code says it); Node's http gives it as it is (its message says it).
  if ((cause as { code?: unknown })?.code === 'ECONNREFUSED') return 'connection refused';
  const nested = (cause as { cause?: { code?: string; message?: string } })?.cause;
  if (nested?.code) return nested.code === 'ECONNREFUSED' ? 'connection refused' : nested.code;
  if (cause instanceof Error) return cause.message;
  return String(cause);
}
