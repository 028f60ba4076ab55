// One renderer per kind of thread item. Each fills the row's element from the item alone (plus whether the
// host is waiting on an approval for it), so a re-render after a delta is just another call.
import * as l10n from '@vscode/l10n';
import { shellScriptOf } from '../src/protocol/shellCommand';
import type { FileUpdateChange, PendingApproval, ThreadItem, ThreadItemOf } from '../src/protocol';
import { renderMarkdown } from './markdown';
import { fillOutput } from './output';
import { fillEnteredReview, fillExitedReview } from './review';
import type { TurnChanges, TurnPlan } from './store';
import { fillUserMessage } from './userMessage';
import { el, iconButton } from './dom';
import { fillMcpToolCall } from './mcpCard';

const ACTION_ICONS: Record<string, string> = { 'show-change': 'diff', 'review-command': 'shield', 'choose-change-files': 'checklist', accept: 'check', decline: 'close' };

function button(label: string, action: string, itemId: string, extra: Record<string, string> = {}, ariaLabel?: string): HTMLButtonElement {
  const node = iconButton(ACTION_ICONS[extra.decision ?? action] ?? 'circle', label, 'secondary');
  node.type = 'button';
  node.dataset.action = action;
  node.dataset.itemId = itemId;
  for (const [key, value] of Object.entries(extra)) node.dataset[key] = value;
  if (ariaLabel) node.setAttribute('aria-label', ariaLabel);
  return node;
}

/**
 * `stopped`: the item's turn ended (interrupted or failed) while the item was still in progress; codex
 * leaves such items open on the wire, so the card says "stopped" instead of "running" forever.
 * `lastOfTurn`: nothing came after the item in its turn (so a patch declined as the turn stopped was the stop's).
 * `progress`: what a running MCP tool call last reported.
 */
export function fillItem(
  node: HTMLElement,
  item: ThreadItem,
  pending: PendingApproval | undefined,
  workspaceRoots: readonly string[],
  stopped = false,
  lastOfTurn = false,
  progress?: string,
): void {
  switch (item.type) {
    case 'userMessage':
      fillUserMessage(node, item.content);
      return;
    case 'agentMessage':
      node.className = 'message agent markdown';
      node.setAttribute('aria-label', 'Tandem');
      renderMarkdown(node, item.text);
      return;
    case 'reasoning':
      fillReasoning(node, item);
      return;
    case 'commandExecution':
      fillCommand(node, item, pending, stopped);
      return;
    case 'fileChange':
      fillFileChange(node, item, pending, workspaceRoots, stopped, lastOfTurn);
      return;
    case 'dynamicToolCall':
      node.className = 'card tool';
      node.replaceChildren(el('div', 'card-title', `${item.namespace ? `${item.namespace}.` : ''}${item.tool}`), stateBadge(item.status === 'inProgress' ? (stopped ? 'stopped' : 'running') : item.success === false ? 'failed' : 'done'));
      return;
    case 'mcpToolCall':
      fillMcpToolCall(node, item, pending, stopped, progress);
      return;
    case 'contextCompaction':
      node.className = 'marker';
      node.textContent = l10n.t('Context compacted: earlier messages were summarised for the model.');
      return;
    case 'imageView':
      node.className = 'marker';
      node.textContent = l10n.t('Looked at the image {0}', relative(item.path, workspaceRoots));
      return;
    case 'enteredReviewMode':
      fillEnteredReview(node, item);
      return;
    case 'exitedReviewMode':
      fillExitedReview(node, item, workspaceRoots);
      return;
  }
}

function fillReasoning(node: HTMLElement, item: ThreadItemOf<'reasoning'>): void {
  node.className = 'reasoning';
  let details = node.querySelector('details');
  if (!details) {
    details = el('details');
    details.append(el('summary', undefined, l10n.t('Thinking')), el('div', 'reasoning-text markdown'));
    node.replaceChildren(details);
  }
  // The model writes its summary in markdown, as it does its messages, and it goes through the same renderer.
  renderMarkdown(details.querySelector<HTMLElement>('.reasoning-text')!, item.summary.filter(Boolean).join('\n\n') || '…');
}

/** A status on a card: `kind` is its class (its colour), the text is in the user's language. */
function statusBadge(text: string, kind: string): HTMLElement {
  return el('span', `badge ${kind}`, text);
}

type CardState = 'running' | 'stopped' | 'failed' | 'done' | 'applying' | 'cancelled' | 'completed' | 'declined';

/** A badge whose class is the state itself. */
function stateBadge(state: CardState, kind: string = state): HTMLElement {
  return statusBadge(stateWord(state), kind);
}

function stateWord(state: CardState): string {
  switch (state) {
    case 'running':
      return l10n.t('running');
    case 'stopped':
      return l10n.t('stopped');
    case 'failed':
      return l10n.t('failed');
    case 'done':
      return l10n.t('done');
    case 'applying':
      return l10n.t('applying');
    case 'cancelled':
      return l10n.t('cancelled');
    case 'completed':
      return l10n.t('completed');
    case 'declined':
      return l10n.t('declined');
  }
}

