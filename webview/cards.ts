// One renderer per kind of thread item. Each fills the row's element from the item alone (plus whether the
// host is waiting on an approval for it), so a re-render after a delta is just another call.
import { shellScriptOf } from '../src/protocol/shellCommand';
import type { FileUpdateChange, PendingApproval, ThreadItem, ThreadItemOf } from '../src/protocol';
import { renderAnsi } from './ansi';
import { renderMarkdown } from './markdown';
import { fillEnteredReview, fillExitedReview } from './review';
import type { TurnChanges, TurnPlan } from './store';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A codicon, hidden from screen readers: the control it sits in carries the accessible name. */
export function icon(name: string): HTMLElement {
  const node = el('span', `codicon codicon-${name}`);
  node.setAttribute('aria-hidden', 'true');
  return node;
}

/** A button with a codicon and a visible label. */
export function iconButton(name: string, label: string, className = 'icon-button'): HTMLButtonElement {
  const node = el('button', className);
  node.type = 'button';
  node.append(icon(name), el('span', 'label', label));
  return node;
}

const ACTION_ICONS: Record<string, string> = { 'show-change': 'diff', 'review-command': 'shield', accept: 'check', decline: 'close' };

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
 */
export function fillItem(node: HTMLElement, item: ThreadItem, pending: PendingApproval | undefined, workspaceRoots: readonly string[], stopped = false): void {
  switch (item.type) {
    case 'userMessage':
      node.className = 'message user';
      node.textContent = item.content.map((c) => (c.type === 'text' ? c.text : c.type === 'localImage' ? `[image ${c.path}]` : c.type === 'image' ? '[image]' : `@${c.name}`)).join('\n');
      node.setAttribute('aria-label', 'You');
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
      fillFileChange(node, item, pending, workspaceRoots, stopped);
      return;
    case 'dynamicToolCall':
      node.className = 'card tool';
      node.replaceChildren(el('div', 'card-title', `${item.namespace ? `${item.namespace}.` : ''}${item.tool}`), statusBadge(item.status === 'inProgress' ? (stopped ? 'stopped' : 'running') : item.success === false ? 'failed' : 'done'));
      return;
    case 'contextCompaction':
      node.className = 'marker';
      node.textContent = 'Context compacted: earlier messages were summarised for the model.';
      return;
    case 'imageView':
      node.className = 'marker';
      node.textContent = `Looked at the image ${relative(item.path, workspaceRoots)}`;
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
    details.append(el('summary', undefined, 'Thinking'), el('div', 'reasoning-text'));
    node.replaceChildren(details);
  }
  details.querySelector('.reasoning-text')!.textContent = item.summary.filter(Boolean).join('\n\n') || '…';
}

function statusBadge(text: string, kind = text): HTMLElement {
  return el('span', `badge ${kind}`, text);
}

