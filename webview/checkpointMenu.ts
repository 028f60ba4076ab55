// A user message's way back: a small disclosure on the message (shown on hover and on keyboard focus) with
// *Restore Files to Here*, *Rewind Conversation to Here* and both at once. File restore is offered only when
// this turn or a later one changed files.
import * as l10n from '@vscode/l10n';
import { el, icon } from './dom';

/**
 * `turnId`: the message's turn (a rewind goes back to before it). `filesTurnId`: the checkpoint a file
 * restore starts from (this turn's, or the first later one that changed files), or null when there is none.
 */
export function messageActions(turnId: string, filesTurnId: string | null): HTMLElement {
  const menu = el('details', 'message-actions');
  const summary = el('summary', 'message-actions-toggle');
  summary.append(icon('history'));
  summary.title = l10n.t('Restore or rewind to here');
  summary.setAttribute('aria-label', filesTurnId ? l10n.t('Restore files or rewind the conversation to this message') : l10n.t('Rewind the conversation to this message'));
  menu.append(summary);
  // Its entries are made when it opens: closed, the message's text is only the message's (copy, search, tests).
  menu.addEventListener('toggle', () => {
    if (menu.open && !menu.querySelector('.message-actions-list')) menu.append(entries(turnId, filesTurnId));
  });
  return menu;
}

function entries(turnId: string, filesTurnId: string | null): HTMLElement {
  const list = el('div', 'message-actions-list');
  const entry = (label: string, action: string, aria: string, iconName: string) => {
    const button = el('button', 'message-action');
    button.type = 'button';
    button.dataset.action = action;
    button.dataset.turnId = turnId;
    if (filesTurnId) button.dataset.filesTurnId = filesTurnId;
    button.append(icon(iconName), el('span', 'label', label));
    button.setAttribute('aria-label', aria);
    list.append(button);
  };
  if (filesTurnId) entry(l10n.t('Restore Files to Here'), 'restore-files', l10n.t('Restore files to how they were before this message'), 'discard');
  entry(l10n.t('Rewind Conversation to Here'), 'rewind', l10n.t('Rewind the conversation to before this message'), 'history');
  if (filesTurnId) entry(l10n.t('Restore Files and Rewind'), 'restore-and-rewind', l10n.t('Restore files and rewind the conversation to before this message'), 'debug-step-back');
  return list;
}

/**
 * Keeps the page's disclosures tidy: Escape closes an open one (focus back on its toggle), and a click or
 * focus outside it closes it, as a menu would.
 */
export function closeMessageActionsOutside(root: HTMLElement): void {
  const closeAll = (except: Element | null) => {
    for (const open of root.querySelectorAll<HTMLDetailsElement>('details.message-actions[open]')) if (open !== except) open.open = false;
  };
  root.ownerDocument.addEventListener('click', (event) => closeAll((event.target as Element | null)?.closest('details.message-actions') ?? null));
  root.addEventListener('focusin', (event) => closeAll((event.target as Element | null)?.closest('details.message-actions') ?? null));
  root.addEventListener('keydown', (event) => {
    const open = (event.target as Element | null)?.closest<HTMLDetailsElement>('details.message-actions[open]');
    if (event.key !== 'Escape' || !open) return;
    event.preventDefault();
    event.stopPropagation();
    open.open = false;
    open.querySelector<HTMLElement>('summary')?.focus();
  });
}
