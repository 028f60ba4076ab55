// Threads: the data model and the thread/* methods and notifications.
import { z } from 'zod';
import { lazy } from './lazy';
import {
  ApprovalsReviewer,
  AskForApproval,
  GitInfo,
  Personality,
  ReasoningEffort,
  SandboxMode,
  SandboxPolicy,
  SessionSource,
  SortDirection,
  ThreadSortKey,
} from './common';
import { ThreadItem } from './items';
import { notification, request } from './method';

export const ThreadActiveFlag = lazy(() => z.enum(['waitingOnApproval', 'waitingOnUserInput']));
export const ThreadStatus = lazy(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('notLoaded') }),
  z.object({ type: z.literal('idle') }),
  z.object({ type: z.literal('systemError') }),
  z.object({ type: z.literal('active'), activeFlags: z.array(ThreadActiveFlag) }),
]));
export type ThreadStatus = z.infer<typeof ThreadStatus>;

const HttpStatusInfo = lazy(() => z.object({ httpStatusCode: z.number().int().nullish() }));
export const CodexErrorInfo = lazy(() => z.union([
  z.enum([
    'contextWindowExceeded',
    'sessionBudgetExceeded',
    'usageLimitExceeded',
    'rateLimitExceeded',
    'serverOverloaded',
    'modelNotFound',
    'cyberPolicy',
    'internalServerError',
    'unauthorized',
    'badRequest',
    'sandboxError',
    'other',
  ]),
  z.object({ httpConnectionFailed: HttpStatusInfo }).strict(),
  z.object({ responseStreamConnectionFailed: HttpStatusInfo }).strict(),
  z.object({ responseStreamDisconnected: HttpStatusInfo }).strict(),
  z.object({ responseTooManyFailedAttempts: HttpStatusInfo }).strict(),
  z.object({ activeTurnNotSteerable: z.object({ turnKind: z.enum(['review', 'compact']) }) }).strict(),
]));
export type CodexErrorInfo = z.infer<typeof CodexErrorInfo>;

export const TurnError = lazy(() => z.object({
  message: z.string(),
  codexErrorInfo: CodexErrorInfo.nullable(),
  additionalDetails: z.string().nullable(),
}));
export type TurnError = z.infer<typeof TurnError>;

export const TurnStatus = lazy(() => z.enum(['completed', 'interrupted', 'failed', 'inProgress']));
export type TurnStatus = z.infer<typeof TurnStatus>;

export const Turn = lazy(() => z.object({
  id: z.string(),
  /** The first turn of the chain of work that led to this one: the turn itself for a turn the user started. */
  rootTurnId: z.string().nullable().optional(),
  items: z.array(ThreadItem),
  itemsView: z.enum(['notLoaded', 'summary', 'full']),
  status: TurnStatus,
  error: TurnError.nullable(),
  startedAt: z.number().int().nullable(),
  completedAt: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
}));
export type Turn = z.infer<typeof Turn>;

/** Where a loaded thread runs: Tandem has one, the local machine, rooted at the thread's cwd. */
export const ThreadEnvironment = lazy(() => z.object({ environmentId: z.string(), cwd: z.string(), runtimeWorkspaceRoots: z.array(z.string()) }));
export type ThreadEnvironment = z.infer<typeof ThreadEnvironment>;

export const Thread = lazy(() => z.object({
  id: z.string(),
  sessionId: z.string(),
  /** The environments of a loaded or stored thread; codex lists them for both. */
  environments: z.array(ThreadEnvironment).nullable(),
  extra: z.record(z.string(), z.unknown()).nullable(),
  forkedFromId: z.string().nullable(),
  attachedToThreadId: z.string().nullable(),
  parentThreadId: z.string().nullable(),
  preview: z.string(),
  ephemeral: z.boolean(),
  model: z.string().nullable(),
  modelProvider: z.string(),
  reasoningEffort: ReasoningEffort.nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  recencyAt: z.number().int().nullable(),
  status: ThreadStatus,
  path: z.string().nullable(),
  cwd: z.string(),
  cliVersion: z.string(),
  originator: z.string().nullable(),
  source: SessionSource,
  threadSource: z.string().nullable(),
  agentNickname: z.string().nullable(),
  agentRole: z.string().nullable(),
  gitInfo: GitInfo.nullable(),
  name: z.string().nullable(),
  projectId: z.string().nullable(),
  section: z.unknown().nullable(),
  sectionEnteredAt: z.number().int().nullable(),
  /** `legacy`: history is read as whole turns (Tandem has no item-level pagination). */
  historyMode: z.enum(['legacy', 'paginated']),
  /** Whether turn input is accepted now: true for a loaded thread, null for a stored one. */
  canAcceptDirectInput: z.boolean().nullable(),
  daybreakEnabled: z.boolean().nullable(),
  turns: z.array(Turn),
}));
export type Thread = z.infer<typeof Thread>;

