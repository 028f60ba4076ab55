// What a client does to a thread besides turns: run the user's own shell command in it, list and stop the
// processes it left running, rewind its history, add raw items to it, delete it.
import { z } from 'zod';
import { lazy } from './lazy';
import { notification, request } from './method';
import { CollaborationMode, CollaborationModeParams, Thread, ThreadEnvironment, Turn } from './thread';
import { ApprovalsReviewer, AskForApproval, ReasoningEffort, ReasoningSummary, SandboxPolicy } from './common';

const ThreadIdOnly = lazy(() => z.object({ threadId: z.string() }));

/** The user's own command (`!cmd`), run unsandboxed with the thread's shell, outside the model's loop. */
export const ThreadShellCommand = request(
  'thread/shellCommand',
  () => z.object({ threadId: z.string(), command: z.string(), timeoutMs: z.number().int().nonnegative().nullish() }),
  () => z.object({}),
);

export const ThreadBackgroundTerminal = lazy(() => z.object({
  processId: z.string(),
  itemId: z.string(),
  command: z.string(),
  cwd: z.string(),
  osPid: z.number().int().nonnegative().nullable(),
  cpuPercent: z.number().nullable(),
  rssKb: z.number().int().nonnegative().nullable(),
}));
export type ThreadBackgroundTerminal = z.infer<typeof ThreadBackgroundTerminal>;

export const ThreadBackgroundTerminalsList = request(
  'thread/backgroundTerminals/list',
  () => z.object({ threadId: z.string(), cursor: z.string().nullish(), limit: z.number().int().nonnegative().nullish() }),
  () => z.object({ data: z.array(ThreadBackgroundTerminal), nextCursor: z.string().nullable() }),
);
export const ThreadBackgroundTerminalsClean = request('thread/backgroundTerminals/clean', () => ThreadIdOnly, () => z.object({}));
export const ThreadBackgroundTerminalsTerminate = request(
  'thread/backgroundTerminals/terminate',
  () => z.object({ threadId: z.string(), processId: z.string() }),
  () => z.object({ terminated: z.boolean() }),
);

export const ThreadDelete = request('thread/delete', () => ThreadIdOnly, () => z.object({}));
export const ThreadDeleted = notification('thread/deleted', () => ThreadIdOnly);

/** Rewinds the history only: the turns from `beforeTurnId` on leave the thread and the model's next request. */
export const ThreadRevert = request(
  'thread/revert',
  () => z.object({ threadId: z.string(), beforeTurnId: z.string() }),
  () => z.object({ thread: Thread, itemsBackwardsCursor: z.string().nullish(), turnsBackwardsCursor: z.string().nullish() }),
);
export const ThreadReverted = notification('thread/reverted', () => ThreadIdOnly);

/** Raw Responses API items added to the model's history, outside any turn. */
export const ThreadInjectItems = request('thread/inject_items', () => z.object({ threadId: z.string(), items: z.array(z.unknown()) }), () => z.object({}));

/** Settings for the thread's next turns (the TUI's /model, /permissions, /plan and Shift+Tab). */
export const ThreadSettingsUpdate = request(
  'thread/settings/update',
  () =>
    z
      .object({
        threadId: z.string(),
        model: z.string().nullish(),
        effort: ReasoningEffort.nullish(),
        summary: ReasoningSummary.nullish(),
        approvalPolicy: AskForApproval.nullish(),
        approvalsReviewer: ApprovalsReviewer.nullish(),
        sandboxPolicy: SandboxPolicy.nullish(),
        serviceTier: z.string().nullish(),
        cwd: z.string().nullish(),
        collaborationMode: CollaborationModeParams.nullish(),
      })
      .loose(),
  () => z.object({}),
);

/** The settings the next turn of a thread uses, as `thread/settings/updated` reports them. */
export const ThreadSettingsView = lazy(() => z.object({
  model: z.string(),
  modelProvider: z.string(),
  serviceTier: z.string().nullable(),
  effort: ReasoningEffort.nullable(),
  summary: ReasoningSummary.nullable(),
  approvalPolicy: AskForApproval,
  approvalsReviewer: ApprovalsReviewer,
  sandboxPolicy: SandboxPolicy,
  /** Tandem's own (codex has no such switch): every patch asks, even inside the writable roots. Absent when off. */
  reviewFileChanges: z.boolean().optional(),
  activePermissionProfile: z.object({ id: z.string(), extends: z.string().nullable() }).nullable(),
  cwd: z.string(),
  environments: z.array(ThreadEnvironment).nullable(),
  collaborationMode: CollaborationMode,
  disabledPluginIds: z.array(z.string()),
  multiAgentMode: z.literal('explicitRequestOnly'),
  personality: z.null(),
}));
export type ThreadSettingsView = z.infer<typeof ThreadSettingsView>;

export const ThreadSettingsUpdated = notification('thread/settings/updated', () => z.object({ threadId: z.string(), threadSettings: ThreadSettingsView }), { experimental: true });

export const ReviewTarget = lazy(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('uncommittedChanges') }),
  z.object({ type: z.literal('baseBranch'), branch: z.string() }),
  z.object({ type: z.literal('commit'), sha: z.string(), title: z.string().nullish() }),
  z.object({ type: z.literal('custom'), instructions: z.string() }),
]));
export type ReviewTarget = z.infer<typeof ReviewTarget>;

/** A review of code changes as a turn of the thread (`/review`). */
export const ReviewStart = request(
  'review/start',
  // codex 0.169 reviews inline only; a client wanting a separate thread starts one and reviews there.
  () => z.object({ threadId: z.string(), target: ReviewTarget, delivery: z.enum(['inline']).nullish() }),
  () => z.object({ turn: Turn, reviewThreadId: z.string() }),
);
