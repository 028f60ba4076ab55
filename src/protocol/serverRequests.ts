// Requests the server sends to clients: approvals, client-run (dynamic) tools and token refreshes, and the
// notification that tells every client a request was answered.
import { z } from 'zod';
import { RequestId } from './jsonrpc';
import { CommandAction, DynamicToolCallOutputContentItem } from './items';
import { notification, request } from './method';

const ApprovalScope = { threadId: z.string(), turnId: z.string(), itemId: z.string(), startedAtMs: z.number().int() };

/** What a user may answer; `acceptWithExecpolicyAmendment` accepts and adds an allow rule for the command's prefix. */
export const CommandExecutionApprovalDecision = z.union([
  z.enum(['accept', 'acceptForSession', 'decline', 'cancel']),
  z.object({ acceptWithExecpolicyAmendment: z.object({ execpolicy_amendment: z.array(z.string()) }) }),
]);
export const FileChangeApprovalDecision = z.enum(['accept', 'acceptForSession', 'decline', 'cancel']);

export const CommandExecutionRequestApproval = request(
  'item/commandExecution/requestApproval',
  z.object({
    ...ApprovalScope,
    approvalId: z.string().nullable(),
    environmentId: z.string().nullable(),
    reason: z.string().nullable(),
    command: z.string().nullable(),
    cwd: z.string().nullable(),
    commandActions: z.array(CommandAction).nullable(),
    /** The prefix an "accept and don't ask again" answer would allow. */
    proposedExecpolicyAmendment: z.array(z.string()).nullable().optional(),
    availableDecisions: z.array(CommandExecutionApprovalDecision).nullable().optional(),
  }),
  z.object({ decision: CommandExecutionApprovalDecision }),
);

export const FileChangeRequestApproval = request(
  'item/fileChange/requestApproval',
  z.object({ ...ApprovalScope, reason: z.string().nullable(), grantRoot: z.string().nullable() }),
  z.object({ decision: FileChangeApprovalDecision }),
);

export const DynamicToolCall = request(
  'item/tool/call',
  z.object({ threadId: z.string(), turnId: z.string(), callId: z.string(), namespace: z.string().nullable(), tool: z.string(), arguments: z.unknown() }),
  z.object({ contentItems: z.array(DynamicToolCallOutputContentItem), success: z.boolean() }),
);

export const ChatgptAuthTokensRefresh = request(
  'account/chatgptAuthTokens/refresh',
  z.object({ reason: z.enum(['unauthorized']), previousAccountId: z.string().nullable() }),
  z.object({ accessToken: z.string(), chatgptAccountId: z.string(), chatgptPlanType: z.string().nullish() }),
);

export const ServerRequestResolved = notification('serverRequest/resolved', z.object({ threadId: z.string(), requestId: RequestId }));