/** Settings a client may pass when starting, resuming or forking a thread. */
const threadSettingsParams = () => ({
  model: z.string().nullish(),
  modelProvider: z.string().nullish(),
  serviceTier: z.string().nullish(),
  cwd: z.string().nullish(),
  approvalPolicy: AskForApproval.nullish(),
  approvalsReviewer: ApprovalsReviewer.nullish(),
  sandbox: SandboxMode.nullish(),
  config: z.record(z.string(), z.unknown()).nullish(),
  baseInstructions: z.string().nullish(),
  developerInstructions: z.string().nullish(),
  personality: Personality.nullish(),
  /** A built-in permissions profile (`:read-only`, `:workspace`, `:danger-full-access`) instead of `sandbox`. */
  permissions: z.string().nullish(),
  // Checked, not ignored: only what Tandem can do is accepted (see the server's paramChecks).
  runtimeWorkspaceRoots: z.array(z.string()).nullish(),
  environments: z.array(z.object({ environmentId: z.string(), cwd: z.string(), runtimeWorkspaceRoots: z.array(z.string()).nullish() }).loose()).nullish(),
});

const FunctionDynamicToolSpec = lazy(() => z.object({
  type: z.literal('function').optional(),
  name: z.string(),
  description: z.string(),
  inputSchema: z.unknown(),
  deferLoading: z.boolean().optional(),
}));
export type FunctionDynamicToolSpec = z.infer<typeof FunctionDynamicToolSpec>;

/** Tools grouped under one name: the model calls a member with `namespace` set to that name. */
const NamespaceDynamicToolSpec = lazy(() => z.object({
  type: z.literal('namespace'),
  name: z.string(),
  description: z.string(),
  tools: z.array(FunctionDynamicToolSpec.extend({ type: z.literal('function') })),
}));
export type NamespaceDynamicToolSpec = z.infer<typeof NamespaceDynamicToolSpec>;

// A spec without `type` is a function, as codex reads it.
export const DynamicToolSpec = lazy(() => z.union([NamespaceDynamicToolSpec, FunctionDynamicToolSpec]));
export type DynamicToolSpec = z.infer<typeof DynamicToolSpec>;

export const ThreadStartParams = lazy(() => z.object({
  ...threadSettingsParams(),
  serviceName: z.string().nullish(),
  ephemeral: z.boolean().nullish(),
  sessionStartSource: z.enum(['startup', 'clear']).nullish(),
  threadSource: z.string().nullish(),
  dynamicTools: z.array(DynamicToolSpec).nullish(),
  /** Kept with the thread and shown as its `projectId`. */
  projectId: z.string().nullish(),
  // Accepted as codex documents them (no effect here): deprecated, test-only, or a contract Tandem reports back.
  multiAgentMode: z.unknown().optional(),
  mockExperimentalField: z.string().nullish(),
  historyMode: z.enum(['legacy', 'paginated']).nullish(),
  allowProviderModelFallback: z.boolean().nullish(),
  // Refused unless off: features Tandem does not have.
  daybreakEnabled: z.boolean().nullish(),
  experimentalRawEvents: z.boolean().nullish(),
  selectedCapabilityRoots: z.array(z.unknown()).nullish(),
}));
export type ThreadStartParams = z.infer<typeof ThreadStartParams>;

