// Asking the user (through the client) before a command runs or a patch is written, and remembering
// "for this session" answers per thread. A reply that cannot be read counts as decline; a client error
// or a closed connection counts as decline for patches and cancel for commands. When the thread's
// questions go to the automatic reviewer, it answers instead: accept or decline, never "for the session".
import { type CommandAction, CommandExecutionRequestApproval, FileChangeRequestApproval, describeZodError } from '../../protocol';
import type { AutoReviewVerdict } from '../approvals/autoReviewer';
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
  /** What the model is told when the automatic reviewer said no (in place of "the user declined"). */
  note?: string;
}

/** An answer to a patch approval. */
export interface FileChangeApprovalAnswer {
  decision: ApprovalDecision;
  note?: string;
  /** Tandem's partial accept: the paths (as the item's changes name them) the user accepted; absent means all. */
  acceptedPaths?: string[];
  /** Tandem's per-hunk review: what to write instead of the proposal, by path (hunks rejected, the user's edits). */
  editedContents?: Map<string, string>;
  /** Why the answer's list of accepted files cannot be read (then nothing is written). */
  unreadable?: string;
}

const fromVerdict = (verdict: AutoReviewVerdict): FileChangeApprovalAnswer => (verdict.approved ? { decision: 'accept' } : { decision: 'decline', note: verdict.note });

/** The files a Tandem client accepted (`tandemAcceptedFiles`), checked against the schema; codex clients send none. */
function acceptedFilesIn(result: unknown): Pick<FileChangeApprovalAnswer, 'acceptedPaths' | 'editedContents' | 'unreadable'> {
  const raw = (result as { tandemAcceptedFiles?: unknown } | null)?.tandemAcceptedFiles;
  if (raw === undefined) return {};
  const parsed = FileChangeRequestApproval.result.shape.tandemAcceptedFiles.safeParse(raw);
  if (!parsed.success) return { unreadable: `tandemAcceptedFiles is not a list of {path, content?} entries (${describeZodError(parsed.error)})` };
  const files = parsed.data ?? [];
  const edited = files.filter((file) => file.content !== undefined);
  return { acceptedPaths: files.map((file) => file.path), ...(edited.length > 0 ? { editedContents: new Map(edited.map((file) => [file.path, file.content!])) } : {}) };
}

export async function askCommandApproval(
  context: ToolCallContext,
  request: { itemId: string; command: string; cwd: string; reason: string | null; commandActions: CommandAction[]; proposedAmendment: string[] | null },
  hold?: () => void,
): Promise<CommandApprovalAnswer> {
  if (context.autoReview) {
    hold?.();
    const verdict = await context.autoReview({
      itemId: request.itemId,
      action: { type: 'command', source: 'unifiedExec', command: request.command, cwd: request.cwd },
      planned: { tool: 'exec_command', command: request.command, cwd: request.cwd, reason: request.reason },
    });
    return { ...fromVerdict(verdict), amendment: null };
  }
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

export async function askFileChangeApproval(
  context: ToolCallContext,
  request: { itemId: string; reason: string | null; grantRoot: string | null; files: string[]; patch: string },
): Promise<FileChangeApprovalAnswer> {
  if (context.autoReview) {
    const verdict = await context.autoReview({
      itemId: request.itemId,
      action: { type: 'applyPatch', cwd: context.cwd, files: request.files },
      planned: { tool: 'apply_patch', cwd: context.cwd, files: request.files, reason: request.reason, patch: request.patch },
    });
    return fromVerdict(verdict);
  }
  try {
    const result = await context.requestFromClient(FileChangeRequestApproval, {
      threadId: context.threadId,
      turnId: context.turnId,
      itemId: request.itemId,
      startedAtMs: Date.now(),
      reason: request.reason,
      grantRoot: request.grantRoot,
    });
    return { decision: readDecision(result), ...acceptedFilesIn(result) };
  } catch {
    return { decision: 'decline' };
  }
}

