// The thread history: newest first, the workspace's threads unless *All folders* is checked, archived ones
// when *Show archived* is; search matches names and first messages. Pick a thread to resume it (an
// archived one opens read only), or rename, archive, unarchive or delete it in place. Everything is read
// from and written to the server through the host; deleting asks the user in a native dialog there.
import * as l10n from '@vscode/l10n';
import type { Thread } from '../src/protocol';
import { el, iconButton } from './dom';
import type { HostRpc } from './rpc';
import { threadRow, type HistoryScope, type RowActions } from './historyRows';

const PAGE = 50;
/** Typing pauses this long before the list is asked for again. */
const SEARCH_DEBOUNCE_MS = 150;

/** What the chat does when the history opens, archives, unarchives or deletes a thread. */
export interface HistoryActions {
  resume(threadId: string): void;
  /** Shows an archived thread read only (the server does not resume archived threads). */
  openArchived(threadId: string): void;
  archived(threadId: string): void;
  unarchived(threadId: string): void;
  deleted(threadId: string): void;
}

export class HistoryPanel {
  private readonly search: HTMLInputElement;
  private readonly allFolders: HTMLInputElement;
  private readonly archived: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly status: HTMLElement;
  private readonly more: HTMLButtonElement;
  private scope: HistoryScope = { roots: [], home: null };
  /** The user's choice, kept while no workspace folder forces *All folders* on. */
  private wantsAllFolders = false;
  private generation = 0;
  private cursor: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly rowActions: RowActions = {
    open: (thread) => this.pick(thread),
    rename: (row, thread, name) => this.rename(row, thread, name),
    archive: (row, thread) => void this.archive(row, thread),
    unarchive: (row, thread) => void this.unarchive(row, thread),
    remove: (row, thread) => void this.remove(row, thread),
  };