/** A collaboration mode with the settings it runs with (codex's snake_case field names). */
export const CollaborationMode = lazy(() => z.object({
  mode: z.enum(['plan', 'default']),
  settings: z.object({ model: z.string(), reasoning_effort: ReasoningEffort.nullable(), developer_instructions: z.string().nullable() }),
}));
export type CollaborationMode = z.infer<typeof CollaborationMode>;

/** A collaboration mode as clients send it: the mode, and settings that also change the model and effort. */
export const CollaborationModeParams = lazy(() =>
  z
    .object({
      mode: z.enum(['plan', 'default']),
      settings: z.object({ model: z.string().nullish(), reasoning_effort: ReasoningEffort.nullish(), developer_instructions: z.string().nullish() }).loose().nullish(),
    })
    .loose(),
);
export type CollaborationModeParams = z.infer<typeof CollaborationModeParams>;

export const ThreadSessionResponse = lazy(() => z.object({
  thread: Thread,
  model: z.string(),
  modelProvider: z.string(),
  serviceTier: z.string().nullable(),
  /** Tandem has no plugins; none are disabled. */
  disabledPluginIds: z.array(z.string()),
  cwd: z.string(),
  /** The roots the thread's workspace-relative permissions resolve against: its cwd. */
  runtimeWorkspaceRoots: z.array(z.string()),
  instructionSources: z.array(z.string()),
  approvalPolicy: AskForApproval,
  approvalsReviewer: ApprovalsReviewer,
  sandbox: SandboxPolicy,
  /** Tandem's own (codex has no such switch): every patch asks, even inside the writable roots. Absent when off. */
  reviewFileChanges: z.boolean().optional(),
  /** Null: the sandbox comes from the sandbox mode, not from a named permission profile. */
  activePermissionProfile: z.object({ id: z.string(), extends: z.string().nullable() }).nullable(),
  reasoningEffort: ReasoningEffort.nullable(),
  multiAgentMode: z.literal('explicitRequestOnly'),
  /** thread/resume only: the collaboration mode in effect and where paginated history would start. */
  collaborationMode: CollaborationMode.optional(),
  /** thread/resume's `initialTurnsPage`: the thread/turns/list page asked for, else null. */
  initialTurnsPage: z.object({ data: z.array(Turn), nextCursor: z.string().nullable(), backwardsCursor: z.string().nullable().optional() }).nullable().optional(),
  turnsBackwardsCursor: z.string().nullable().optional(),
  itemsBackwardsCursor: z.string().nullable().optional(),
}));
export type ThreadSessionResponse = z.infer<typeof ThreadSessionResponse>;

export const ThreadStart = request('thread/start', () => ThreadStartParams, () => ThreadSessionResponse);

export const ThreadResumeParams = lazy(() => z.object({
  threadId: z.string(),
  ...threadSettingsParams(),
  excludeTurns: z.boolean().optional(),
  /** Experimental: Responses API items a new thread starts from, instead of a stored thread. */
  history: z.array(z.unknown()).nullish(),
  /** Experimental: the rollout file to resume; `threadId` is then ignored unless that thread is loaded. */
  path: z.string().nullish(),
  /** Experimental: a thread/turns/list page to include in the response. */
  initialTurnsPage: z
    .object({ limit: z.number().int().nonnegative().nullish(), sortDirection: SortDirection.nullish(), itemsView: z.enum(['notLoaded', 'summary', 'full']).nullish() })
    .nullish(),
}));
export type ThreadResumeParams = z.infer<typeof ThreadResumeParams>;
export const ThreadResume = request('thread/resume', () => ThreadResumeParams, () => ThreadSessionResponse);

export const ThreadForkParams = lazy(() => z.object({
  threadId: z.string(),
  lastTurnId: z.string().nullish(),
  ...threadSettingsParams(),
  ephemeral: z.boolean().optional(),
  threadSource: z.string().nullish(),
}));
export const ThreadFork = request('thread/fork', () => ThreadForkParams, () => ThreadSessionResponse);

export const ThreadRead = request(
  'thread/read',
  () => z.object({ threadId: z.string(), includeTurns: z.boolean().optional() }),
  () => z.object({ thread: Thread, readState: z.null().optional() }),
);

const Page = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable(), backwardsCursor: z.string().nullable().optional() });

