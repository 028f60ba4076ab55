// The host side of the chat webview: every message from the webview is parsed with zod; requests go to
// the in-process server only for allow-listed methods; notifications from the server are forwarded.
// Free of the vscode module so it can be tested on its own.
import {
  ErrorCode,
  RpcError,
  WEBVIEW_ALLOWED_METHODS,
  WebviewToHost,
  describeZodError,
  type CheckpointDiffCall,
  type CheckpointRestoreCall,
  type ContextAttachment,
  type HostToWebview,
  type ServerNotification,
  type UserInput,
  type WebviewHostState,
  type WebviewSettingsCall,
} from '../protocol';
import type { Logger } from '../core/log';
import { asksForFullAccess, readDefaults, saveDefaults } from './chatSettings';

export interface BridgeClient {
  request(method: string, params?: unknown): Promise<unknown>;
}

export interface BridgeHost {
  post(message: HostToWebview): void;
  state(): WebviewHostState;
  setActiveThread(threadId: string | null): void;
  openLink(url: URL): void;
  showChange(itemId: string): void;
  decideChange(itemId: string, decision: 'accept' | 'acceptForSession' | 'decline'): void;
  /** Asks which files of a pending patch to accept. */
  chooseChangeFiles?(itemId: string): void;
  copy(text: string): void;
  /** The user is typing in the composer. */
  composerTyping(): void;
  /** Opens a pending command's approval dialog. */
  reviewCommand(itemId: string): void;
  /** Opens a file at a line in the editor (a review finding's location). */
  openFile(path: string, line: number | undefined): void;
  /** True in an untrusted workspace: every thread and turn is forced read-only, asking before everything. */
  restricted(): boolean;
  /** Sees each successful response (the host learns each thread's sandbox from thread/start and thread/resume). */
  observeResponse?(method: string, result: unknown): void;
  /** A choice on the first-run welcome (sign in, or use a local model). */
  welcome?(message: Extract<WebviewToHost, { kind: 'welcome' }>): void;
  /** Whether the user has accepted the *Full access* warning; asks once (a modal) when not yet. */
  confirmFullAccess?(): Promise<boolean>;
  /** Whether it was accepted before: a request for full access without that is refused. */
  fullAccessAccepted?(): boolean;
  /** Deletes a thread once the user confirms (a modal); false when they keep it. */
  deleteThread?(threadId: string): Promise<{ deleted: boolean }>;
  /** Gathers what a message attaches from the editor (see contextAttachments.ts): the input items to send. */
  resolveContext?(attachments: readonly ContextAttachment[]): Promise<UserInput[]>;
  /** Restores files from a checkpoint and/or rewinds the conversation, once the user confirms (see checkpointRestore.ts). */
  restoreCheckpoint?(call: CheckpointRestoreCall): Promise<{ restored: boolean; rewound: boolean }>;
  /** Opens one file of a checkpoint in the diff editor. */
  openCheckpointDiff?(call: CheckpointDiffCall): void;
}

const ALLOWED = new Set<string>(WEBVIEW_ALLOWED_METHODS);
/** Schemes the chat may open; anything else (file:, command:, javascript:) is refused. */
const OPENABLE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

export class ChatBridge {
  constructor(
    private readonly client: BridgeClient,
    private readonly host: BridgeHost,
    private readonly logger: Logger,
  ) {}

