// @-mentions in the composer: typing `@` opens a picker of context (`@problems`, `@terminal`, `@url`, see
// contextMentions.ts) and files fed by `fuzzyFileSearch`; arrows move, Enter or Tab picks, Escape closes.
// A chosen file goes into the message as `@relative/path`, which is what the model reads; chosen context
// becomes a chip. Matched characters are highlighted from the search's indices.
import * as l10n from '@vscode/l10n';
import type { HostRpc } from './rpc';
import type { ContextChoice } from './contextMentions';

interface FileMatch {
  root: string;
  path: string;
  file_name: string;
  indices: number[] | null;
}

type Option = { kind: 'context'; choice: ContextChoice } | { kind: 'file'; match: FileMatch };
const optionKey = (option: Option) => (option.kind === 'file' ? `file ${option.match.root} ${option.match.path}` : `context ${option.choice.name} ${option.choice.detail}`);

/** Context the picker offers above the files, and what choosing one does. */
export interface ContextMentions {
  choices(query: string): ContextChoice[];
  choose(choice: ContextChoice): void;
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
  private options: Option[] = [];
  private active = 0;
  /** The user moved the highlight since the last keystroke. */
  private moved = false;
  private open = false;
  private generation = 0;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly rpc: HostRpc,
    private readonly roots: () => string[],
    private readonly context?: ContextMentions,
  ) {
    this.list = document.createElement('ul');
    this.list.className = 'mention-picker';
    this.list.id = 'mention-picker';
    this.list.setAttribute('role', 'listbox');
    this.list.setAttribute('aria-label', l10n.t('Context and files to mention'));
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
        this.moved = true;
        this.highlight((this.active + 1) % Math.max(1, this.options.length));
        return true;
      case 'ArrowUp':
        this.moved = true;
        this.highlight((this.active - 1 + this.options.length) % Math.max(1, this.options.length));
        return true;
      case 'Enter':
      case 'Tab':
        if (this.options.length === 0) return false;
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
    this.moved = false;
    const context: Option[] = (this.context?.choices(mention.query) ?? []).map((choice) => ({ kind: 'context', choice }));
    if (mention.query === '') {
      this.show(context, l10n.t('Type to search files in the workspace'));
      return;
    }
    const roots = this.roots();
    if (roots.length === 0) {
      this.show(context, l10n.t('Open a folder to mention its files'));
      return;
    }
    try {
      const result = await this.rpc.request<{ files: FileMatch[] }>('fuzzyFileSearch', { query: mention.query, roots, cancellationToken: SEARCH_TOKEN });
      if (generation !== this.generation) return; // a newer keystroke owns the picker
      const files: Option[] = result.files.slice(0, SHOWN).map((match) => ({ kind: 'file', match }));
      this.show([...context, ...files], files.length === 0 ? l10n.t('No files match “{0}”', mention.query) : null);
    } catch (error) {
      if (generation === this.generation) this.show(context, l10n.t('File search failed: {0}', (error as Error).message));
    }
  }

  /** `note`: a line under the options that cannot be chosen (what to type, or why no file is listed). */
  private show(entries: Option[], note: string | null): void {
    // Results that arrive after the user moved with the arrows keep their choice highlighted, if still offered.
    const chosen = this.open && this.moved && this.options[this.active] ? optionKey(this.options[this.active]!) : null;
    this.options = entries;
    this.open = true;
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    const options = entries.map((entry, index) => {
      const option = document.createElement('li');
      option.id = `mention-option-${index}`;
      option.dataset.index = String(index);
      option.setAttribute('role', 'option');
      if (entry.kind === 'file') option.append(...highlighted(entry.match.path, entry.match.indices));
      else {
        option.className = `mention-context${entry.choice.warning ? ' mention-warning' : ''}`;
        const name = document.createElement('span');
        name.className = 'mention-name';
        name.textContent = `@${entry.choice.name}`;
        const detail = document.createElement('span');
        detail.className = 'mention-detail';
        detail.textContent = entry.choice.detail;
        option.append(name, detail);
      }
      return option;
    });
    if (note !== null) {
      const empty = document.createElement('li');
      empty.className = 'mention-empty';
      empty.setAttribute('aria-disabled', 'true');
      empty.textContent = note;
      options.push(empty);
    }
    this.list.replaceChildren(...options);
    this.highlight(Math.max(0, chosen === null ? 0 : entries.findIndex((entry) => optionKey(entry) === chosen)));
  }

  private highlight(index: number): void {
    this.active = index;
    for (const option of this.list.querySelectorAll('li[role="option"]')) {
      const selected = Number((option as HTMLElement).dataset.index) === index;
      option.setAttribute('aria-selected', String(selected));
      if (selected) option.scrollIntoView({ block: 'nearest' });
    }
    if (this.options.length > 0) this.input.setAttribute('aria-activedescendant', `mention-option-${index}`);
    else this.input.removeAttribute('aria-activedescendant');
  }

  private choose(index: number): void {
    const entry = this.options[index];
    const caret = this.input.selectionStart ?? this.input.value.length;
    const mention = mentionAtCaret(this.input.value, caret);
    if (!entry || !mention) return;
    // A file goes into the text; context becomes a chip, except @url, whose address is typed next.
    const inserted = entry.kind === 'file' ? `@${entry.match.path} ` : entry.choice.attachment ? '' : '@url ';
    if (entry.kind === 'context') this.context?.choose(entry.choice);
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
