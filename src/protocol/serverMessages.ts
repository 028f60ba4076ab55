// Every message the app-server sends on its own: the notifications and the server→client requests. The
// server sends only through these descriptors, clients reduce the union they define, and a test checks
// each against codex's schema.
import type { NotificationMessage } from './method';
import { AutoApprovalReviewCompleted, AutoApprovalReviewStarted, GuardianWarning } from './autoReview';
import { AccountLoginCompleted, AccountRateLimitsUpdated, AccountUpdated } from './account';
import { CommandExecOutputDelta } from './command';
import { ConfigWarning } from './config';
import { FuzzyFileSearchSessionCompleted, FuzzyFileSearchSessionUpdated } from './search';
import { ThreadGoalCleared, ThreadGoalUpdated } from './goals';
import {
  AgentMessageDelta,
  CommandExecutionOutputDelta,
  ItemCompleted,
  ItemStarted,
  ReasoningSummaryPartAdded,
  ReasoningSummaryTextDelta,
  ReasoningTextDelta,
} from './items';
import { ChatgptAuthTokensRefresh, CommandExecutionRequestApproval, DynamicToolCall, FileChangeRequestApproval, ServerRequestResolved } from './serverRequests';
import {
  ThreadArchived,
  ThreadClosed,
  ThreadCompacted,
  ThreadNameUpdated,
  ThreadStarted,
  ThreadStatusChanged,
  ThreadTokenUsageUpdated,
  ThreadUnarchived,
  Warning,
} from './thread';
import { ErrorNotification, TurnCompleted, TurnDiffUpdated, TurnPlanUpdated, TurnStarted } from './turn';
import { ThreadDeleted, ThreadReverted, ThreadSettingsUpdated } from './threadActions';
import { McpServerOauthLoginCompleted, McpServerStartupStatusUpdated, McpToolCallProgress } from './mcp';

export const SERVER_NOTIFICATIONS = [
  ThreadStarted,
  ThreadStatusChanged,
  ThreadArchived,
  ThreadUnarchived,
  ThreadClosed,
  ThreadNameUpdated,
  ThreadTokenUsageUpdated,
  ThreadCompacted,
  ThreadGoalUpdated,
  ThreadGoalCleared,
  ThreadDeleted,
  ThreadReverted,
  ThreadSettingsUpdated,
  TurnStarted,
  TurnCompleted,
  TurnPlanUpdated,
  TurnDiffUpdated,
  ErrorNotification,
  ItemStarted,
  ItemCompleted,
  AgentMessageDelta,
  ReasoningSummaryTextDelta,
  ReasoningSummaryPartAdded,
  ReasoningTextDelta,
  CommandExecutionOutputDelta,
  McpToolCallProgress,
  McpServerStartupStatusUpdated,
  McpServerOauthLoginCompleted,
  AutoApprovalReviewStarted,
  AutoApprovalReviewCompleted,
  GuardianWarning,
  ServerRequestResolved,
  CommandExecOutputDelta,
  AccountUpdated,
  AccountLoginCompleted,
  AccountRateLimitsUpdated,
  Warning,
  ConfigWarning,
  FuzzyFileSearchSessionUpdated,
  FuzzyFileSearchSessionCompleted,
] as const;

export const SERVER_REQUESTS = [CommandExecutionRequestApproval, FileChangeRequestApproval, DynamicToolCall, ChatgptAuthTokensRefresh] as const;

export type ServerNotificationDescriptor = (typeof SERVER_NOTIFICATIONS)[number];
export type ServerRequestDescriptor = (typeof SERVER_REQUESTS)[number];
/** Any notification the server sends, narrowed by its method. */
export type ServerNotification = NotificationMessage<ServerNotificationDescriptor>;
export type ServerNotificationMethod = ServerNotification['method'];
export type ServerNotificationParams<M extends ServerNotificationMethod> = Extract<ServerNotification, { method: M }>['params'];

const NOTIFICATION_METHODS: ReadonlySet<string> = new Set(SERVER_NOTIFICATIONS.map((d) => d.method));

/** Whether a message names a notification the server sends (its params are the server's own, typed at the source). */
export function isServerNotification(message: { method: string; params: unknown }): message is ServerNotification {
  return NOTIFICATION_METHODS.has(message.method);
}
