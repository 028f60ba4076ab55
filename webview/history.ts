// The thread history: the workspace's threads, newest first, with search; pick one to resume it, or
// rename or archive it in place. Everything is read from and written to the server through the host.
import type { Thread } from '../src/protocol';
import { el, iconButton } from './cards';
import type { HostRpc } from './rpc';

const PAGE = 50;

export class HistoryPanel {
  private readonly search: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly status: HTMLElement;
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly panel: HTMLElement,
    private readonly toggle: HTMLButtonElement,
    private readonly rpc: HostRpc,
    private readonly resume: (threadId: string) => void,
  ) {
    const bar = el('div', 'history-bar');
    this.search = el('input', 'history-search');
    this.search.type = 'search';
    this.search.placeholder = 'Search threads';
    this.search.setAttribute('aria-label', 'Search threads');
    const close = iconButton('close', 'Close');
    close.setAttribute('aria-label', 'Close thread history');
    bar.append(this.search, close);
    this.status = el('p', 'history-status');
    this.status.setAttribute('aria-live', 'polite');
    this.list = el('ul', 'history-list');
    this.list.setAttribute('aria-label', 'Threads');
    panel.append(bar, this.status, this.list);

    toggle.addEventListener('click', () => (panel.hidden ? this.open() : this.close()));
    close.addEventListener('click', () => this.close());
    this.search.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.load(), 150);
    });
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

  open(): void {
    this.panel.hidden = false;
    this.toggle.setAttribute('aria-expanded', 'true');
    this.search.focus();
    void this.load();
  }

  close(): void {
    this.panel.hidden = true;
    this.toggle.setAttribute('aria-expanded', 'false');
    this.toggle.focus();
  }

  private async load(): Promise<void> {
    const generation = ++this.generation;
    this.status.textContent = 'Loading…';
    try {
      const term = this.search.value.trim();
      const page = await this.rpc.request<{ data: Thread[] }>('thread/list', { limit: PAGE, sortKey: 'updated_at', ...(term ? { searchTerm: term } : {}) });
      if (generation !== this.generation) return;
      this.render(page.data);
      this.status.textContent = page.data.length === 0 ? (term ? `No thread mentions “${term}”.` : 'No threads yet.') : '';
    } catch (error) {
      if (generation === this.generation) this.status.textContent = `Could not list threads: ${(error as Error).message}`;
    }
  }

  private render(threads: Thread[]): void {
    this.list.replaceChildren(
      ...threads.map((thread) => {
        const li = el('li', 'history-entry');
        const open = el('button', 'history-open');
        open.type = 'button';
        const name = thread.name ?? (thread.preview || 'Untitled thread');
        open.append(el('span', 'history-name', name), el('span', 'history-when', new Date(thread.updatedAt * 1000).toLocaleString()));
        open.setAttribute('aria-label', `Resume ${name}`);
        open.addEventListener('click', () => {
          this.close();
          this.resume(thread.id);
        });
        const rename = iconButton('edit', 'Rename', 'icon-button icon-only');
        rename.title = 'Rename';
        rename.setAttribute('aria-label', `Rename ${name}`);
        rename.addEventListener('click', () => this.rename(li, thread, name));
        const archive = iconButton('archive', 'Archive', 'icon-button icon-only');
        archive.title = 'Archive';
        archive.setAttribute('aria-label', `Archive ${name}`);
        archive.addEventListener('click', () => void this.archive(li, thread.id));
        li.append(open, rename, archive);
        return li;
      }),
    );
  }

  private rename(li: HTMLElement, thread: Thread, current: string): void {
    const form = el('form', 'history-rename');
    const input = el('input');
    input.value = thread.name ?? '';
    input.placeholder = current;
    input.setAttribute('aria-label', 'New thread name');
    form.append(input);
    li.replaceChildren(form);
    input.focus();
    const finish = async (save: boolean) => {
      const name = input.value.trim();
      if (save && name) {
        try {
          await this.rpc.request('thread/name/set', { threadId: thread.id, name });
        } catch (error) {
          this.status.textContent = `Could not rename: ${(error as Error).message}`;
        }
      }
      void this.load();
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

  private async archive(li: HTMLElement, threadId: string): Promise<void> {
    try {
      await this.rpc.request('thread/archive', { threadId });
      li.remove();
      this.status.textContent = 'Thread archived.';
    } catch (error) {
      this.status.textContent = `Could not archive: ${(error as Error).message}`;
    }
  }
}
