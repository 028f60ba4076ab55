// A command's output in its card. A long one shows only its end (where a build or a test run says how it
// went), with a note of how much is hidden and a Show more / Show less button; short ones show whole.
import * as l10n from '@vscode/l10n';
import { renderAnsi } from './ansi';
import { iconButton } from './dom';

/** Past this many lines an output collapses: about what a sidebar shows without pushing the conversation away. */
export const COLLAPSED_LINES = 20;
/** Past this many characters too: a few very long lines (minified JSON, a progress bar) wrap into many. */
export const COLLAPSED_CHARS = 2000;
/** An ANSI escape is this short; a cut that lands inside one moves to its end instead of showing half of it. */
const LONGEST_ESCAPE = 32;

/** Outputs the user expanded, by item id, so a re-render (a delta, the row scrolled back into view) keeps them open. */
const expanded = new Set<string>();
/** The output each box shows now, for its toggle button. */
const shown = new WeakMap<HTMLElement, { itemId: string; output: string }>();

/** The box that shows `output` of the command `itemId`, reused when `existing` is given. */
export function fillOutput(existing: HTMLElement | null, itemId: string, output: string): HTMLElement {
  const box = existing ?? buildBox(itemId);
  shown.set(box, { itemId, output });
  renderBox(box);
  return box;
}

function buildBox(itemId: string): HTMLElement {
  const box = document.createElement('div');
  box.className = 'output-box';
  const note = document.createElement('p');
  note.className = 'output-note';
  const pre = document.createElement('pre');
  pre.className = 'output';
  pre.id = `output-${itemId}`;
  pre.tabIndex = 0;
  pre.setAttribute('aria-label', l10n.t('Command output'));
  // Its icon and label follow the state (renderBox).
  const toggle = iconButton('chevron-down', '', 'secondary output-toggle');
  toggle.setAttribute('aria-controls', pre.id);
  toggle.addEventListener('click', () => {
    const current = shown.get(box);
    if (!current) return;
    if (expanded.has(current.itemId)) expanded.delete(current.itemId);
    else expanded.add(current.itemId);
    renderBox(box);
  });
  box.append(note, pre, toggle);
  return box;
}

function renderBox(box: HTMLElement): void {
  const { itemId, output } = shown.get(box)!;
  const note = box.querySelector<HTMLElement>('.output-note')!;
  const pre = box.querySelector<HTMLElement>('pre.output')!;
  const toggle = box.querySelector<HTMLButtonElement>('button.output-toggle')!;
  const tail = collapsedTail(output);
  const open = tail === null || expanded.has(itemId);
  renderAnsi(pre, open ? output : tail.text);
  note.hidden = open;
  note.textContent = open ? '' : tail.note;
  toggle.hidden = tail === null;
  toggle.setAttribute('aria-expanded', String(open));
  toggle.querySelector('.label')!.textContent = open ? l10n.t('Show less') : l10n.t('Show more');
  toggle.firstElementChild!.className = `codicon codicon-${open ? 'chevron-up' : 'chevron-down'}`;
}

/** The end of a long output and a note of how much of it that is; null when the output is short enough to show whole. */
export function collapsedTail(output: string): { text: string; note: string } | null {
  const lines = output.split('\n');
  if (output.endsWith('\n')) lines.pop();
  if (lines.length <= COLLAPSED_LINES && output.length <= COLLAPSED_CHARS) return null;
  let text = lines.slice(-COLLAPSED_LINES).join('\n') + (output.endsWith('\n') ? '\n' : '');
  if (text.length <= COLLAPSED_CHARS) return { text, note: l10n.t('Last {0} of {1} lines', COLLAPSED_LINES, lines.length.toLocaleString()) };
  let start = output.length - COLLAPSED_CHARS;
  const escape = output.lastIndexOf('\u001b', start);
  if (escape !== -1 && start - escape < LONGEST_ESCAPE) {
    // eslint-disable-next-line no-control-regex
    const sequence = /^\u001b\[[0-9;?]*[ -/]*[@-~]/.exec(output.slice(escape));
    if (sequence && escape + sequence[0].length > start) start = escape + sequence[0].length;
  }
  text = output.slice(start);
  return { text, note: l10n.t('Last {0} of {1} characters', text.length.toLocaleString(), output.length.toLocaleString()) };
}
