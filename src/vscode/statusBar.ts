// The status-bar item: who is signed in, which model threads start with, how much of the rate limit is
// used. Clicking it opens a quick pick of Tandem's actions. It reads the server; it keeps no state.
import * as vscode from 'vscode';
import type { InProcessClient } from '../server/transports/inProcess';
import { statusText, type StatusFacts } from './statusText';

const REFRESH_ON = new Set(['account/updated', 'account/rateLimits/updated', 'account/login/completed', 'turn/completed']);

export class TandemStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('tandem.status', vscode.StatusBarAlignment.Right, 100);
  private facts: StatusFacts = { account: null, model: null, rateLimits: null, restricted: false };
  private refreshing: Promise<void> | undefined;
  private readAgain = false;
  private readonly signInChanged = new vscode.EventEmitter<void>();
  /** Fires when `signInNeeded` changes, so the chat can enable or disable its composer. */
  readonly onDidChangeSignInNeeded = this.signInChanged.event;
  /** The provider needs credentials and there are none. */
  signInNeeded = false;
  private readonly watchSetting: vscode.Disposable;

  constructor(
    private readonly client: InProcessClient,
    private readonly restricted: () => boolean,
  ) {
    this.item.name = 'Tandem';
    this.item.command = 'tandem.showActions';
    void this.refresh();
    this.applySetting();
    this.watchSetting = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('tandem.statusBar.show')) this.applySetting();
    });
  }

  private applySetting(): void {
    if (vscode.workspace.getConfiguration('tandem').get<boolean>('statusBar.show', true)) this.item.show();
    else this.item.hide();
  }

  observe(method: string): void {
    if (REFRESH_ON.has(method)) void this.refresh();
  }

  refresh(): Promise<void> {
    // One refresh at a time; a burst of notifications is served by the one in flight, plus one more read
    // when something changed after it had read (a config edit must not leave the old provider showing).
    if (this.refreshing) {
      this.readAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.readAgain = false;
        await this.read();
      } while (this.readAgain);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  dispose(): void {
    this.watchSetting.dispose();
    this.signInChanged.dispose();
    this.item.dispose();
  }

  private async read(): Promise<void> {
    const [account, config, limits] = await Promise.allSettled([
      this.client.request('account/read', {}) as Promise<{ account: StatusFacts['account']; requiresOpenaiAuth: boolean }>,
      this.client.request('config/read', {}) as Promise<{ config: { model?: string | null; model_provider?: string | null } }>,
      this.client.request('account/rateLimits/read') as Promise<{ rateLimits: StatusFacts['rateLimits'] }>,
    ]);
    const signInNeeded = account.status === 'fulfilled' && account.value.account === null && account.value.requiresOpenaiAuth;
    this.facts = {
      account: account.status === 'fulfilled' ? account.value.account : null,
      model: config.status === 'fulfilled' ? (config.value.config.model ?? null) : null,
      rateLimits: limits.status === 'fulfilled' ? limits.value.rateLimits : null,
      restricted: this.restricted(),
      provider: config.status === 'fulfilled' ? (config.value.config.model_provider ?? null) : null,
      signInNeeded,
    };
    if (signInNeeded !== this.signInNeeded) {
      this.signInNeeded = signInNeeded;
      this.signInChanged.fire();
    }
    const { text, tooltip } = statusText(this.facts);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: tooltip.replace(/\n/g, ', ') };
  }
}

/** The quick pick behind the status-bar item. */
export async function showActions(signedIn: boolean): Promise<void> {
  type Action = vscode.QuickPickItem & { command?: string };
  const actions: Action[] = [
    { label: `$(add) ${vscode.l10n.t('New Thread')}`, command: 'tandem.newThread' },
    { label: `$(history) ${vscode.l10n.t('Show Thread History')}`, command: 'tandem.showHistory' },
    { label: `$(checklist) ${vscode.l10n.t('Review Changes')}`, command: 'tandem.reviewChanges' },
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    ...(signedIn
      ? [{ label: `$(sign-out) ${vscode.l10n.t('Sign Out')}`, command: 'tandem.signOut' }]
      : [
          { label: `$(key) ${vscode.l10n.t('Sign In with API Key')}`, command: 'tandem.signInWithApiKey' },
          { label: `$(account) ${vscode.l10n.t('Sign In with ChatGPT')}`, command: 'tandem.signInWithChatGpt' },
        ]),
    { label: `$(server) ${vscode.l10n.t('Use a Local Model')}`, command: 'tandem.useLocalModel' },
    { label: `$(server-environment) ${vscode.l10n.t('MCP Servers')}`, command: 'tandem.mcpServers' },
    { label: `$(gear) ${vscode.l10n.t('Open Config')}`, command: 'tandem.openConfig' },
    { label: `$(output) ${vscode.l10n.t('Show Logs')}`, command: 'tandem.showLogs' },
  ];
  const chosen = await vscode.window.showQuickPick(actions, { title: 'Tandem', placeHolder: vscode.l10n.t('Choose an action') });
  if (chosen?.command) await vscode.commands.executeCommand(chosen.command);
}