function duration(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1000 ? l10n.t('{0} ms', ms) : l10n.t('{0} s', (ms / 1000).toFixed(ms < 10_000 ? 1 : 0));
}

function fillCommand(node: HTMLElement, item: ThreadItemOf<'commandExecution'>, pending: PendingApproval | undefined, stopped: boolean): void {
  node.className = `card command ${item.status}`;
  // The item names the shell invocation; the user reads the script, as the model wrote it.
  const script = shellScriptOf(item.command);
  node.setAttribute('aria-label', l10n.t('Command: {0}', script));
  const title = el('div', 'card-title');
  title.append(el('code', 'command-line', `$ ${script}`));
  const meta = el('div', 'card-meta');
  const output = item.aggregatedOutput ?? '';
  const children: HTMLElement[] = [title, meta];
  if (pending) {
    meta.append(statusBadge(l10n.t('waiting for your approval'), 'waiting'));
    // The dialog decides; the card only opens it (it may have been held back while the user typed, or closed).
    const actions = el('div', 'card-actions');
    actions.append(button(l10n.t('Review…'), 'review-command', item.id, {}, l10n.t('Review the command {0} and decide whether to run it', script)));
    children.push(actions);
  } else if (item.status === 'inProgress') meta.append(stopped ? stateBadge('stopped', 'declined') : stateBadge('running'));
  else if (item.status === 'declined') {
    // Declined by the policy or the sandbox, nothing ran: the output is the reason ("not run: …"). Declined
    // by the user: no output.
    const reason = notRunReason(output);
    meta.append(reason === null ? stateBadge('declined') : statusBadge(l10n.t('not run'), 'declined'));
    if (output) {
      const why = el('p', 'not-run-reason', reason ?? output);
      why.setAttribute('role', 'note');
      why.setAttribute('aria-label', l10n.t('Not run: {0}', reason ?? output));
      children.push(why);
    }
    node.replaceChildren(...children);
    return;
  } else {
    meta.append(statusBadge(l10n.t('exit {0}', item.exitCode ?? '?'), item.exitCode === 0 ? 'ok' : 'failed'));
    if (item.durationMs !== null) meta.append(el('span', 'duration', duration(item.durationMs)));
  }
  if (output) children.push(fillOutput(node.querySelector<HTMLElement>('.output-box'), item.id, output));
  node.replaceChildren(...children);
}

/** The reason in a refused command's output (`not run: <reason>`), or null when it is not one. */
export function notRunReason(output: string): string | null {
  const match = /^not run:\s*/i.exec(output);
  return match ? output.slice(match[0].length).trim() || output : null;
}

function relative(file: string, roots: readonly string[]): string {
  const root = roots.find((r) => file.startsWith(`${r}/`));
  return root ? file.slice(root.length + 1) : file;
}

function fillFileChange(node: HTMLElement, item: ThreadItemOf<'fileChange'>, pending: PendingApproval | undefined, roots: readonly string[], stopped: boolean, lastOfTurn: boolean): void {
  node.className = `card file-change ${item.status}`;
  const count = item.changes.length;
  const title = el('div', 'card-title', count === 1 ? l10n.t('1 file changed') : l10n.t('{0} files changed', count));
  const meta = el('div', 'card-meta');
  const actions = el('div', 'card-actions');
  // Tandem's partial accept: `changes` holds what was written, the files the user rejected ride along.
  const rejected = item.tandemRejectedChanges ?? [];
  if (pending && count > 1) {
    meta.append(statusBadge(l10n.t('waiting for your approval'), 'waiting'));
    actions.append(
      button(l10n.t('Review in Diff Editor'), 'show-change', item.id),
      button(l10n.t('Accept All'), 'decide-change', item.id, { decision: 'accept' }, l10n.t('Accept all {0} files of the change', count)),
      button(l10n.t('Choose Files…'), 'choose-change-files', item.id, {}, l10n.t('Choose which files of the change to accept')),
      button(l10n.t('Reject All'), 'decide-change', item.id, { decision: 'decline' }, l10n.t('Reject all {0} files of the change', count)),
    );
  } else if (pending) {
    meta.append(statusBadge(l10n.t('waiting for your approval'), 'waiting'));
    actions.append(
      button(l10n.t('Review in Diff Editor'), 'show-change', item.id),
      button(l10n.t('Accept'), 'decide-change', item.id, { decision: 'accept' }, l10n.t('Accept the change')),
      button(l10n.t('Reject'), 'decide-change', item.id, { decision: 'decline' }, l10n.t('Reject the change')),
    );
  } else {
    // The server declines a patch whose turn was stopped while it waited, and the turn ends right there: the
    // user cancelled it. A patch rejected earlier in a turn stopped later (other items follow it) stays declined.
    const cancelled = item.status === 'declined' && stopped && lastOfTurn;
    const shown = item.status === 'inProgress' ? (stopped ? 'stopped' : 'applying') : cancelled ? 'cancelled' : item.status;
    const partly = item.status === 'completed' && rejected.length > 0 ? l10n.t('{0} of {1} files applied', count, count + rejected.length) : null;
    meta.append(statusBadge(partly ?? stateWord(shown), item.status === 'completed' ? 'ok' : shown === 'stopped' || shown === 'cancelled' ? 'declined' : item.status));
    if (item.status === 'completed') actions.append(button(l10n.t('Open Diff'), 'show-change', item.id, {}, l10n.t('Open the diff in the editor')));
  }
  const files = el('div', 'files');
  for (const change of item.changes) files.append(fileDiff(change, roots));
  for (const change of rejected) files.append(fileDiff(change, roots, true));
  node.replaceChildren(title, meta, files, actions);
}

