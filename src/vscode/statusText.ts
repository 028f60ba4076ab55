// What the status-bar item says, from what the server reports. Free of the vscode module for tests, so
// its words go through @vscode/l10n.
import * as l10n from '@vscode/l10n';

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

type LimitWindow = { usedPercent: number; windowDurationMins: number | null };

function windowName(minutes: number): string {
  if (minutes % 10080 === 0) return l10n.t('{0}-week', minutes / 10080);
  if (minutes % 1440 === 0) return l10n.t('{0}-day', minutes / 1440);
  if (minutes % 60 === 0) return l10n.t('{0}-hour', minutes / 60);
  return l10n.t('{0}-minute', minutes);
}

function limitLine(which: 'primary' | 'secondary', window: LimitWindow): string {
  const used = window.usedPercent;
  if (window.windowDurationMins === null) return which === 'primary' ? l10n.t('Primary limit: {0}% used', used) : l10n.t('Secondary limit: {0}% used', used);
  const span = windowName(window.windowDurationMins);
  return which === 'primary' ? l10n.t('Primary limit: {0}% used of the {1} window', used, span) : l10n.t('Secondary limit: {0}% used of the {1} window', used, span);
}

function accountLine(account: NonNullable<StatusFacts['account']>): string {
  if (account.type === 'apiKey') return l10n.t('Tandem: signed in with API key');
  return account.email ? l10n.t('Tandem: signed in with ChatGPT ({0}), {1}', account.email, account.planType) : l10n.t('Tandem: signed in with ChatGPT, {0}', account.planType);
}

const modelLine = (model: string | null) => (model ? l10n.t('Model: {0}', model) : l10n.t('Model: the default'));
const untrustedLine = () => l10n.t('Untrusted workspace: read-only, asks before everything');

export function statusText(facts: StatusFacts): { text: string; tooltip: string } {
  const icon = facts.restricted ? '$(shield)' : '$(sparkle)';
  if (!facts.account && facts.signInNeeded !== false) {
    return { text: `${icon} ${l10n.t('Tandem: sign in')}`, tooltip: l10n.t('Tandem: not signed in. Click to sign in or use a local model.') };
  }
  if (!facts.account) {
    const lines = [facts.provider ? l10n.t('Tandem: using {0} (no sign-in needed)', facts.provider) : l10n.t('Tandem: using a provider (no sign-in needed)'), modelLine(facts.model)];
    if (facts.restricted) lines.push(untrustedLine());
    return { text: `${icon} ${facts.model ?? 'Tandem'}`, tooltip: lines.join('\n') };
  }
  const primary = facts.rateLimits?.primary;
  const used = primary ? ` ${primary.usedPercent}%` : '';
  const lines = [accountLine(facts.account), modelLine(facts.model)];
  if (primary) lines.push(limitLine('primary', primary));
  if (facts.rateLimits?.secondary) lines.push(limitLine('secondary', facts.rateLimits.secondary));
  if (facts.restricted) lines.push(untrustedLine());
  return { text: `${icon} ${facts.model ?? 'Tandem'}${used}`, tooltip: lines.join('\n') };
}
