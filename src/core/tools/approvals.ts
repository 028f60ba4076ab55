// Asking the user (through the client) before a command runs or a patch is written, and remembering
// "for this session" answers per thread. A reply that cannot be read counts as decline; a client error
// or a closed connection counts as decline for patches and cancel for commands.
import { type CommandAction, CommandExecutionRequestApproval, FileChangeRequestApproval } from '../../protocol';
import type { ToolCallContext } from './registry';

/** Said when the turn stopped (an interrupt, the server shutting down) while the user had not answered. */
export const INTERRUPTED_AT_APPROVAL = 'the turn was interrupted before the approval was answered';

export type ApprovalDecision = 'accept' | 'acceptForSession' | 'decline' | 'cancel';

function readDecision(result: unknown): ApprovalDecision {
  const decision = (result as { decision?: unknown } | null)?.decision;
  if (decision === 'accept' || decision === 'acceptForSession' || decision === 'decline' || decision === 'cancel') return decision;
  if (typeof decision === 'object' && decision !== null && 'acceptWithExecpolicyAmendment' in decision) return 'accept';
  return 'decline';
}

export async function askCommandApproval(
  context: ToolCallContext,
  request: { itemId: string; command: string; cwd: string; reason: string | null; commandActions: CommandAction[] },
  hold?: () => void,
): Promise<ApprovalDecision> {
  try {
    const result = await context.requestFromClient(CommandExecutionRequestApproval, {
      threadId: context.threadId,
      turnId: context.turnId,
      itemId: request.itemId,
      startedAtMs: Date.now(),
      approvalId: null,
      environmentId: null,
      reason: request.reason,
      command: request.command,
      cwd: request.cwd,
      commandActions: request.commandActions,
    }, { hold });
    return readDecision(result);
  } catch {
    return 'cancel';
  }
}

export async function askFileChangeApproval(context: ToolCallContext, request: { itemId: string; reason: string | null; grantRoot: string | null }): Promise<ApprovalDecision> {
  try {
    const result = await context.requestFromClient(FileChangeRequestApproval, {
      threadId: context.threadId,
      turnId: context.turnId,
      itemId: request.itemId,
      startedAtMs: Date.now(),
      reason: request.reason,
      grantRoot: request.grantRoot,
    });
    return readDecision(result);
  } catch {
    return 'decline';
  }
}

