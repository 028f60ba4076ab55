// An archived thread opened from the history. The server reads an archived thread but does not resume it,
// so the chat shows it read only: a bar says so and unarchives it to continue, and the composer waits.
import * as l10n from '@vscode/l10n';
import type { Thread } from '../src/protocol';
import { el, iconButton } from './dom';
import type { HostRpc } from './rpc';
import type { ChatStore } from './store';

export class ArchivedThreadBar {
  readonly element: HTMLElement;
  private readonly text: HTMLElement;
  /** The archived thread the chat was given to show, until it leaves it or it is unarchived. */
  private threadId: string | null = null;

  constructor(
    private readonly rpc: HostRpc,
    private readonly store: ChatStore,
    /** Resumes a thread that is no longer archived. */
    private readonly continueThread: (threadId: string) => void,
    /** The bar was shown or hidden: the composer follows `composerBlock`. */
    private readonly changed: () => void = () => undefined,
  ) {
    this.element = el('div', 'archived-bar');
    this.element.setAttribute('role', 'status');
    this.element.hidden = true;
    this.text = el('span', 'archived-text', l10n.t('Archived thread: read only.'));
    const unarchive = iconButton('discard', l10n.t('Unarchive'), 'secondary');
    unarchive.setAttribute('aria-label', l10n.t('Unarchive this thread to continue it'));
    unarchive.addEventListener('click', () => void this.unarchive());
    this.element.append(this.text, unarchive);
    store.onChange(() => this.sync());
  }

  /** Shows an archived thread as thread/read gave it. */
  show(thread: Thread): void {
    this.threadId = thread.id;
    this.text.textContent = l10n.t('Archived thread: read only.');
    this.store.loadThread(thread);
  }

  /** Why the composer cannot send: the shown thread is archived. */
  get composerBlock(): string | null {
    return this.shown ? l10n.t('Unarchive this thread to continue it.') : null;
  }

  /** The thread was unarchived elsewhere (the history); true when the chat shows it (and should resume it). */
  forget(threadId: string): boolean {
    if (this.threadId !== threadId) return false;
    const shown = this.shown;
    this.threadId = null;
    this.sync();
    return shown;
  }

  private get shown(): boolean {
    return this.threadId !== null && this.store.state.threadId === this.threadId;
  }

  private async unarchive(): Promise<void> {
    const threadId = this.threadId;
    if (!threadId) return;
    try {
      await this.rpc.request('thread/unarchive', { threadId });
      this.threadId = null;
      this.sync();
      this.continueThread(threadId);
    } catch (error) {
      this.text.textContent = l10n.t('Archived thread: could not unarchive it: {0}', (error as Error).message);
    }
  }

  private sync(): void {
    const hidden = !this.shown;
    if (this.element.hidden === hidden) return;
    this.element.hidden = hidden;
    this.changed();
  }
}
