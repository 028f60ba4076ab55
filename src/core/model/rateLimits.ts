// Rate-limit state from model response headers: `x-<limit>-primary-used-percent`, `-window-minutes`,
// `-reset-at`, the same for `secondary`, and `x-<limit>-credits-has-credits|unlimited|balance`.

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
export function parseRateLimitHeaders(headers: Headers): RateLimitSnapshot[] {
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
