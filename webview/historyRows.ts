// One thread in the history list: its name, its folder and when it last changed, and the actions on it
// (open, rename, archive or unarchive, delete), each a button a screen reader can name.
import * as l10n from '@vscode/l10n';
import type { Thread } from '../src/protocol';
import { el, iconButton } from './dom';
import { folderLabel, type HistoryScope } from './folderLabel';

export type { HistoryScope } from './folderLabel';

export interface RowActions {
  open(thread: Thread): void;
  rename(row: HTMLLIElement, thread: Thread, shownName: string): void;
  archive(row: HTMLLIElement, thread: Thread): void;
  unarchive(row: HTMLLIElement, thread: Thread): void;
  remove(row: HTMLLIElement, thread: Thread): void;
}

/** Gives each row's details a unique id, for `aria-describedby`. */
let rowIds = 0;

export function threadName(thread: Thread): string {
  return thread.name ?? (thread.preview.replace(/\s+/g, ' ').trim() || l10n.t('Untitled thread'));
}

export function threadRow(thread: Thread, archived: boolean, scope: HistoryScope, actions: RowActions): HTMLLIElement {
  const row = el('li', archived ? 'history-entry archived' : 'history-entry');
  row.dataset.threadId = thread.id;
  const name = threadName(thread);
  const open = el('button', 'history-open');
  open.type = 'button';
  const details = el('span', 'history-details');
  details.id = `history-details-${++rowIds}`;
  const folder = el('span', 'history-folder', thread.cwd ? folderLabel(thread.cwd, scope) : l10n.t('Unknown folder'));
  folder.title = thread.cwd;
  const when = el('span', 'history-when', whenText(thread.updatedAt));
  when.title = new Date(thread.updatedAt * 1000).toLocaleString();
  details.append(folder, when);
  open.append(el('span', 'history-name', name), details);
  open.title = name;
  open.setAttribute('aria-label', archived ? l10n.t('Open {0} (archived, read only)', name) : l10n.t('Resume {0}', name));
  open.setAttribute('aria-describedby', details.id);
  open.addEventListener('click', () => actions.open(thread));
  row.append(open);
  if (!archived) {
    row.append(action('edit', l10n.t('Rename'), l10n.t('Rename {0}', name), () => actions.rename(row, thread, name)));
    row.append(action('archive', l10n.t('Archive'), l10n.t('Archive {0}', name), () => actions.archive(row, thread)));
  } else {
    row.append(action('discard', l10n.t('Unarchive'), l10n.t('Unarchive {0}', name), () => actions.unarchive(row, thread)));
  }
  row.append(action('trash', l10n.t('Delete'), l10n.t('Delete {0}', name), () => actions.remove(row, thread)));
  return row;
}

/** `accessibleName`: the label with the thread's name, for a screen reader. */
function action(iconName: string, label: string, accessibleName: string, run: () => void): HTMLButtonElement {
  const button = iconButton(iconName, label, 'icon-button icon-only history-action');
  button.title = label;
  button.setAttribute('aria-label', accessibleName);
  button.addEventListener('click', run);
  return button;
}

/** Short, to leave the folder room: the time today, the day this year, else the date. */
function whenText(seconds: number, now = new Date()): string {
  const date = new Date(seconds * 1000);
  if (date.toDateString() === now.toDateString()) return date.toLocaleTimeString(undefined, { timeStyle: 'short' });
  if (date.getFullYear() === now.getFullYear()) return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  return date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}
