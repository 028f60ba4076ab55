// Tells the user when Tandem needs them and they are not looking: a turn ended, or an approval waits,
// while the chat is hidden or the window is not focused. Free of the vscode module for tests, so its words
// go through @vscode/l10n.
import * as l10n from '@vscode/l10n';
import type { PendingApproval, ServerNotification } from '../protocol';

export interface AttentionHost {
  /** `tandem.notifications.enabled`. */
  enabled(): boolean;
  chatVisible(): boolean;
  windowFocused(): boolean;
  notify(message: string): void;
}

export class Attention {
  private announced = new Set<string>();

  constructor(private readonly host: AttentionHost) {}

  observe(notification: ServerNotification): void {
    if (notification.method !== 'turn/completed') return;
    const { turn } = notification.params;
    // An interrupted turn was the user's own doing.
    if (turn.status === 'completed') this.tell(l10n.t('Tandem finished its turn.'));
    else if (turn.status === 'failed') this.tell(turn.error?.message ? l10n.t("Tandem's turn failed: {0}", turn.error.message) : l10n.t("Tandem's turn failed."));
  }

  /** Each approval is announced once, when it first appears. */
  approvalsChanged(pending: readonly PendingApproval[]): void {
    const keys = new Set(pending.map((p) => `${p.threadId}/${p.itemId}`));
    const fresh = pending.filter((p) => !this.announced.has(`${p.threadId}/${p.itemId}`));
    this.announced = keys;
    // A patch review shows its own notification (and the diff editor); a command or an MCP tool call has only its dialog.
    const commands = fresh.filter((p) => p.kind === 'command').length;
    if (commands > 0) this.tell(commands === 1 ? l10n.t('Tandem is waiting for your approval to run a command.') : l10n.t('Tandem is waiting for your approval to run {0} commands.', commands));
    const tools = fresh.filter((p) => p.kind === 'mcpTool').length;
    if (tools > 0) this.tell(tools === 1 ? l10n.t('Tandem is waiting for your approval to run an MCP tool.') : l10n.t('Tandem is waiting for your approval to run {0} MCP tools.', tools));
  }

  private tell(message: string): void {
    if (!this.host.enabled()) return;
    if (this.host.chatVisible() && this.host.windowFocused()) return;
    this.host.notify(message);
  }
}
