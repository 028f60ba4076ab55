// A thread's settings in plain words, in the user's language: the modes' and efforts' names in the pickers
// and the header. Which settings make which mode is the protocol's (modeOf).
import * as l10n from '@vscode/l10n';
import type { AskForApproval, ChatMode, SandboxPolicy } from '../src/protocol';
import { modeOf } from '../src/protocol/chatModes';

export function modeLabel(mode: ChatMode): string {
  switch (mode) {
    case 'readOnly':
      return l10n.t('Read only');
    case 'review':
      return l10n.t('Review changes');
    case 'auto':
      return l10n.t('Auto');
    case 'fullAccess':
      return l10n.t('Full access');
  }
}

export function modeDescription(mode: ChatMode): string {
  switch (mode) {
    case 'readOnly':
      return l10n.t('Reads and runs read-only commands; asks before any change.');
    case 'review':
      return l10n.t('Every change opens in the diff editor for your decision; commands run in the sandbox and ask only to leave it.');
    case 'auto':
      return l10n.t('Edits inside the workspace are applied without asking; commands run in the sandbox and ask only to leave it.');
    case 'fullAccess':
      return l10n.t('Edits and runs anything, anywhere, without asking and without a sandbox.');
  }
}

/** What the sandbox allows, as the start of a sentence. */
function sandboxWords(sandbox: SandboxPolicy['type']): string {
  switch (sandbox) {
    case 'readOnly':
      return l10n.t('Read only');
    case 'workspaceWrite':
      return l10n.t('Writes in the workspace');
    case 'dangerFullAccess':
      return l10n.t('Full access');
    case 'externalSandbox':
      return l10n.t('An external sandbox');
  }
}

function askWords(approvalPolicy: AskForApproval): string {
  if (approvalPolicy === 'untrusted') return l10n.t('asks before every command and change');
  if (approvalPolicy === 'never') return l10n.t('never asks');
  return typeof approvalPolicy === 'string' ? l10n.t('asks when needed') : l10n.t('asks some questions');
}

/** "low effort": a reasoning effort as the header and the effort picker name it. */
export function effortLabel(effort: string): string {
  return l10n.t('{0} effort', effort);
}

/** The settings in plain words: the mode's name, or what an unnamed combination does. */
export function describeMode(approvalPolicy: AskForApproval, sandbox: SandboxPolicy['type'], reviewFileChanges: boolean): string {
  const mode = modeOf(approvalPolicy, sandbox, reviewFileChanges);
  if (mode) return modeLabel(mode);
  const what = l10n.t({ message: '{0}, {1}', args: [sandboxWords(sandbox), askWords(approvalPolicy)], comment: ['What the sandbox allows, then when Tandem asks: "Read only, asks when needed"'] });
  return reviewFileChanges && approvalPolicy !== 'untrusted' && approvalPolicy !== 'never' ? l10n.t('{0}, reviews every change', what) : what;
}
