// Requests the server sends to clients: approvals, client-run (dynamic) tools and token refreshes, and the
// notification that tells every client a request was answered.
import { z } from 'zod';
import { lazy } from './lazy';
import { RequestId } from './jsonrpc';
import { CommandAction, DynamicToolCallOutputContentItem } from './items';
import { notification, request } from './method';

const approvalScope = () => ({ threadId: z.string(), turnId: z.string(), itemId: z.string(), startedAtMs: z.number().int() });

/** What a user may answer; `acceptWithExecpolicyAmendment` accepts and adds an allow rule for the command's prefix. */
export const CommandExecutionApprovalDecision = lazy(() => z.union([
  z.enum(['accept', 'acceptForSession', 'decline', 'cancel']),
  z.object({ acceptWithExecpolicyAmendment: z.object({ execpolicy_amendment: z.array(z.string()) }) }),
]));
export const FileChangeApprovalDecision = lazy(() => z.enum(['accept', 'acceptForSession', 'decline', 'cancel']));

export const CommandExecutionRequestApproval = request(
  'item/commandExecution/requestApproval',
  () => z.object({
    ...approvalScope(),
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
  () => z.object({ decision: CommandExecutionApprovalDecision }),
);

/** The most an edited file's `content` may hold (in UTF-16 code units): far above source files, yet bounded. */
export const MAX_EDITED_CONTENT = 20 * 1024 * 1024;

/**
 * Tandem's own: one file of a change the user accepted, named by its `path` as the item's `changes` name it.
 * `content`, for an added or updated file, is what to write instead of the proposal: the user kept some of
 * its hunks and rejected others, or edited it. Strict, so a field added later is refused by a server that
 * does not know it rather than read as "the whole file".
 */
export const TandemAcceptedFile = lazy(() => z.object({ path: z.string().min(1), content: z.string().max(MAX_EDITED_CONTENT).optional() }).strict());
export type TandemAcceptedFile = z.infer<typeof TandemAcceptedFile>;

/** How many files a partial accept may name: far more than any patch a model writes, yet bounded. */
export const MAX_ACCEPTED_FILES = 10_000;

export const FileChangeRequestApproval = request(
  'item/fileChange/requestApproval',
  () => z.object({ ...approvalScope(), reason: z.string().nullable(), grantRoot: z.string().nullable() }),
  () => z.object({
    decision: FileChangeApprovalDecision,
    /**
     * Tandem's own, optional: with `accept` or `acceptForSession`, only these files of the change are written
     * (an empty list writes nothing: a decline). Left out, the whole change is written, as codex does.
     */
    tandemAcceptedFiles: z.array(TandemAcceptedFile).max(MAX_ACCEPTED_FILES).optional(),
  }),
);

export const DynamicToolCall = request(
  'item/tool/call',
  () => z.object({ threadId: z.string(), turnId: z.string(), callId: z.string(), namespace: z.string().nullable(), tool: z.string(), arguments: z.unknown() }),
  () => z.object({ contentItems: z.array(DynamicToolCallOutputContentItem), success: z.boolean() }),
);

export const ChatgptAuthTokensRefresh = request(
  'account/chatgptAuthTokens/refresh',
  () => z.object({ reason: z.enum(['unauthorized']), previousAccountId: z.string().nullable() }),
  () => z.object({ accessToken: z.string(), chatgptAccountId: z.string(), chatgptPlanType: z.string().nullish() }),
);

export const ServerRequestResolved = notification('serverRequest/resolved', () => z.object({ threadId: z.string(), requestId: RequestId }));
