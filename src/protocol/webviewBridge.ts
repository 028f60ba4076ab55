// Messages between the chat webview and the extension host. The webview speaks the app-server protocol
// through `request` (checked against an allow-list by the host); the host forwards the server's
// notifications. Server requests (approvals) never reach the webview: the host answers them.
import { z } from 'zod';
import { lazy } from './lazy';
import { JsonRpcErrorObject } from './jsonrpc';
import type { ServerNotification } from './serverMessages';
import type { ReviewTarget } from './threadActions';
import { CHAT_MODES } from './chatModes';
import { ContextAttachment, MAX_CONTEXT_ATTACHMENTS, type IdeContext } from './ideContext';

export { L10N_BUNDLE_ELEMENT_ID } from './webviewPage';

/** Client methods the webview may call through the host. */
export const WEBVIEW_ALLOWED_METHODS = [
  'thread/start',
  'thread/resume',
  'thread/read',
  'thread/list',
  'thread/turns/list',
  'thread/name/set',
  'thread/archive',
  'thread/unarchive',
  'thread/unsubscribe',
  'thread/compact/start',
  'turn/start',
  'turn/steer',
  'turn/interrupt',
  'review/start',
  'fuzzyFileSearch',
  'model/list',
  'tandem/checkpoint/list',
] as const;
export type WebviewAllowedMethod = (typeof WEBVIEW_ALLOWED_METHODS)[number];

/**
 * The pickers' host calls, answered with `response` or `error` under their id: what new threads start
 * with, *Set as default*, and the one-time *Full access* warning (true once the user has accepted it).
 * The chat never writes the config itself: only these keys, through the host.
 */
export const WebviewSettingsCall = lazy(() => z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('readDefaults'), id: z.number().int().nonnegative() }),
  z.object({
    kind: z.literal('saveDefaults'),
    id: z.number().int().nonnegative(),
    defaults: z.object({ model: z.string().min(1).max(300), effort: z.string().min(1).max(40).nullable(), mode: z.enum(CHAT_MODES).nullable() }),
  }),
  z.object({ kind: z.literal('confirmFullAccess'), id: z.number().int().nonnegative() }),
]));
export type WebviewSettingsCall = z.infer<typeof WebviewSettingsCall>;