function duration(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

function fillCommand(node: HTMLElement, item: ThreadItemOf<'commandExecution'>, pending: PendingApproval | undefined, stopped: boolean): void {
  node.className = `card command ${item.status}`;
  // The item names the shell invocation; the user reads the script, as the model wrote it.
  const script = shellScriptOf(item.command);
  node.setAttribute('aria-label', `Command: ${script}`);
  const title = el('div', 'card-title');
  title.append(el('code', 'command-line', `$ ${script}`));
  const meta = el('div', 'card-meta');
  const output = item.aggregatedOutput ?? '';
  const children: HTMLElement[] = [title, meta];
  if (pending) {
    meta.append(statusBadge('waiting for your approval', 'waiting'));
    // The dialog decides; the card only opens it (it may have been held back while the user typed, or closed).
    const actions = el('div', 'card-actions');
    actions.append(button('Review…', 'review-command', item.id, {}, `Review the command ${script} and decide whether to run it`));
    children.push(actions);
  } else if (item.status === 'inProgress') meta.append(stopped ? statusBadge('stopped', 'declined') : statusBadge('running'));
  else if (item.status === 'declined') {
    // Declined by the policy or the sandbox, nothing ran: the output is the reason ("not run: …"). Declined
    // by the user: no output.
    const reason = notRunReason(output);
    meta.append(statusBadge(reason === null ? 'declined' : 'not run', 'declined'));
    if (output) {
      const why = el('p', 'not-run-reason', reason ?? output);
      why.setAttribute('role', 'note');
      why.setAttribute('aria-label', `Not run: ${reason ?? output}`);
      children.push(why);
    }
    node.replaceChildren(...children);
    return;
  } else {
    meta.append(statusBadge(item.exitCode === 0 ? 'exit 0' : `exit ${item.exitCode ?? '?'}`, item.exitCode === 0 ? 'ok' : 'failed'));
    if (item.durationMs !== null) meta.append(el('span', 'duration', duration(item.durationMs)));
  }
  if (output) {
    let pre = node.querySelector<HTMLPreElement>('pre.output');
    if (!pre) pre = el('pre', 'output');
    renderAnsi(pre, output);
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', 'Command output');
    children.push(pre);
  }
  node.replaceChildren(...children);
  const pre = node.querySelector('pre.output');
  if (pre && item.status === 'inProgress') pre.scrollTop = pre.scrollHeight;
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

function fillFileChange(node: HTMLElement, item: ThreadItemOf<'fileChange'>, pending: PendingApproval | undefined, roots: readonly string[], stopped: boolean): void {
  node.className = `card file-change ${item.status}`;
  const count = item.changes.length;
  const title = el('div', 'card-title', `${count === 1 ? '1 file' : `${count} files`} changed`);
  const meta = el('div', 'card-meta');
  const actions = el('div', 'card-actions');
  if (pending) {
    meta.append(statusBadge('waiting for your approval', 'waiting'));
    actions.append(
      button('Review in Diff Editor', 'show-change', item.id),
      button('Accept', 'decide-change', item.id, { decision: 'accept' }, 'Accept the change'),
      button('Reject', 'decide-change', item.id, { decision: 'decline' }, 'Reject the change'),
    );
  } else {
    const shown = item.status === 'inProgress' ? (stopped ? 'stopped' : 'applying') : item.status;
    meta.append(statusBadge(shown, item.status === 'completed' ? 'ok' : shown === 'stopped' ? 'declined' : item.status));
    if (item.status === 'completed') actions.append(button('Open Diff', 'show-change', item.id, {}, 'Open the diff in the editor'));
  }
  const files = el('div', 'files');
  for (const change of item.changes) files.append(fileDiff(change, roots));
  node.replaceChildren(title, meta, files, actions);
}

function fileDiff(change: FileUpdateChange, roots: readonly string[]): HTMLElement {
  const details = el('details', 'file');
  const letter = change.kind.type === 'add' ? 'A' : change.kind.type === 'delete' ? 'D' : 'M';
  const moved = change.kind.type === 'update' && change.kind.move_path ? ` → ${relative(change.kind.move_path, roots)}` : '';
  const lines = diffLines(change);
  const added = lines.filter((l) => l.startsWith('+')).length;
  const removed = lines.filter((l) => l.startsWith('-')).length;
  const summary = el('summary');
  summary.append(el('span', `change-kind ${change.kind.type}`, letter), ` ${relative(change.path, roots)}${moved} `, el('span', 'added', `+${added}`), ' ', el('span', 'removed', `-${removed}`));
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
  const files = changes.files === 1 ? '1 file changed' : `${changes.files} files changed`;
  node.setAttribute('aria-label', `${files}, ${changes.added} lines added, ${changes.removed} removed`);
  node.replaceChildren(el('span', 'turn-changes-files', files), ' ', el('span', 'added', `+${changes.added}`), ' ', el('span', 'removed', `-${changes.removed}`));
}

export function fillPlan(node: HTMLElement, plan: TurnPlan): void {
  node.className = 'card plan';
  const done = plan.plan.filter((s) => s.status === 'completed').length;
  const list = el('ul', 'plan-steps');
  list.setAttribute('aria-label', 'Plan');
  for (const step of plan.plan) {
    const li = el('li', `plan-step ${step.status}`);
    const mark = step.status === 'completed' ? '✓' : step.status === 'inProgress' ? '▸' : '○';
    li.append(el('span', 'plan-mark', mark), ` ${step.step}`);
    li.setAttribute('aria-label', `${step.step}: ${step.status === 'inProgress' ? 'in progress' : step.status}`);
    list.append(li);
  }
  const children: HTMLElement[] = [el('div', 'card-title', `Plan · ${done} of ${plan.plan.length} done`)];
  if (plan.explanation) children.push(el('p', 'plan-explanation', plan.explanation));
  children.push(list);
  node.replaceChildren(...children);
}
