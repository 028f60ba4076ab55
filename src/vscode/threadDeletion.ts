// Deleting a thread from the chat's history. The webview can only ask: the host names the thread from the
// server's own record (not from what the page says), confirms with a native modal, and only then calls
// thread/delete. A failure is an error for the page to show; a dismissal deletes nothing.
import * as vscode from 'vscode';
import type { BridgeClient } from './chatBridge';

/** Enough of a name or first message to recognise the thread in the dialog. */
const LABEL_CHARS = 80;

export interface ThreadDeletionHost {
  /** The thread the chat shows (a reload comes back to it). */
  activeThreadId(): string | null;
  setActiveThread(threadId: string | null): void;
}

export async function deleteThreadAfterAsking(client: BridgeClient, threadId: string, host: ThreadDeletionHost): Promise<{ deleted: boolean }> {
  // Also the check that the thread exists: a thread already gone is an error before any dialog.
  const read = (await client.request('thread/read', { threadId })) as { thread?: { name?: unknown; preview?: unknown } };
  const remove = vscode.l10n.t('Delete');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Delete the thread “{0}”?', threadLabel(read.thread?.name, read.thread?.preview)),
    { modal: true, detail: vscode.l10n.t('Its conversation is removed from disk for good. This cannot be undone.') },
    remove,
  );
  if (answer !== remove) return { deleted: false };
  await client.request('thread/delete', { threadId });
  // A reload must not try to reopen it.
  if (host.activeThreadId() === threadId) host.setActiveThread(null);
  return { deleted: true };
}

/** The name the history shows: the thread's name, else its first message, on one line and cut short. */
export function threadLabel(name: unknown, preview: unknown): string {
  const text = (typeof name === 'string' && name.trim()) || (typeof preview === 'string' && preview.trim()) || vscode.l10n.t('Untitled thread');
  const line = text.replace(/\s+/g, ' ');
  return line.length > LABEL_CHARS ? `${line.slice(0, LABEL_CHARS - 1)}…` : line;
}
