// Review turns in the chat: the "Reviewing …" marker, and the findings card built from the rendered review
// (`exitedReviewMode`), each finding with a link that opens its file at its line.
import * as l10n from '@vscode/l10n';
import type { ThreadItem, ThreadItemOf } from '../src/protocol';
import { el, icon } from './dom';
import { renderMarkdown } from './markdown';

export interface ShownFinding {
  title: string;
  body: string;
  path: string | null;
  start: number | null;
  end: number | null;
}

/** The explanation and findings of a rendered review: "- title — /path:start-end" then body lines indented by two. */
export function parseRenderedReview(text: string): { explanation: string; findings: ShownFinding[] } {
  const lines = text.split('\n');
  const first = lines.findIndex((line) => /^(Review comment|Full review comments):$/.test(line));
  if (first === -1) return { explanation: text.trim(), findings: [] };
  const findings: ShownFinding[] = [];
  for (const line of lines.slice(first + 1)) {
    if (line.startsWith('- ')) {
      const located = /^- (.*) — (.+):(\d+)-(\d+)$/.exec(line);
      findings.push(
        located ? { title: located[1]!, path: located[2]!, start: Number(located[3]), end: Number(located[4]), body: '' } : { title: line.slice(2), path: null, start: null, end: null, body: '' },
      );
    } else if (findings.length > 0) {
      const finding = findings.at(-1)!;
      finding.body += `${finding.body ? '\n' : ''}${line.startsWith('  ') ? line.slice(2) : line}`;
    }
  }
  for (const finding of findings) finding.body = finding.body.trim();
  return { explanation: lines.slice(0, first).join('\n').trim(), findings };
}

export function fillEnteredReview(node: HTMLElement, item: ThreadItemOf<'enteredReviewMode'>): void {
  node.className = 'marker review';
  node.replaceChildren(icon('checklist'), el('span', undefined, ` ${l10n.t('Reviewing {0}', item.review)}`));
}

export function fillExitedReview(node: HTMLElement, item: ThreadItemOf<'exitedReviewMode'>, workspaceRoots: readonly string[]): void {
  node.className = 'card review';
  const { explanation, findings } = parseRenderedReview(item.review);
  const count = findings.length;
  const title = el('div', 'card-title', count === 0 ? l10n.t('Review: no findings') : count === 1 ? l10n.t('Review: 1 finding') : l10n.t('Review: {0} findings', count));
  const children: HTMLElement[] = [title];
  if (explanation) {
    const summary = el('div', 'markdown review-summary');
    renderMarkdown(summary, explanation);
    children.push(summary);
  }
  const list = el('ol', 'review-findings');
  for (const finding of findings) {
    const entry = el('li', 'review-finding');
    entry.append(el('div', 'review-finding-title', finding.title));
    if (finding.path) entry.append(locationLink(finding, workspaceRoots));
    if (finding.body) {
      const body = el('div', 'markdown review-finding-body');
      renderMarkdown(body, finding.body);
      entry.append(body);
    }
    list.append(entry);
  }
  if (findings.length > 0) children.push(list);
  node.replaceChildren(...children);
}

/** A button (not an anchor: anchors open URLs) that asks the host to open the file at the finding's first line. */
function locationLink(finding: ShownFinding, workspaceRoots: readonly string[]): HTMLButtonElement {
  const shown = relativeTo(finding.path!, workspaceRoots);
  const lines = finding.start === finding.end ? `${finding.start}` : `${finding.start}-${finding.end}`;
  const link = el('button', 'link review-location', `${shown}:${lines}`);
  link.type = 'button';
  link.dataset.action = 'open-file';
  link.dataset.path = finding.path!;
  if (finding.start !== null) link.dataset.line = String(finding.start);
  link.title = l10n.t('Open {0}', `${finding.path}:${lines}`);
  return link;
}

function relativeTo(file: string, roots: readonly string[]): string {
  for (const root of roots) {
    const prefix = root.endsWith('/') ? root : `${root}/`;
    if (file.startsWith(prefix)) return file.slice(prefix.length);
  }
  return file;
}

/**
 * Items of a review turn the chat does not show: the reviewer's own messages (raw JSON, which codex only
 * starts) and the agent message repeating the findings card.
 */
export function hiddenReviewItems(items: readonly ThreadItem[]): Set<string> {
  const hidden = new Set<string>();
  let reviewing = false;
  let rendered: string | undefined;
  for (const item of items) {
    if (item.type === 'enteredReviewMode') reviewing = true;
    else if (item.type === 'exitedReviewMode') {
      reviewing = false;
      rendered = item.review;
    } else if (item.type === 'agentMessage' && (reviewing || item.text === rendered)) hidden.add(item.id);
  }
  return hidden;
}
