// A user message as the chat shows it: the user's words, then what the message carried. The IDE context
// an editor put before the words (see src/vscode/contextAttachments.ts) shows as chips naming each part,
// not as the text the model reads; images show as thumbnails.
import * as l10n from '@vscode/l10n';
import type { Turn, UserInput } from '../src/protocol';
import { splitIdeContext } from '../src/protocol/ideContextFormat';
import { fileName } from './fileName';

export interface ContextLabel {
  /** A codicon name. */
  icon: string;
  label: string;
}

export interface UserMessageParts {
  /** What the user wrote (mentions and skills as `@name`). */
  text: string;
  /** The context sections, by short name: "notes.ts:12-30", "Problems", "Terminal: npm test", a page. */
  context: ContextLabel[];
  images: Array<{ url: string } | { path: string }>;
}

export function userMessageParts(content: readonly UserInput[]): UserMessageParts {
  const texts: string[] = [];
  const context: ContextLabel[] = [];
  const images: UserMessageParts['images'] = [];
  for (const item of content) {
    if (item.type === 'text') {
      const split = splitIdeContext(item.text);
      if (split) context.push(...contextLabels(split.context));
      const request = split ? split.request : item.text;
      if (request) texts.push(request);
    } else if (item.type === 'image') images.push({ url: item.url });
    else if (item.type === 'localImage') images.push({ path: item.path });
    else texts.push(`@${item.name}`);
  }
  return { text: texts.join('\n'), context, images };
}

/**
 * Chip names for the section headings contextAttachments.ts writes. Only heading lines outside code fences
 * count, each matched whole: the host fences every section's text, so a page, a selection or a command's
 * output that prints `## Active file: …` cannot add a chip. (Older messages, unfenced, read the same way.)
 */
export function contextLabels(block: string): ContextLabel[] {
  const labels: ContextLabel[] = [];
  const add = (icon: string, label: string) => labels.push({ icon, label });
  let fence: string | null = null;
  // The terminal's chip takes its command from the section's first line, `$ npm test`.
  let terminal: ContextLabel | null = null;
  const named = (line: string) => {
    if (terminal) terminal.label = l10n.t('Terminal: {0}', line.replace(/^\$ /, ''));
    terminal = null;
  };
  for (const line of block.split('\n')) {
    if (fence !== null) {
      if (closesFence(line, fence)) fence = null;
      else named(line);
      continue;
    }
    fence = fenceOpened(line);
    if (fence !== null) continue;
    if (terminal) {
      named(line);
      continue;
    }
    let match: RegExpExecArray | null;
    const file = labels.at(-1);
    if ((match = /^## Active file: (.+)$/.exec(line))) add('file', fileName(match[1]!));
    else if ((match = /^## Active selection of the file \(lines? (\d+(?:-\d+)?)\):$/.exec(line)) && file?.icon === 'file') file.label += `:${match[1]!}`;
    else if ((match = /^## Problems in (.+):$/.exec(line))) add('warning', match[1] === 'the workspace' ? l10n.t('Problems') : l10n.t('Problems in {0}', fileName(match[1]!)));
    else if (/^## Last command in the terminal “.*” \(.*\):$/.test(line)) labels.push((terminal = { icon: 'terminal', label: l10n.t('Terminal') }));
    else if ((match = /^## Web page (\S+)(?: \(.*\))?:$/.exec(line))) add('globe', match[1]!.replace(/^https?:\/\//, '').replace(/\/$/, ''));
  }
  return labels;
}

/** A code fence's opening line (as CommonMark reads it): its marker, or null. */
function fenceOpened(line: string): string | null {
  return /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/.exec(line)?.[1] ?? null;
}

/** A closing line: the opening's character, at least as many times, and nothing else. */
function closesFence(line: string, fence: string): boolean {
  const marker = /^ {0,3}(`+|~+)[ \t]*$/.exec(line)?.[1];
  return marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length;
}

/** The request a failed turn sent, to send again as it was (text, context and images). */
export function requestInput(turn: Pick<Turn, 'items'>): UserInput[] | null {
  const message = turn.items.find((item) => item.type === 'userMessage');
  if (message?.type !== 'userMessage' || message.content.length === 0) return null;
  return message.content;
}

/** Fills a user message's row: the words, then a line of chips and thumbnails for what it carried. */
export function fillUserMessage(node: HTMLElement, content: readonly UserInput[]): void {
  node.className = 'message user';
  node.setAttribute('aria-label', l10n.t('You'));
  const parts = userMessageParts(content);
  const children: HTMLElement[] = [];
  if (parts.text) children.push(span('user-text', parts.text));
  if (parts.context.length > 0 || parts.images.length > 0) {
    const carried = document.createElement('div');
    carried.className = 'user-attachments';
    for (const { icon, label } of parts.context) carried.append(chip(icon, label));
    for (const image of parts.images) {
      if ('url' in image && image.url.startsWith('data:image/')) {
        const img = document.createElement('img');
        img.className = 'user-image';
        img.src = image.url;
        img.alt = l10n.t('Attached image');
        carried.append(img);
      } else carried.append(chip('file-media', 'path' in image ? fileName(image.path) : l10n.t('image')));
    }
    children.push(carried);
  }
  node.replaceChildren(...children);
}

function span(className: string, text: string): HTMLElement {
  const node = document.createElement('div');
  node.className = className;
  node.textContent = text;
  return node;
}

function chip(iconName: string, label: string): HTMLElement {
  const node = span('user-attachment', '');
  const glyph = document.createElement('span');
  glyph.className = `codicon codicon-${iconName}`;
  glyph.setAttribute('aria-hidden', 'true');
  node.append(glyph, document.createTextNode(label));
  node.title = label;
  return node;
}