/** One file's diff, folded; `rejected`: a file the user rejected from a change accepted in part (not written). */
function fileDiff(change: FileUpdateChange, roots: readonly string[], rejected = false): HTMLElement {
  const details = el('details', rejected ? 'file rejected' : 'file');
  const letter = change.kind.type === 'add' ? 'A' : change.kind.type === 'delete' ? 'D' : 'M';
  const moved = change.kind.type === 'update' && change.kind.move_path ? ` → ${relative(change.kind.move_path, roots)}` : '';
  const lines = diffLines(change);
  const added = lines.filter((l) => l.startsWith('+')).length;
  const removed = lines.filter((l) => l.startsWith('-')).length;
  const summary = el('summary');
  summary.append(el('span', `change-kind ${change.kind.type}`, letter), ` ${relative(change.path, roots)}${moved} `, el('span', 'added', `+${added}`), ' ', el('span', 'removed', `-${removed}`));
  if (rejected) summary.append(' ', statusBadge(l10n.t('rejected'), 'declined'));
  const pre = el('pre', 'diff');
  for (const line of lines) {
    const kind = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : 'ctx';
    pre.append(el('span', `diff-line ${kind}`, `${line}\n`));
  }
  details.append(summary, pre);
  return details;
}

/** A change as diff lines: an added or deleted file's change carries its content, an update its hunks. */
function diffLines(change: FileUpdateChange): string[] {
  if (change.kind.type === 'add' || change.kind.type === 'delete') {
    const sign = change.kind.type === 'add' ? '+' : '-';
    const content = change.diff.endsWith('\n') ? change.diff.slice(0, -1) : change.diff;
    return content === '' ? [] : content.split('\n').map((line) => sign + line);
  }
  return change.diff.split('\n').filter((l) => !l.startsWith('Index:') && !l.startsWith('====') && !l.startsWith('---') && !l.startsWith('+++'));
}

/** What a turn changed in the workspace, in one line: files, lines added and removed. */
export function fillChanges(node: HTMLElement, changes: TurnChanges): void {
  node.className = 'turn-changes';
  const files = changes.files === 1 ? l10n.t('1 file changed') : l10n.t('{0} files changed', changes.files);
  node.setAttribute('aria-label', l10n.t('{0}, {1} lines added, {2} removed', files, changes.added, changes.removed));
  node.replaceChildren(el('span', 'turn-changes-files', files), ' ', el('span', 'added', `+${changes.added}`), ' ', el('span', 'removed', `-${changes.removed}`));
}

function planStepWord(status: TurnPlan['plan'][number]['status']): string {
  switch (status) {
    case 'pending':
      return l10n.t('pending');
    case 'inProgress':
      return l10n.t('in progress');
    case 'completed':
      return l10n.t('completed');
  }
}

export function fillPlan(node: HTMLElement, plan: TurnPlan): void {
  node.className = 'card plan';
  const done = plan.plan.filter((s) => s.status === 'completed').length;
  const list = el('ul', 'plan-steps');
  list.setAttribute('aria-label', l10n.t('Plan'));
  for (const step of plan.plan) {
    const li = el('li', `plan-step ${step.status}`);
    const mark = step.status === 'completed' ? '✓' : step.status === 'inProgress' ? '▸' : '○';
    li.append(el('span', 'plan-mark', mark), ` ${step.step}`);
    li.setAttribute('aria-label', l10n.t({ message: '{0}: {1}', args: [step.step, planStepWord(step.status)], comment: ['A plan step, then its state: "Run the tests: in progress"'] }));
    list.append(li);
  }
  const children: HTMLElement[] = [el('div', 'card-title', l10n.t('Plan · {0} of {1} done', done, plan.plan.length))];
  if (plan.explanation) children.push(el('p', 'plan-explanation', plan.explanation));
  children.push(list);
  node.replaceChildren(...children);
}
