// What the native approval dialogs say and how a choice maps to a decision. Free of the vscode module so
// the wording and the mapping are tested on their own; approvals.ts shows them. The words go through
// @vscode/l10n, which the extension gives VS Code's bundle for the display language.
import * as l10n from '@vscode/l10n';
import { shellScriptOf } from '../protocol/shellCommand';
import type { CommandAction, FileUpdateChange, SandboxPolicy } from '../protocol';

/** `acceptPrefix`: run it, and from now on every command that starts with the prefix the server proposed. */
export type Decision = 'accept' | 'acceptForSession' | 'acceptPrefix' | 'decline' | 'cancel';
/** What a dialog can come back with: a decision, or `later` (closed without one; the request stays pending). */
export type Answer = Decision | 'later';

export interface Prompt {
  message: string;
  detail: string;
  /**
   * In this order. VS Code focuses the first button of a modal (the custom dialog focuses it, the native one
   * makes it the default), so Enter presses it: the first choice must never decide anything.
   */
  choices: Array<{ title: string; answer: Answer }>;
  /** What dismissing the dialog (Escape, the close button, VS Code's own Cancel) means. */
  dismissed: Answer;
}

/** The harmless first button of the command dialog: closes it and leaves the command waiting. */
export function notNowTitle(): string {
  return l10n.t('Not Now');
}

export interface CommandApprovalParams {
  command?: string | null;
  cwd?: string | null;
  reason?: string | null;
  commandActions?: CommandAction[] | null;
  /** The command prefix "always run" would allow (the server proposes it; codex calls it an amendment). */
  proposedExecpolicyAmendment?: string[] | null;
}

/** The button that allows a prefix from now on, its words shortened to fit a button. */
export function alwaysRunTitle(prefix: readonly string[]): string {
  const words = prefix.join(' ');
  return l10n.t('Always Run “{0}”', words.length > 32 ? `${words.slice(0, 31)}…` : words);
}

export function commandPrompt(params: CommandApprovalParams, sandboxed: string): Prompt {
  const lines = [params.command ? shellScriptOf(params.command) : l10n.t('(no command given)'), '', params.cwd ? l10n.t('in {0}', params.cwd) : l10n.t('in the workspace')];
  if (params.reason) lines.push('', params.reason);
  if (params.proposedExecpolicyAmendment?.length) {
    lines.push('', l10n.t('“Always Run” also runs, without asking, every later command that starts with: {0} (saved in Tandem’s rules/default.rules).', params.proposedExecpolicyAmendment.join(' ')));
  }
  // The server's reason says when an approved command would run bare (an escalation, no sandbox on this
  // machine, a rerun after a sandbox denial); the thread's sandbox then no longer describes it.
  const bare = /outside the sandbox|without the sandbox|no sandbox is available/i.test(params.reason ?? '');
  const notNow = notNowTitle();
  lines.push(
    '',
    bare ? l10n.t('No sandbox: if you run it, it runs with your full permissions.') : sandboxed,
    '',
    l10n.t('{0}, Cancel or Escape leave the command waiting; its card in the chat opens this again.', notNow),
  );
  return {
    message: l10n.t('Tandem wants to run a command'),
    detail: lines.join('\n'),
    choices: [
      // A keystroke meant for something else (the dialog can open while the user types) lands here.
      { title: notNow, answer: 'later' },
      { title: l10n.t('Run'), answer: 'accept' },
      { title: l10n.t('Run for This Session'), answer: 'acceptForSession' },
      ...(params.proposedExecpolicyAmendment?.length ? [{ title: alwaysRunTitle(params.proposedExecpolicyAmendment), answer: 'acceptPrefix' as const }] : []),
      { title: l10n.t('Deny'), answer: 'decline' },
    ],
    // Closing the dialog decides nothing either: a dismissal is as easy to do by accident as Enter.
    dismissed: 'later',
  };
}

/**
 * The notification that goes with a patch review while it waits (it closes once decided): where to decide,
 * since VS Code gives a notification that can close itself no buttons of its own.
 */