  async receive(raw: unknown): Promise<void> {
    const parsed = WebviewToHost.safeParse(raw);
    if (!parsed.success) {
      const reason = describeZodError(parsed.error);
      this.logger.warn('ignored a malformed message from the chat view', { reason });
      // A call the chat waits on is answered, so it can say what went wrong instead of waiting forever.
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'number' && Number.isInteger(id) && id >= 0) this.host.post({ kind: 'error', id, error: { code: ErrorCode.InvalidRequest, message: `Invalid message from the chat: ${reason}` } });
      return;
    }
    const message = parsed.data;
    switch (message.kind) {
      case 'ready':
        this.host.post({ kind: 'state', state: this.host.state() });
        return;
      case 'setActiveThread':
        this.host.setActiveThread(message.threadId);
        return;
      case 'openLink':
        this.openLink(message.url);
        return;
      case 'openFile':
        this.host.openFile(message.path, message.line);
        return;
      case 'showChange':
        this.host.showChange(message.itemId);
        return;
      case 'decideChange':
        this.host.decideChange(message.itemId, message.decision);
        return;
      case 'chooseChangeFiles':
        this.host.chooseChangeFiles?.(message.itemId);
        return;
      case 'copy':
        this.host.copy(message.text);
        return;
      case 'composerTyping':
        this.host.composerTyping();
        return;
      case 'reviewCommand':
        this.host.reviewCommand(message.itemId);
        return;
      case 'welcome':
        this.host.welcome?.(message);
        return;
      case 'request':
        await this.forwardRequest(message.id, message.method, message.params);
        return;
      case 'readDefaults':
      case 'saveDefaults':
      case 'confirmFullAccess':
        await this.answer(message.id, () => this.settingsCall(message));
        return;
      case 'resolveContext':
        await this.answer(message.id, async () => {
          if (!this.host.resolveContext) throw new RpcError(ErrorCode.InvalidRequest, 'Context from the editor is not available here');
          return { input: await this.host.resolveContext(message.attachments) };
        });
        return;
      case 'openCheckpointDiff':
        this.host.openCheckpointDiff?.(message);
        return;
      case 'restoreCheckpoint':
        await this.answer(message.id, async () => {
          if (!this.host.restoreCheckpoint) throw new RpcError(ErrorCode.InvalidRequest, 'Restoring files is not available here');
          return this.host.restoreCheckpoint(message);
        });
        return;
      case 'deleteThread':
        await this.answer(message.id, async () => {
          if (!this.host.deleteThread) throw new RpcError(ErrorCode.InvalidRequest, 'Deleting threads is not available here');
          return this.host.deleteThread(message.threadId);
        });
        return;
    }
  }

  private async settingsCall(call: WebviewSettingsCall): Promise<unknown> {
    if (call.kind === 'readDefaults') return readDefaults(this.client);
    if (call.kind === 'confirmFullAccess') return (await this.host.confirmFullAccess?.()) ?? false;
    // An untrusted folder keeps the saved mode as it is: the chat offers nothing wider there.
    const mode = this.host.restricted() ? null : call.defaults.mode;
    if (mode === 'fullAccess' && !this.host.fullAccessAccepted?.()) throw new RpcError(ErrorCode.InvalidRequest, 'Full access needs its warning accepted first');
    await saveDefaults(this.client, { ...call.defaults, mode });
    return {};
  }

  forwardNotification(notification: ServerNotification): void {
    this.host.post({ kind: 'notification', ...notification });
  }

  private async forwardRequest(id: number, method: string, params: unknown): Promise<void> {
    if (!ALLOWED.has(method)) {
      this.host.post({ kind: 'error', id, error: { code: ErrorCode.InvalidRequest, message: `${method} is not available to the chat view` } });
      return;
    }
    if (!this.host.restricted() && asksForFullAccess(method, params) && !this.host.fullAccessAccepted?.()) {
      this.host.post({ kind: 'error', id, error: { code: ErrorCode.InvalidRequest, message: 'Full access needs its warning accepted first' } });
      return;
    }
    await this.answer(id, async () => {
      const result = await this.client.request(method, this.host.restricted() ? restrict(method, params) : params);
      this.host.observeResponse?.(method, result);
      return result;
    });
  }

  private async answer(id: number, run: () => Promise<unknown>): Promise<void> {
    try {
      this.host.post({ kind: 'response', id, result: await run() });
    } catch (error) {
      const rpc = error instanceof RpcError ? error.toObject() : { code: ErrorCode.Internal, message: error instanceof Error ? error.message : String(error) };
      this.host.post({ kind: 'error', id, error: rpc });
    }
  }

  private openLink(text: string): void {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      this.logger.warn('refused to open a link that is not a URL', { url: text.slice(0, 200) });
      return;
    }
    if (!OPENABLE_SCHEMES.has(url.protocol)) {
      this.logger.warn('refused to open a link with an unsafe scheme', { scheme: url.protocol });
      return;
    }
    this.host.openLink(url);
  }
}

/**
 * In an untrusted workspace the chat cannot widen what the agent may do: threads start and resume
 * read-only with every command asked for, and a turn cannot override that.
 */
export function restrict(method: string, params: unknown): unknown {
  if (typeof params !== 'object' || params === null) return params;
  // A permissions profile would widen the sandbox again: it goes.
  const rest = Object.fromEntries(Object.entries(params).filter(([key]) => key !== 'permissions'));
  if (method === 'thread/start' || method === 'thread/resume') return { ...rest, approvalPolicy: 'untrusted', sandbox: 'read-only' };
  if (method === 'turn/start') return { ...rest, approvalPolicy: 'untrusted', sandboxPolicy: { type: 'readOnly' } };
  return params;
}
