// What the status-bar item says, from what the server reports. Free of the vscode module for tests.
export interface StatusFacts {
  account: { type: 'apiKey' } | { type: 'chatgpt'; email: string | null; planType: string } | null;
  model: string | null;
  rateLimits: { primary: { usedPercent: number; windowDurationMins: number | null } | null; secondary: { usedPercent: number; windowDurationMins: number | null } | null } | null;
  restricted: boolean;
  /** The configured provider (`model_provider`), when the config names one. */
  provider?: string | null;
  /** The provider needs credentials and there are none (a local provider needs none). */
  signInNeeded?: boolean;
}

function windowName(minutes: number | null): string {
  if (minutes === null) return 'window';
  if (minutes % 10080 === 0) return `${minutes / 10080}-week`;
  if (minutes % 1440 === 0) return `${minutes / 1440}-day`;
  if (minutes % 60 === 0) return `${minutes / 60}-hour`;
  return `${minutes}-minute`;
}

export function statusText(facts: StatusFacts): { text: string; tooltip: string } {
  const icon = facts.restricted ? '$(shield)' : '$(sparkle)';
  if (!facts.account && facts.signInNeeded !== false) {
    return { text: `${icon} Tandem: sign in`, tooltip: 'Tandem: not signed in. Click to sign in or use a local model.' };
  }
  if (!facts.account) {
    const lines = [`Tandem: using ${facts.provider ?? 'a provider'} (no sign-in needed)`, `Model: ${facts.model ?? 'the default'}`];
    if (facts.restricted) lines.push('Untrusted workspace: read-only, asks before everything');
    return { text: `${icon} ${facts.model ?? 'Tandem'}`, tooltip: lines.join('\n') };
  }
  const who = facts.account.type === 'apiKey' ? 'API key' : `ChatGPT${facts.account.email ? ` (${facts.account.email})` : ''}, ${facts.account.planType}`;
  const primary = facts.rateLimits?.primary;
  const used = primary ? ` ${primary.usedPercent}%` : '';
  const lines = [`Tandem: signed in with ${who}`, `Model: ${facts.model ?? 'the default'}`];
  for (const [label, window] of [['Primary', facts.rateLimits?.primary], ['Secondary', facts.rateLimits?.secondary]] as const) {
    if (window) lines.push(`${label} limit: ${window.usedPercent}% used of the ${windowName(window.windowDurationMins)} window`);
  }
  if (facts.restricted) lines.push('Untrusted workspace: read-only, asks before everything');
  return { text: `${icon} ${facts.model ?? 'Tandem'}${used}`, tooltip: lines.join('\n') };
}