export function patchSummary(changes: readonly FileUpdateChange[], reason: string | null | undefined): string {
  const names = changes.map((c) => c.path.split(/[\\/]/).pop() ?? c.path);
  const files = names.length <= 3 ? names.join(', ') : l10n.t('{0} and {1} more', names.slice(0, 3).join(', '), names.length - 3);
  const count = changes.length === 1 ? l10n.t('1 file') : l10n.t('{0} files', changes.length);
  const what = files ? l10n.t('Tandem wants to change {0} ({1}).', count, files) : l10n.t('Tandem wants to change {0}.', count);
  const next =
    changes.length > 1
      ? l10n.t('Review the diff, then accept, reject or choose files from its title bar or the chat.')
      : l10n.t('Review the diff, then accept or reject from its title bar or the chat.');
  return [what, next, reason].filter(Boolean).join(' ');
}

/** A file of a pending change in the *Choose Files* picker; checked means accepted. */
export interface FileChoice {
  label: string;
  description: string;
  picked: boolean;
  /** As the item's change names it: what the answer sends back. */
  path: string;
}

/** The picker's entries: every file checked, labelled by its workspace-relative path and what happens to it. */
export function fileChoices(changes: readonly FileUpdateChange[], label: (file: string) => string): FileChoice[] {
  return changes.map((change) => {
    const moved = change.kind.type === 'update' && change.kind.move_path ? change.kind.move_path : null;
    const description =
      change.kind.type === 'add' ? l10n.t('added') : change.kind.type === 'delete' ? l10n.t('deleted') : moved ? l10n.t('moved to {0}', label(moved)) : l10n.t('modified');
    return { label: label(change.path), description, picked: true, path: change.path };
  });
}

/**
 * What the picker's answer decides: nothing (dismissed), a decline (nothing checked), the whole change (all
 * checked), or only the checked files.
 */
export function choiceAnswer(all: readonly FileUpdateChange[], checked: readonly FileChoice[] | undefined): { decision: 'accept' | 'decline'; files?: string[] } | undefined {
  if (checked === undefined) return undefined;
  if (checked.length === 0) return { decision: 'decline' };
  const files = [...new Set(checked.map((choice) => choice.path))];
  return files.length >= new Set(all.map((change) => change.path)).size ? { decision: 'accept' } : { decision: 'accept', files };
}

/** What the dialog says about where an approved command runs, from the thread's sandbox policy. */
export function sandboxNote(sandbox: SandboxPolicy | undefined, untrustedFolder: boolean): string {
  if (untrustedFolder) return l10n.t('The folder is not trusted: the command runs read-only.');
  switch (sandbox?.type) {
    case 'readOnly':
      return l10n.t('Sandbox: read-only. The command cannot change files.');
    case 'workspaceWrite':
      return sandbox.networkAccess ? l10n.t('Sandbox: it can write only inside the workspace.') : l10n.t('Sandbox: it can write only inside the workspace, without network access.');
    case 'dangerFullAccess':
      return l10n.t('No sandbox: the command runs with your full permissions.');
    case 'externalSandbox':
      return l10n.t('Runs in the sandbox this editor was started in.');
    default:
      return l10n.t('Runs in the thread’s sandbox.');
  }
}

export function answerFor(prompt: Prompt, chosenTitle: string | undefined): Answer {
  return prompt.choices.find((c) => c.title === chosenTitle)?.answer ?? prompt.dismissed;
}

/** The notification that stands in for a dialog held back (the user was typing) or closed without a decision. */
export function waitingNotice(command: string | null | undefined): string {
  const shown = command ? (command.length > 120 ? `${command.slice(0, 119)}…` : command) : l10n.t('a command');
  return l10n.t('Tandem is waiting for your approval to run: {0}', shown);
}

/** The notification's action that opens the dialog. */
export function reviewActionTitle(): string {
  return l10n.t('Review…');
}
