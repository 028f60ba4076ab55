// Rate-limit state from model response headers: `x-<limit>-primary-used-percent`, `-window-minutes`,
// `-reset-at`, the same for `secondary`, and `x-<limit>-credits-has-credits|unlimited|balance`.
import type { ResponseHeaders } from '../net/httpRequest';

export interface RateLimitWindow {
  usedPercent: number;
  windowDurationMins: number | null;
  resetsAt: number | null;
}

export interface RateLimitSnapshot {
  limitId: string | null;
  limitName: string | null;
  primary: RateLimitWindow | null;
  secondary: RateLimitWindow | null;
  credits: { hasCredits: boolean; unlimited: boolean; balance: string | null } | null;
  planType: string | null;
}

const PRIMARY = /^x-([a-z0-9-]+?)-primary-used-percent$/;

/** One snapshot per limit named in the headers (usually just `codex`). */
export function parseRateLimitHeaders(headers: ResponseHeaders): RateLimitSnapshot[] {
  const limits = new Set<string>();
  headers.forEach((_value, name) => {
    const match = PRIMARY.exec(name.toLowerCase()) ?? /^x-([a-z0-9-]+?)-secondary-used-percent$/.exec(name.toLowerCase());
    if (match) limits.add(match[1]!);
  });
  return [...limits].map((limit) => {
    const num = (suffix: string) => {
      const value = headers.get(`x-${limit}-${suffix}`);
      const parsed = value === null ? NaN : Number(value);
      return Number.isFinite(parsed) ? parsed : null;
    };
    const window = (which: 'primary' | 'secondary'): RateLimitWindow | null => {
      const used = num(`${which}-used-percent`);
      if (used === null) return null;
      const reset = num(`${which}-reset-at`);
      const minutes = num(`${which}-window-minutes`);
      return { usedPercent: Math.round(used), windowDurationMins: minutes === null ? null : Math.round(minutes), resetsAt: reset === null ? null : Math.round(reset) };
    };
    const hasCredits = headers.get(`x-${limit}-credits-has-credits`);
    const credits =
      hasCredits === null
        ? null
        : { hasCredits: hasCredits === 'true', unlimited: headers.get(`x-${limit}-credits-unlimited`) === 'true', balance: headers.get(`x-${limit}-credits-balance`) };
    return { limitId: limit, limitName: null, primary: window('primary'), secondary: window('secondary'), credits, planType: null };
  });
}

interface UsageWindow {
  used_percent?: number;
  limit_window_seconds?: number;
  reset_at?: number;
}

/** Reads the ChatGPT usage endpoint's answer (`{plan_type, rate_limit: {primary_window, secondary_window}}`). */
export function parseUsageResponse(body: unknown): RateLimitSnapshot {
  const record = (body ?? {}) as { plan_type?: unknown; rate_limit?: { primary_window?: UsageWindow | null; secondary_window?: UsageWindow | null } };
  const window = (w: UsageWindow | null | undefined): RateLimitWindow | null =>
    w && typeof w.used_percent === 'number'
      ? {
          usedPercent: Math.round(w.used_percent),
          windowDurationMins: typeof w.limit_window_seconds === 'number' ? Math.round(w.limit_window_seconds / 60) : null,
          resetsAt: typeof w.reset_at === 'number' ? Math.round(w.reset_at) : null,
        }
      : null;
  return {
    limitId: 'codex',
    limitName: null,
    primary: window(record.rate_limit?.primary_window),
    secondary: window(record.rate_limit?.secondary_window),
    credits: null,
    planType: typeof record.plan_type === 'string' ? record.plan_type : null,
  };
}

/**
 * Where a ChatGPT sign-in's usage lives. With `chatgpt_base_url` set, under it as codex reads it (`/wham/usage`
 * beside a `/backend-api` base, `/api/codex/usage` otherwise); without, beside the ChatGPT backend, or behind a
 * custom provider's base URL.
 */
export function usageUrl(providerId: string, baseUrl: string, chatgptBaseUrl?: string): string {
  if (chatgptBaseUrl) {
    let base = chatgptBaseUrl.replace(/\/+$/, '');
    if (/^https:\/\/(chatgpt\.com|chat\.openai\.com)/.test(base) && !base.includes('/backend-api')) base += '/backend-api';
    return base.includes('/backend-api') ? `${base}/wham/usage` : `${base}/api/codex/usage`;
  }
  return providerId === 'openai' ? 'https://chatgpt.com/backend-api/wham/usage' : `${baseUrl.replace(/\/+$/, '')}/wham/usage`;
}
