// What the native approval dialogs say and how a choice maps to a decision. Free of the vscode module so
// the wording and the mapping are tested on their own; approvals.ts shows them.
import type { CommandAction, FileUpdateChange } from '../protocol';

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

const MAX_DIFF_LINES = 40;

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

export function patchPrompt(changes: readonly FileUpdateChange[], reason: string | null | undefined, workspaceRoot: string | undefined): Prompt {
  const rel = (p: string) => (workspaceRoot && p.startsWith(workspaceRoot + '/') ? p.slice(workspaceRoot.length + 1) : p);
  const files = changes.map((c) => `${c.kind.type === 'add' ? 'A' : c.kind.type === 'delete' ? 'D' : 'M'} ${rel(c.path)}${c.kind.type === 'update' && c.kind.move_path ? ` → ${rel(c.kind.move_path)}` : ''}`);
  const diffLines = changes.flatMap((c) => c.diff.split('\n')).filter((l) => !l.startsWith('---') && !l.startsWith('+++') && !l.startsWith('Index:'));
  const shown = diffLines.slice(0, MAX_DIFF_LINES);
  const more = diffLines.length > MAX_DIFF_LINES ? [`… ${diffLines.length - MAX_DIFF_LINES} more lines`] : [];
  return {
    message: `Tandem wants to change ${changes.length === 1 ? '1 file' : `${changes.length} files`}`,
    detail: [...(reason ? [reason, ''] : []), ...files, '', ...shown, ...more].join('\n'),
    choices: [
      { title: 'Accept', decision: 'accept' },
      { title: 'Accept for Session', decision: 'acceptForSession' },
      { title: 'Reject', decision: 'decline' },
    ],
    dismissed: 'decline',
  };
}

export function decisionFor(prompt: Prompt, chosenTitle: string | undefined): Decision {
  return prompt.choices.find((c) => c.title === chosenTitle)?.decision ?? prompt.dismissed;
}
