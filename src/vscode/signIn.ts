// Sign-in commands. API keys go through a password input box; ChatGPT sign-in opens the issuer's page in
// the browser and waits, with cancellable progress, for the server to report the login's outcome.
// Either way the credentials end up in SecretStorage, through the server's credential store.
import * as vscode from 'vscode';
import type { InProcessClient } from '../server/transports/inProcess';

export type LoginOutcome = { success: boolean; error: string | null };

export async function signInWithApiKey(client: InProcessClient): Promise<void> {
  const apiKey = await vscode.window.showInputBox({
    title: 'Tandem: Sign In with API Key',
    prompt: 'Your OpenAI API key. It is kept in VS Code’s secret storage, never in a file.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'Enter an API key' : /\s/.test(value.trim()) ? 'An API key has no spaces' : undefined),
  });
  if (!apiKey) return;
  try {
    await client.request('account/login/start', { type: 'apiKey', apiKey: apiKey.trim() });
    void vscode.window.showInformationMessage('Tandem: signed in with an API key.');
  } catch (error) {
    void vscode.window.showErrorMessage(`Tandem: sign-in failed: ${(error as Error).message}`);
  }
}

export async function signInWithChatGpt(client: InProcessClient, waitForLogin: (loginId: string) => Promise<LoginOutcome>): Promise<void> {
  let started: { loginId: string; authUrl: string };
  try {
    started = (await client.request('account/login/start', { type: 'chatgpt' })) as { loginId: string; authUrl: string };
  } catch (error) {
    void vscode.window.showErrorMessage(`Tandem: cannot start ChatGPT sign-in: ${(error as Error).message}`);
    return;
  }
  const outcome = waitForLogin(started.loginId);
  const opened = await vscode.env.openExternal(vscode.Uri.parse(started.authUrl));
  if (!opened) void vscode.window.showWarningMessage(`Tandem: open this address to sign in: ${started.authUrl}`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Tandem: finish signing in to ChatGPT in your browser…', cancellable: true },
    (_progress, token) =>
      new Promise<LoginOutcome | 'cancelled'>((resolve) => {
        token.onCancellationRequested(() => {
          void client.request('account/login/cancel', { loginId: started.loginId }).catch(() => undefined);
          resolve('cancelled');
        });
        void outcome.then(resolve);
      }),
  );
  if (result === 'cancelled') void vscode.window.showInformationMessage('Tandem: ChatGPT sign-in cancelled.');
  else if (result.success) void vscode.window.showInformationMessage('Tandem: signed in with ChatGPT.');
  else void vscode.window.showErrorMessage(`Tandem: ChatGPT sign-in failed: ${result.error ?? 'unknown error'}`);
}