export const ThreadTurnsList = request(
  'thread/turns/list',
  () => z.object({
    threadId: z.string(),
    cursor: z.string().nullish(),
    limit: z.number().int().positive().nullish(),
    sortDirection: SortDirection.nullish(),
    itemsView: z.enum(['notLoaded', 'summary', 'full']).nullish(),
  }),
  () => Page(Turn),
);

export const ThreadListParams = lazy(() => z.object({
  cursor: z.string().nullish(),
  limit: z.number().int().nonnegative().nullish(),
  sortKey: ThreadSortKey.nullish(),
  sortDirection: SortDirection.nullish(),
  modelProviders: z.array(z.string()).nullish(),
  sourceKinds: z.array(z.string()).nullish(),
  archived: z.boolean().nullish(),
  cwd: z.union([z.string(), z.array(z.string())]).nullish(),
  searchTerm: z.string().nullish(),
  /** A section id keeps only threads in that section; absent or null, every thread. */
  sectionId: z.string().nullish(),
  useStateDbOnly: z.boolean().optional(),
}));
export type ThreadListParams = z.infer<typeof ThreadListParams>;
export const ThreadList = request('thread/list', () => ThreadListParams, () => Page(Thread));

export const ThreadLoadedList = request(
  'thread/loaded/list',
  () => z.object({ cursor: z.string().nullish(), limit: z.number().int().nonnegative().nullish() }),
  () => z.object({ data: z.array(z.string()), nextCursor: z.string().nullable() }),
);

const ThreadIdParams = lazy(() => z.object({ threadId: z.string() }));
export const ThreadArchive = request('thread/archive', () => ThreadIdParams, () => z.object({}));
export const ThreadUnarchive = request('thread/unarchive', () => ThreadIdParams, () => z.object({ thread: Thread }));
export const ThreadNameSet = request('thread/name/set', () => z.object({ threadId: z.string(), name: z.string() }), () => z.object({}));
export const ThreadUnsubscribe = request(
  'thread/unsubscribe',
  () => ThreadIdParams,
  () => z.object({ status: z.enum(['unsubscribed', 'notSubscribed', 'notLoaded']) }),
);

/** Starts a compaction turn; progress arrives as turn and item events with one `contextCompaction` item. */
export const ThreadCompactStart = request('thread/compact/start', () => ThreadIdParams, () => z.object({}));
/** Deprecated in Codex in favour of the `contextCompaction` item; still sent for older clients. */
export const ThreadCompacted = notification('thread/compacted', () => z.object({ threadId: z.string(), turnId: z.string() }));
export const ThreadClosed = notification('thread/closed', () => ThreadIdParams);

export const ThreadStarted = notification('thread/started', () => z.object({ thread: Thread }));
export const ThreadStatusChanged = notification('thread/status/changed', () => z.object({ threadId: z.string(), status: ThreadStatus }));
export const ThreadArchived = notification('thread/archived', () => ThreadIdParams);
export const ThreadUnarchived = notification('thread/unarchived', () => ThreadIdParams);
export const ThreadNameUpdated = notification('thread/name/updated', () => z.object({ threadId: z.string(), threadName: z.string().nullish() }));

export const TokenUsageBreakdown = lazy(() => z.object({
  totalTokens: z.number().int(),
  inputTokens: z.number().int(),
  cachedInputTokens: z.number().int(),
  outputTokens: z.number().int(),
  reasoningOutputTokens: z.number().int(),
}));
export type TokenUsageBreakdown = z.infer<typeof TokenUsageBreakdown>;
export const ThreadTokenUsage = lazy(() => z.object({ total: TokenUsageBreakdown, last: TokenUsageBreakdown, modelContextWindow: z.number().int().nullable() }));
export type ThreadTokenUsage = z.infer<typeof ThreadTokenUsage>;
export const ThreadTokenUsageUpdated = notification(
  'thread/tokenUsage/updated',
  () => z.object({ threadId: z.string(), turnId: z.string(), tokenUsage: ThreadTokenUsage }),
);

export const Warning = notification('warning', () => z.object({ message: z.string(), threadId: z.string().nullish() }));
