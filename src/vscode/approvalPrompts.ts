// What the native approval dialogs say and how a choice maps to a decision. Free of the vscode module so
// the wording and the mapping are tested on their own; approvals.ts shows them.
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
export const NOT_NOW = 'Not Now';

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
  return `Always Run “${words.length > 32 ? `${words.slice(0, 31)}…` : words}”`;
}

export function commandPrompt(params: CommandApprovalParams, sandboxed: string): Prompt {
  const lines = [params.command ? shellScriptOf(params.command) : '(no command given)', '', `in ${params.cwd ?? 'the workspace'}`];
  if (params.reason) lines.push('', params.reason);
  if (params.proposedExecpolicyAmendment?.length) {
    lines.push('', `“Always Run” also runs, without asking, every later command that starts with: ${params.proposedExecpolicyAmendment.join(' ')} (saved in Tandem’s rules/default.rules).`);
  }
  // The server's reason says when an approved command would run bare (an escalation, no sandbox on this
  // machine, a rerun after a sandbox denial); the thread's sandbox then no longer describes it.
  const bare = /outside the sandbox|without the sandbox|no sandbox is available/i.test(params.reason ?? '');
  lines.push('', bare ? 'No sandbox: if you run it, it runs with your full permissions.' : sandboxed, '', `${NOT_NOW}, Cancel or Escape leave the command waiting; its card in the chat opens this again.`);
  return {
    message: 'Tandem wants to run a command',
    detail: lines.join('\n'),
    choices: [
      // A keystroke meant for something else (the dialog can open while the user types) lands here.
      { title: NOT_NOW, answer: 'later' },
      { title: 'Run', answer: 'accept' },
      { title: 'Run for This Session', answer: 'acceptForSession' },
      ...(params.proposedExecpolicyAmendment?.length ? [{ title: alwaysRunTitle(params.proposedExecpolicyAmendment), answer: 'acceptPrefix' as const }] : []),
      { title: 'Deny', answer: 'decline' },
    ],
    // Closing the dialog decides nothing either: a dismissal is as easy to do by accident as Enter.
    dismissed: 'later',
  };
}

/** The one-line notification that goes with a patch review in the diff editor. */
export function patchSummary(changes: readonly FileUpdateChange[], reason: string | null | undefined): string {
  const names = changes.map((c) => c.path.split(/[\\/]/).pop() ?? c.path);
  const files = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  const what = `Tandem wants to change ${changes.length === 1 ? '1 file' : `${changes.length} files`}${files ? ` (${files})` : ''}.`;
  return `${what} Review the diff, then accept or reject.${reason ? ` ${reason}` : ''}`;
}

/** What the dialog says about where an approved command runs, from the thread's sandbox policy. */
export function sandboxNote(sandbox: SandboxPolicy | undefined, untrustedFolder: boolean): string {
  if (untrustedFolder) return 'The folder is not trusted: the command runs read-only.';
  switch (sandbox?.type) {
    case 'readOnly':
      return 'Sandbox: read-only. The command cannot change files.';
    case 'workspaceWrite':
      return `Sandbox: it can write only inside the workspace${sandbox.networkAccess ? '' : ', without network access'}.`;
    case 'dangerFullAccess':
      return 'No sandbox: the command runs with your full permissions.';
    case 'externalSandbox':
      return 'Runs in the sandbox this editor was started in.';
    default:
      return 'Runs in the thread’s sandbox.';
  }
}

export function answerFor(prompt: Prompt, chosenTitle: string | undefined): Answer {
  return prompt.choices.find((c) => c.title === chosenTitle)?.answer ?? prompt.dismissed;
}

/** The notification that stands in for a dialog held back (the user was typing) or closed without a decision. */
export function waitingNotice(command: string | null | undefined): string {
  const shown = command ? (command.length > 120 ? `${command.slice(0, 119)}…` : command) : 'a command';
  return `Tandem is waiting for your approval to run: ${shown}`;
}

/** The notification's action that opens the dialog. */
export const REVIEW_ACTION = 'Review…';