  constructor(
    private readonly panel: HTMLElement,
    private readonly toggle: HTMLButtonElement,
    private readonly rpc: HostRpc,
    private readonly actions: HistoryActions,
  ) {
    const bar = el('div', 'history-bar');
    this.search = el('input', 'history-search');
    this.search.type = 'search';
    this.search.placeholder = l10n.t('Search names and first messages');
    this.search.setAttribute('aria-label', l10n.t('Search threads by name or first message'));
    const close = iconButton('close', l10n.t('Close'), 'icon-button icon-only');
    close.title = l10n.t('Close');
    close.setAttribute('aria-label', l10n.t('Close thread history'));
    bar.append(this.search, close);
    const filters = el('div', 'history-filters');
    this.allFolders = checkbox(filters, l10n.t('All folders'), l10n.t('Show the threads of every folder, not only this workspace’s'));
    this.archived = checkbox(filters, l10n.t('Show archived'), l10n.t('Show archived threads instead of the others'));
    this.status = el('p', 'history-status');
    this.status.setAttribute('role', 'status');
    this.list = el('ul', 'history-list');
    this.list.setAttribute('aria-label', l10n.t('Threads'));
    this.more = el('button', 'secondary history-more', l10n.t('Show more'));
    this.more.type = 'button';
    this.more.hidden = true;
    panel.append(bar, filters, this.status, this.list, this.more);
    this.setScope(this.scope);

    toggle.addEventListener('click', () => (panel.hidden ? this.open() : this.close()));
    close.addEventListener('click', () => this.close());
    this.search.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.load(), SEARCH_DEBOUNCE_MS);
    });
    this.allFolders.addEventListener('change', () => (this.wantsAllFolders = this.allFolders.checked));
    for (const box of [this.allFolders, this.archived]) box.addEventListener('change', () => void this.load());
    this.more.addEventListener('click', () => void this.load(true));
    panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        this.close();
      }
    });
  }

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  /** The workspace's folders changed (or arrived): they scope the list unless *All folders* is checked. */
  setScope(scope: HistoryScope): void {
    const changed = scope.home !== this.scope.home || scope.roots.join('\n') !== this.scope.roots.join('\n');
    this.scope = scope;
    // Without a workspace folder there is nothing to narrow to: every folder it is.
    const noFolder = scope.roots.length === 0;
    this.allFolders.disabled = noFolder;
    this.allFolders.checked = noFolder || this.wantsAllFolders;
    this.allFolders.closest('label')!.title = noFolder ? l10n.t('No workspace folder is open') : l10n.t('Show the threads of every folder, not only this workspace’s');
    if (changed && this.isOpen) void this.load();
  }

  open(): void {
    this.panel.hidden = false;
    this.toggle.setAttribute('aria-expanded', 'true');
    this.search.focus();
    void this.load();
  }

  close(): void {
    clearTimeout(this.timer);
    this.panel.hidden = true;
    this.toggle.setAttribute('aria-expanded', 'false');
    this.toggle.focus();
  }

  /** The first page for the current search and switches, or (`more`) the next page after the last one. */
  private async load(more = false): Promise<void> {
    clearTimeout(this.timer);
    if (more && !this.cursor) return;
    const generation = more ? this.generation : ++this.generation;
    if (!more) this.cursor = null;
    const term = this.search.value.trim();
    const archived = this.archived.checked;
    const everywhere = this.allFolders.checked || this.scope.roots.length === 0;
    this.say(more ? l10n.t('Loading more…') : l10n.t('Loading…'));
    this.more.disabled = true;
    try {
      // One request for every workspace folder: the server filters by folder before it pages, so a page is never short.
      const page = await this.rpc.request<{ data: Thread[]; nextCursor: string | null }>('thread/list', {
        limit: PAGE,
        sortKey: 'updated_at',
        ...(archived ? { archived: true } : {}),
        ...(everywhere ? {} : { cwd: [...this.scope.roots] }),
        ...(term ? { searchTerm: term } : {}),
        ...(more && this.cursor ? { cursor: this.cursor } : {}),
      });
      if (generation !== this.generation) return;
      this.cursor = page.nextCursor;
      const rows = page.data.map((thread) => threadRow(thread, archived, this.scope, this.rowActions));
      if (more) this.list.append(...rows);
      else this.list.replaceChildren(...rows);
      this.more.hidden = page.nextCursor === null;
      this.say(this.list.childElementCount === 0 ? emptyText(term, archived, everywhere) : '');
    } catch (error) {
      if (generation === this.generation) this.say(l10n.t('Could not list threads: {0}', (error as Error).message));
    } finally {
      this.more.disabled = false;
    }
  }

  private pick(thread: Thread): void {
    const archived = this.archived.checked;
    this.close();
    if (archived) this.actions.openArchived(thread.id);
    else this.actions.resume(thread.id);
  }

  private rename(row: HTMLLIElement, thread: Thread, current: string): void {
    const form = el('form', 'history-rename');
    const input = el('input');
    input.value = thread.name ?? '';
    input.placeholder = current;
    input.setAttribute('aria-label', l10n.t('New thread name'));
    form.append(input);
    row.replaceChildren(form);
    input.focus();
    const finish = async (save: boolean) => {
      const name = input.value.trim();
      let failure: string | undefined;
      if (save && name) {
        try {
          await this.rpc.request('thread/name/set', { threadId: thread.id, name });
        } catch (error) {
          failure = l10n.t('Could not rename: {0}', (error as Error).message);
        }
      }
      await this.load();
      // Said after the list is back, which would otherwise clear it.
      if (failure) this.say(failure);
      // The row was rebuilt: the focus goes back to it, not to nowhere.
      (this.list.querySelector<HTMLElement>(`[data-thread-id="${CSS.escape(thread.id)}"] .history-open`) ?? this.search).focus();
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void finish(true);
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        void finish(false);
      }
    });
  }

  private async archive(row: HTMLLIElement, thread: Thread): Promise<void> {
    try {
      await this.rpc.request('thread/archive', { threadId: thread.id });
      this.removeRow(row, l10n.t('Thread archived.'));
      this.actions.archived(thread.id);
    } catch (error) {
      this.say(l10n.t('Could not archive: {0}', (error as Error).message));
    }
  }

  private async unarchive(row: HTMLLIElement, thread: Thread): Promise<void> {
    try {
      await this.rpc.request('thread/unarchive', { threadId: thread.id });
      this.removeRow(row, l10n.t('Thread unarchived.'));
      this.actions.unarchived(thread.id);
    } catch (error) {
      this.say(l10n.t('Could not unarchive: {0}', (error as Error).message));
    }
  }

  /** The host asks the user first; keeping the thread changes nothing here. */
  private async remove(row: HTMLLIElement, thread: Thread): Promise<void> {
    try {
      const { deleted } = await this.rpc.call<{ deleted: boolean }>((id) => ({ kind: 'deleteThread', id, threadId: thread.id }));
      if (!deleted) return;
      this.removeRow(row, l10n.t('Thread deleted.'));
      this.actions.deleted(thread.id);
    } catch (error) {
      this.say(l10n.t('Could not delete: {0}', (error as Error).message));
    }
  }

  /** Takes a row out and moves the keyboard focus to a neighbour (or the search), never to nowhere. */
  private removeRow(row: HTMLLIElement, said: string): void {
    const hadFocus = row.contains(document.activeElement);
    const next = (row.nextElementSibling ?? row.previousElementSibling)?.querySelector<HTMLButtonElement>('.history-open');
    row.remove();
    this.say(said);
    if (hadFocus || document.activeElement === document.body) (next ?? this.search).focus();
  }

  private say(text: string): void {
    this.status.textContent = text;
  }
}

function checkbox(parent: HTMLElement, text: string, title: string): HTMLInputElement {
  const label = el('label', 'history-toggle');
  label.title = title;
  const box = el('input');
  box.type = 'checkbox';
  // The label's text as its name too, for tools that do not follow the wrapping label.
  box.setAttribute('aria-label', text);
  label.append(box, el('span', undefined, text));
  parent.append(label);
  return box;
}

function emptyText(term: string, archived: boolean, everywhere: boolean): string {
  if (term && archived) {
    return everywhere
      ? l10n.t('No archived threads have “{0}” in their name or first message (the search is case-sensitive).', term)
      : l10n.t('No archived threads in this workspace have “{0}” in their name or first message (the search is case-sensitive).', term);
  }
  if (term) {
    return everywhere
      ? l10n.t('No threads have “{0}” in their name or first message (the search is case-sensitive).', term)
      : l10n.t('No threads in this workspace have “{0}” in their name or first message (the search is case-sensitive).', term);
  }
  if (archived) return everywhere ? l10n.t('No archived threads.') : l10n.t('No archived threads in this workspace.');
  return everywhere ? l10n.t('No threads yet.') : l10n.t('No threads in this workspace yet.');
}
