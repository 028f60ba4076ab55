// What the native approval dialogs say and how a choice maps to a decision. Free of the vscode module so
// the wording and the mapping are tested on their own; approvals.ts shows them.
import type { CommandAction, FileUpdateChange, SandboxPolicy } from '../protocol';

export type Decision = 'accept' | 'acceptForSession' | 'decline' | 'cancel';

export interface Prompt {
  message: string;
  detail: string;
  choices: Array<{ title: string; decision: Decision }>;
  /** What dismissing the dialog (Escape) means. */
  dismissed: Decision;
}

export interface CommandApprovalParams {
  command?: string | null;
  cwd?: string | null;
  reason?: string | null;
  commandActions?: CommandAction[] | null;
}

export function commandPrompt(params: CommandApprovalParams, sandboxed: string): Prompt {
  const lines = [params.command ?? '(no command given)', '', `in ${params.cwd ?? 'the workspace'}`];
  if (params.reason) lines.push('', params.reason);
  lines.push('', sandboxed);
  return {
    message: 'Tandem wants to run a command',
    detail: lines.join('\n'),
    choices: [
      { title: 'Run', decision: 'accept' },
      { title: 'Run for This Session', decision: 'acceptForSession' },
      { title: 'Deny', decision: 'decline' },
    ],
    // Closing the dialog stops the turn, as Codex's "cancel" does.
    dismissed: 'cancel',
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

export function decisionFor(prompt: Prompt, chosenTitle: string | undefined): Decision {
  return prompt.choices.find((c) => c.title === chosenTitle)?.decision ?? prompt.dismissed;
}
