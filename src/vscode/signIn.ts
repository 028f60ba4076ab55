// Sign-in commands. API keys go through a password input box; ChatGPT sign-in either opens the issuer's
// page in the browser or shows a device code to enter on any device (for remote windows, where the
// browser cannot return to this machine), then waits, with cancellable progress, for the server to
// report the login's outcome.
// Either way the credentials end up in SecretStorage, through the server's credential store.
import * as vscode from 'vscode';
import type { InProcessClient } from '../server/transports/inProcess';

export type LoginOutcome = { success: boolean; error: string | null };

export async function signInWithApiKey(client: InProcessClient): Promise<void> {
  const apiKey = await vscode.window.showInputBox({
    title: vscode.l10n.t('Tandem: Sign In with API Key'),
    prompt: vscode.l10n.t('Your OpenAI API key. It is kept in VS Code’s secret storage, never in a file.'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? vscode.l10n.t('Enter an API key') : /\s/.test(value.trim()) ? vscode.l10n.t('An API key has no spaces') : undefined),
  });
  if (!apiKey) return;
  try {
    await client.request('account/login/start', { type: 'apiKey', apiKey: apiKey.trim() });
    void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: signed in with an API key.'));
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Tandem: sign-in failed: {0}', (error as Error).message));
  }
}

type SignInWay = 'browser' | 'deviceCode';

/** How to sign in with ChatGPT: in the browser, or with a device code where no browser can return to this machine. */
export async function signInWithChatGpt(client: InProcessClient, waitForLogin: (loginId: string) => Promise<LoginOutcome>): Promise<void> {
  const browser = {
    label: `$(globe) ${vscode.l10n.t('Sign in in the browser')}`,
    detail: vscode.l10n.t('Opens the ChatGPT sign-in page, which returns to this machine when you are done.'),
    way: 'browser' as SignInWay,
  };
  const deviceCode = {
    label: `$(remote) ${vscode.l10n.t('Sign in with a device code (for remote machines)')}`,
    detail: vscode.l10n.t('Shows a one-time code to enter on any device: for SSH, containers and Codespaces.'),
    way: 'deviceCode' as SignInWay,
  };
  // In a remote window the browser cannot reach the sign-in's local callback, so the code comes first.
  const items = vscode.env.remoteName ? [deviceCode, browser] : [browser, deviceCode];
  const chosen = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Tandem: Sign In with ChatGPT'), placeHolder: vscode.l10n.t('How do you want to sign in?') });
  if (chosen?.way === 'browser') await signInInBrowser(client, waitForLogin);
  else if (chosen?.way === 'deviceCode') await signInWithDeviceCode(client, waitForLogin);
}

export async function signInInBrowser(client: InProcessClient, waitForLogin: (loginId: string) => Promise<LoginOutcome>): Promise<void> {
  let started: { loginId: string; authUrl: string };
  try {
    started = (await client.request('account/login/start', { type: 'chatgpt' })) as { loginId: string; authUrl: string };
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Tandem: cannot start ChatGPT sign-in: {0}', (error as Error).message));
    return;
  }
  const outcome = waitForLogin(started.loginId);
  const opened = await vscode.env.openExternal(vscode.Uri.parse(started.authUrl));
  if (!opened) void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: open this address to sign in: {0}', started.authUrl));
  await waitAndReport(client, started.loginId, outcome, vscode.l10n.t('Tandem: finish signing in to ChatGPT in your browser…'));
}

/** The device code's buttons (functions: the words are looked up once VS Code has loaded the translations). */
export const copyAndOpenTitle = () => vscode.l10n.t('Copy Code and Open Page');
export const copyCodeTitle = () => vscode.l10n.t('Copy Code');

export async function signInWithDeviceCode(client: InProcessClient, waitForLogin: (loginId: string) => Promise<LoginOutcome>): Promise<void> {
  let started: { loginId: string; verificationUrl: string; userCode: string };
  try {
    started = (await client.request('account/login/start', { type: 'chatgptDeviceCode' })) as typeof started;
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Tandem: cannot start ChatGPT sign-in with a device code: {0}', (error as Error).message));
    return;
  }
  const outcome = waitForLogin(started.loginId);
  void offerCode(started.verificationUrl, started.userCode);
  await waitAndReport(client, started.loginId, outcome, vscode.l10n.t('Tandem: enter the code {0} at {1}…', started.userCode, started.verificationUrl));
}

/** The code and the page, with buttons that copy the code (and open the page, on this machine's browser). */
async function offerCode(verificationUrl: string, userCode: string): Promise<void> {
  const copyAndOpen = copyAndOpenTitle();
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Tandem: to sign in, open {0} on any device, sign in to ChatGPT and enter the code {1}. It expires in 15 minutes; never share it.', verificationUrl, userCode),
    copyAndOpen,
    copyCodeTitle(),
  );
  if (!choice) return;
  await vscode.env.clipboard.writeText(userCode);
  if (choice === copyAndOpen) await vscode.env.openExternal(vscode.Uri.parse(verificationUrl));
}

/** Waits, with cancellable progress, for the server to report the login's outcome, then says how it went. */
async function waitAndReport(client: InProcessClient, loginId: string, outcome: Promise<LoginOutcome>, title: string): Promise<void> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (_progress, token) =>
      new Promise<LoginOutcome | 'cancelled'>((resolve) => {
        token.onCancellationRequested(() => {
          void client.request('account/login/cancel', { loginId }).catch(() => undefined);
          resolve('cancelled');
        });
        void outcome.then(resolve);
      }),
  );
  if (result === 'cancelled') void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: ChatGPT sign-in cancelled.'));
  else if (result.success) void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: signed in with ChatGPT.'));
  else void vscode.window.showErrorMessage(vscode.l10n.t('Tandem: ChatGPT sign-in failed: {0}', result.error ?? vscode.l10n.t('unknown error')));
}
