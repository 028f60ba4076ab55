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
  if (amendmentIn(decision)) return 'accept';
  return 'decline';
}

/** The command prefix of an `acceptWithExecpolicyAmendment` answer, when it is one. */
function amendmentIn(decision: unknown): string[] | null {
  if (typeof decision !== 'object' || decision === null || !('acceptWithExecpolicyAmendment' in decision)) return null;
  const prefix = (decision.acceptWithExecpolicyAmendment as { execpolicy_amendment?: unknown } | null)?.execpolicy_amendment;
  return Array.isArray(prefix) && prefix.length > 0 && prefix.every((word) => typeof word === 'string') ? prefix : null;
}

/** An answer to a command approval: "accept and don't ask again for commands starting with …" carries that prefix. */
export interface CommandApprovalAnswer {
  decision: ApprovalDecision;
  amendment: string[] | null;
}

export async function askCommandApproval(
  context: ToolCallContext,
  request: { itemId: string; command: string; cwd: string; reason: string | null; commandActions: CommandAction[]; proposedAmendment: string[] | null },
  hold?: () => void,
): Promise<CommandApprovalAnswer> {
  const proposed = request.proposedAmendment;
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
      proposedExecpolicyAmendment: proposed,
      // The choices codex offers: run it, run it and allow its prefix from now on, or stop the turn.
      availableDecisions: proposed ? ['accept', { acceptWithExecpolicyAmendment: { execpolicy_amendment: proposed } }, 'cancel'] : ['accept', 'cancel'],
    }, { hold });
    const decision = readDecision(result);
    // Only the prefix offered can be accepted: a client cannot widen what the user saw.
    const amendment = amendmentIn((result as { decision?: unknown } | null)?.decision);
    const agreed = amendment && proposed && amendment.length === proposed.length && amendment.every((word, i) => word === proposed[i]) ? amendment : null;
    return { decision, amendment: agreed };
  } catch {
    return { decision: 'cancel', amendment: null };
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

