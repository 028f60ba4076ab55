// @-mentions in the composer: typing `@` opens a file picker fed by `fuzzyFileSearch`; arrows move, Enter
// or Tab picks, Escape closes. The chosen file goes into the message as `@relative/path`, which is what
// the model reads. Matched characters are highlighted from the search's indices.
import type { HostRpc } from './rpc';

interface FileMatch {
  root: string;
  path: string;
  file_name: string;
  indices: number[] | null;
}

const SHOWN = 12;
const SEARCH_TOKEN = 'composer-mention';

/** The `@query` being typed right before the caret, if any. */
export function mentionAtCaret(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)@([^\s@]*)$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]! };
}

export class MentionPicker {
  private readonly list: HTMLUListElement;
  private matches: FileMatch[] = [];
  private active = 0;
  private open = false;
  private generation = 0;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly rpc: HostRpc,
    private readonly roots: () => string[],
  ) {
    this.list = document.createElement('ul');
    this.list.className = 'mention-picker';
    this.list.id = 'mention-picker';
    this.list.setAttribute('role', 'listbox');
    this.list.setAttribute('aria-label', 'Files to mention');
    this.list.hidden = true;
    input.before(this.list);
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', this.list.id);
    input.setAttribute('aria-expanded', 'false');
    input.addEventListener('input', () => void this.update());
    input.addEventListener('click', () => void this.update());
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    this.list.addEventListener('mousedown', (event) => {
      const option = (event.target as HTMLElement).closest('li');
      if (!option) return;
      event.preventDefault();
      this.choose(Number(option.dataset.index));
    });
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Handles picker keys; returns true when the key was used (the composer must not act on it). */
  handleKey(event: KeyboardEvent): boolean {
    if (!this.open) return false;
    switch (event.key) {
      case 'ArrowDown':
        this.highlight((this.active + 1) % Math.max(1, this.matches.length));
        return true;
      case 'ArrowUp':
        this.highlight((this.active - 1 + this.matches.length) % Math.max(1, this.matches.length));
        return true;
      case 'Enter':
      case 'Tab':
        if (this.matches.length === 0) return false;
        this.choose(this.active);
        return true;
      case 'Escape':
        this.close();
        return true;
      default:
        return false;
    }
  }

  private async update(): Promise<void> {
    const mention = mentionAtCaret(this.input.value, this.input.selectionStart ?? this.input.value.length);
    if (!mention) {
      this.close();
      return;
    }
    const generation = ++this.generation;
    if (mention.query === '') {
      this.show([], 'Type to search files in the workspace');
      return;
    }
    const roots = this.roots();
    if (roots.length === 0) {
      this.show([], 'Open a folder to mention its files');
      return;
    }
    try {
      const result = await this.rpc.request<{ files: FileMatch[] }>('fuzzyFileSearch', { query: mention.query, roots, cancellationToken: SEARCH_TOKEN });
      if (generation !== this.generation) return; // a newer keystroke owns the picker
      this.show(result.files.slice(0, SHOWN), `No files match “${mention.query}”`);
    } catch (error) {
      if (generation === this.generation) this.show([], `File search failed: ${(error as Error).message}`);
    }
  }

  private show(matches: FileMatch[], emptyText: string): void {
    this.matches = matches;
    this.open = true;
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    const options = matches.map((match, index) => {
      const option = document.createElement('li');
      option.id = `mention-option-${index}`;
      option.dataset.index = String(index);
      option.setAttribute('role', 'option');
      option.append(...highlighted(match.path, match.indices));
      return option;
    });
    if (options.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'mention-empty';
      empty.setAttribute('aria-disabled', 'true');
      empty.textContent = emptyText;
      options.push(empty);
    }
    this.list.replaceChildren(...options);
    this.highlight(0);
  }

  private highlight(index: number): void {
    this.active = index;
    for (const option of this.list.querySelectorAll('li[role="option"]')) {
      const selected = Number((option as HTMLElement).dataset.index) === index;
      option.setAttribute('aria-selected', String(selected));
      if (selected) option.scrollIntoView({ block: 'nearest' });
    }
    if (this.matches.length > 0) this.input.setAttribute('aria-activedescendant', `mention-option-${index}`);
    else this.input.removeAttribute('aria-activedescendant');
  }

  private choose(index: number): void {
    const match = this.matches[index];
    const caret = this.input.selectionStart ?? this.input.value.length;
    const mention = mentionAtCaret(this.input.value, caret);
    if (!match || !mention) return;
    const inserted = `@${match.path} `;
    this.input.value = this.input.value.slice(0, mention.start) + inserted + this.input.value.slice(caret);
    const after = mention.start + inserted.length;
    this.input.setSelectionRange(after, after);
    this.close();
    this.input.focus();
    // Like typing: the draft is saved and the typing reporter hears of it.
    this.input.dispatchEvent(new Event('input'));
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.generation++;
    this.list.hidden = true;
    this.list.replaceChildren();
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }
}

/** The path as text nodes with the matched characters in <mark>. */
function highlighted(text: string, indices: number[] | null): Node[] {
  const marked = new Set(indices ?? []);
  const nodes: Node[] = [];
  let run = '';
  let runMarked = false;
  const flush = () => {
    if (!run) return;
    if (runMarked) {
      const mark = document.createElement('mark');
      mark.textContent = run;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(run));
    }
    run = '';
  };
  [...text].forEach((char, index) => {
    const isMarked = marked.has(index);
    if (isMarked !== runMarked) {
      flush();
      runMarked = isMarked;
    }
    run += char;
  });
  flush();
  return nodes;
}