export const WebviewToHost = lazy(() => z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready') }),
  z.object({ kind: z.literal('request'), id: z.number().int().nonnegative(), method: z.string(), params: z.unknown().optional() }),
  z.object({ kind: z.literal('setActiveThread'), threadId: z.string().nullable() }),
  z.object({ kind: z.literal('openLink'), url: z.string().max(8192) }),
  /** Opens a change in the diff editor: the pending review again, or the diff of a written change. */
  z.object({ kind: z.literal('showChange'), itemId: z.string().max(200) }),
  /** Decides a pending patch from its chat card (the host owns the request; this only names a choice). */
  z.object({ kind: z.literal('decideChange'), itemId: z.string().max(200), decision: z.enum(['accept', 'acceptForSession', 'decline']) }),
  /** Opens the host's picker of the files of a pending patch to accept (its chat card's Choose Files… button). */
  z.object({ kind: z.literal('chooseChangeFiles'), itemId: z.string().max(200) }),
  z.object({ kind: z.literal('copy'), text: z.string().max(1_000_000) }),
  /**
   * The user pressed a key in the composer (sent at most every few hundred ms): while they type, the host
   * holds a new approval dialog back, so a keystroke meant for the chat cannot land in it.
   */
  z.object({ kind: z.literal('composerTyping') }),
  /** Opens the approval dialog of a pending command (its chat card's Review… button). */
  z.object({ kind: z.literal('reviewCommand'), itemId: z.string().max(200) }),
  /** Opens a file at a line in the editor (a review finding's location). */
  z.object({ kind: z.literal('openFile'), path: z.string().min(1).max(4096), line: z.number().int().positive().max(10_000_000).optional() }),
  ...WebviewSettingsCall.options,
  /**
   * Deletes a thread from the history: the host asks first (a modal) and answers under `id` with
   * `{ deleted }` (false when the user kept it), or an error.
   */
  z.object({ kind: z.literal('deleteThread'), id: z.number().int().nonnegative(), threadId: z.string().min(1, 'is empty').max(200) }),
  /**
   * Gathers the context a message carries (the editor's selection, problems, the terminal, a web page):
   * answered under `id` with `{ input }`, the user input items to send before the user's text, or an error.
   */
  z.object({ kind: z.literal('resolveContext'), id: z.number().int().nonnegative(), attachments: z.array(ContextAttachment).min(1).max(MAX_CONTEXT_ATTACHMENTS) }),
  /**
   * Restores files from a checkpoint and/or rewinds the conversation (a change summary's or a user message's
   * action). The host shows what will change and asks first, in VS Code's own UI, then answers under `id`
   * with `{ restored, rewound }` (both false when the user kept things as they were), or an error.
   */
  z.object({
    kind: z.literal('restoreCheckpoint'),
    id: z.number().int().nonnegative(),
    threadId: z.string().min(1).max(200),
    /** The files back to before this checkpoint's turn (and, with `includeLater`, every later one). */
    files: z.object({ turnId: z.string().min(1).max(300), includeLater: z.boolean() }).optional(),
    /** The conversation back to before this turn (codex's `thread/revert`). */
    rewindBeforeTurnId: z.string().min(1).max(300).optional(),
  }),
  /** Opens one file of a checkpoint in the diff editor: as it was before the turn against what the turn left. */
  z.object({
    kind: z.literal('openCheckpointDiff'),
    threadId: z.string().min(1).max(200),
    turnId: z.string().min(1).max(300),
    path: z.string().min(1).max(4096),
  }),
  /** A choice on the first-run welcome: sign in, look for local model servers, or use one of their models. */
  z.object({
    kind: z.literal('welcome'),
    action: z.enum(['signInWithChatGpt', 'signInWithApiKey', 'detectLocalModels', 'useLocalModel']),
    provider: z.enum(['ollama', 'lmstudio']).optional(),
    model: z.string().min(1).max(300).optional(),
  }),
]));
export type WebviewToHost = z.infer<typeof WebviewToHost>;
export type CheckpointRestoreCall = Extract<WebviewToHost, { kind: 'restoreCheckpoint' }>;
export type CheckpointDiffCall = Extract<WebviewToHost, { kind: 'openCheckpointDiff' }>;

export interface WebviewHostState {
  /** The thread the chat shows, kept by the host so a reload comes back to it. */
  activeThreadId: string | null;
  workspaceName: string | null;
  /** Folders of the workspace, for @-mention file search and the history's default scope. */
  workspaceRoots: string[];
  /** The user's home folder: the history shows folders under it as `~/…`. */
  homeDir?: string | null;
  /** Why the agent is limited (an untrusted workspace, no credentials), if it is. */
  notice: string | null;
  /** Why the composer cannot send (not signed in, say); null when it can. */
  composerDisabledReason: string | null;
  pendingApprovals: PendingApproval[];
  /** True in an untrusted workspace: the mode picker offers only *Read only*. */
  restricted?: boolean;
  /** The first-run welcome, while there are no credentials for the provider; absent or null otherwise. */
  welcome?: WelcomeState | null;
  /** The active editor and the terminal, for the composer's context chips; then `ideContext` messages. */
  ideContext?: IdeContext;
}

/** A local model server that answered, and the models it serves. */
export interface LocalModelServer {
  provider: 'ollama' | 'lmstudio';
  name: string;
  models: string[];
}

export interface WelcomeState {
  /** True while the host is asking the local servers. */
  detecting: boolean;
  localServers: LocalModelServer[];
}

/** An approval the host is waiting on the user for; the chat card of that item mirrors it. */
export interface PendingApproval {
  itemId: string;
  threadId: string;
  /** `mcpTool`: a call of an MCP server's tool (its dialog opens like a command's). */
  kind: 'command' | 'patch' | 'mcpTool';
}

export type HostToWebview =
  /** The active editor or the terminal changed (sent debounced). */
  | { kind: 'ideContext'; context: IdeContext }
  | { kind: 'state'; state: WebviewHostState }
  | { kind: 'response'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: JsonRpcErrorObject }
  | ({ kind: 'notification' } & ServerNotification)
  | { kind: 'approvals'; pending: PendingApproval[] }
  | { kind: 'command'; command: 'newThread' | 'focusComposer' | 'interrupt' | 'showHistory' }
  /** Reviews changes in the shown thread (a new one when none is shown): the *Review Changes* command. */
  | { kind: 'review'; target: ReviewTarget };
