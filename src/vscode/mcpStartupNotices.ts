// Tells the user when an MCP server fails to start, once per server and failure: every thread starts its
// own servers, so the same failure arrives once per thread and would otherwise repeat. A server that
// starts again (or a restart the user asked for) lets a later failure be told. Free of the vscode module.
import * as l10n from '@vscode/l10n';
import type { ServerNotification } from '../protocol';

/** Characters of a failure shown in a notification; the log and the MCP Servers list have the rest. */
const MAX_REASON_CHARS = 300;

export interface StartupNoticeHost {
  /** Shows a warning with one action; resolves with the action when it was chosen. */
  warn(message: string, action: string): PromiseLike<string | undefined>;
  /** Opens the MCP Servers list. */
  showServers(): void;
}

export class McpStartupNotices {
  /** The failure last told, by server. */
  private readonly told = new Map<string, string>();
  /** Why each server last failed to start, for the MCP Servers list. */
  private readonly failures = new Map<string, string>();

  constructor(private readonly host: StartupNoticeHost) {}

  observe(notification: ServerNotification): void {
    if (notification.method !== 'mcpServer/startupStatus/updated') return;
    const { name, status, error } = notification.params;
    if (status === 'ready') {
      this.told.delete(name);
      this.failures.delete(name);
      return;
    }
    if (status !== 'failed') return;
    const reason = error?.trim() || l10n.t('no reason given');
    this.failures.set(name, reason);
    if (this.told.get(name) === reason) return;
    this.told.set(name, reason);
    const action = l10n.t('Show MCP Servers');
    const shown = reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 1)}…` : reason;
    void this.host.warn(l10n.t('Tandem: the MCP server {0} did not start: {1}', name, shown), action).then((choice) => {
      if (choice === action) this.host.showServers();
    });
  }

  /** Why the server last failed to start, if it did and has not started since. */
  failureOf(name: string): string | undefined {
    return this.failures.get(name);
  }

  /** The user restarted the servers: a failure that persists is worth telling again. */
  forget(): void {
    this.told.clear();
  }
}
