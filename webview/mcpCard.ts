// The card of a call to an MCP server's tool: "server · tool", its state, the arguments (folded), the
// progress the server reports while it runs, and the result: text blocks as plain text, images as <img>
// from the block's own base64 data (never a remote address: the page's CSP allows only data: images),
// resources and links named, structured content as JSON, or the error.
import * as l10n from '@vscode/l10n';
import type { PendingApproval, ThreadItemOf } from '../src/protocol';
import { el, icon, iconButton } from './dom';

type McpToolCall = ThreadItemOf<'mcpToolCall'>;

/** Image types an <img> shows from a data: URL; SVG is left out (it is a document, not pixels). */
const SHOWN_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
/** Base64 characters of one image: 20 MiB decoded, as the composer takes. */
const MAX_IMAGE_BASE64 = Math.ceil((20 * 1024 * 1024 * 4) / 3);
/** Content blocks rendered; a result with more says how many are left out. */
const MAX_BLOCKS = 50;

/** Folded sections the user opened or closed, by `${itemId}:${section}`, so a re-render (progress, completion) keeps them so. */
const folds = new Map<string, boolean>();

export function fillMcpToolCall(node: HTMLElement, item: McpToolCall, pending: PendingApproval | undefined, stopped: boolean, progress: string | undefined): void {
  node.className = `card tool mcp-tool ${item.status}`;
  node.setAttribute('aria-label', l10n.t('MCP tool {0} of the {1} server', item.tool, item.server));
  const title = el('div', 'card-title');
  title.append(el('span', 'mcp-server', item.server), ' · ', el('span', 'mcp-tool-name', item.tool));
  const meta = el('div', 'card-meta');
  const children: HTMLElement[] = [title, meta];
  const running = item.status === 'inProgress' && !stopped;
  if (pending) {
    meta.append(el('span', 'badge waiting', l10n.t('waiting for your approval')));
  } else if (item.status === 'inProgress') {
    if (stopped) meta.append(el('span', 'badge declined', l10n.t('stopped')));
    else {
      const badge = el('span', 'badge running');
      badge.append(spinner(), ` ${l10n.t('running')}`);
      meta.append(badge);
    }
  } else {
    meta.append(item.status === 'failed' ? el('span', 'badge failed', l10n.t('failed')) : el('span', 'badge ok', l10n.t('done')));
  }
  if (item.durationMs !== null && item.status !== 'inProgress') meta.append(el('span', 'duration', duration(item.durationMs)));
  if (running && progress) {
    const note = el('p', 'mcp-progress', progress);
    note.setAttribute('role', 'status');
    children.push(note);
  }
  const args = argumentsSection(item);
  if (args) children.push(args);
  if (item.error) {
    const error = el('p', 'mcp-error', item.error.message);
    error.setAttribute('role', 'note');
    error.setAttribute('aria-label', l10n.t('Error: {0}', item.error.message));
    children.push(error);
  }
  if (item.result) children.push(...resultParts(item));
  if (pending) {
    // The dialog decides; the card only opens it again (it may have been held back, or put off).
    const actions = el('div', 'card-actions');
    const review = iconButton('shield', l10n.t('Review…'), 'secondary');
    review.dataset.action = 'review-command';
    review.dataset.itemId = item.id;
    review.setAttribute('aria-label', l10n.t('Review the call of {0} and decide whether to allow it', item.tool));
    actions.append(review);
    children.push(actions);
  }
  node.replaceChildren(...children);
}

function spinner(): HTMLElement {
  const node = icon('loading');
  node.classList.add('codicon-modifier-spin');
  return node;
}

function duration(ms: number): string {
  return ms < 1000 ? l10n.t('{0} ms', ms) : l10n.t('{0} s', (ms / 1000).toFixed(ms < 10_000 ? 1 : 0));
}

/** Pretty JSON; a value JSON cannot hold is shown as text. */
function json(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A folded section whose open state outlives re-renders. */
function folded(itemId: string, section: string, summary: string, body: HTMLElement, openByDefault = false): HTMLDetailsElement {
  const key = `${itemId}:${section}`;
  const details = el('details', `mcp-section mcp-${section}`);
  details.open = folds.get(key) ?? openByDefault;
  details.addEventListener('toggle', () => folds.set(key, details.open));
  const label = el('summary', undefined, summary);
  // The toggle event comes a task later: a re-render in between would forget the click, so it is kept now.
  label.addEventListener('click', () => folds.set(key, !details.open));
  details.append(label, body);
  return details;
}

function argumentsSection(item: McpToolCall): HTMLElement | undefined {
  const args = item.arguments;
  if (args === null || args === undefined || (typeof args === 'object' && !Array.isArray(args) && Object.keys(args).length === 0)) return undefined;
  return folded(item.id, 'arguments', l10n.t('Arguments'), el('pre', 'mcp-json', json(args)));
}

function resultParts(item: McpToolCall): HTMLElement[] {
  const parts: HTMLElement[] = [];
  const content = item.result?.content ?? [];
  if (content.length > 0) {
    const box = el('div', 'mcp-result');
    box.setAttribute('aria-label', l10n.t('Result'));
    for (const block of content.slice(0, MAX_BLOCKS)) box.append(contentBlock(block, item.server));
    if (content.length > MAX_BLOCKS) box.append(el('p', 'mcp-note', l10n.t('{0} more parts of the result are not shown.', content.length - MAX_BLOCKS)));
    parts.push(box);
  }
  const structured = item.result?.structuredContent;
  if (structured !== null && structured !== undefined) {
    parts.push(folded(item.id, 'structured', l10n.t('Structured result'), el('pre', 'mcp-json', json(structured)), content.length === 0));
  }
  return parts;
}

type Block = { type?: unknown; text?: unknown; data?: unknown; mimeType?: unknown; uri?: unknown; name?: unknown; title?: unknown; resource?: unknown };

/** One MCP content block. Everything is text content or an attribute: nothing the server sends becomes markup. */
function contentBlock(raw: unknown, server: string): HTMLElement {
  const block = (typeof raw === 'object' && raw !== null ? raw : {}) as Block;
  switch (block.type) {
    case 'text':
      if (typeof block.text === 'string') return el('pre', 'mcp-text', block.text);
      break;
    case 'image': {
      const image = imageOf(block.data, block.mimeType, l10n.t('Image from the {0} MCP server', server));
      if (image) return image;
      return el('p', 'mcp-note', l10n.t('An image ({0}) that the chat does not show.', typeof block.mimeType === 'string' ? block.mimeType : '?'));
    }
    case 'audio':
      return el('p', 'mcp-note', l10n.t('Audio ({0}) is not played in the chat.', typeof block.mimeType === 'string' ? block.mimeType : '?'));
    case 'resource_link':
      if (typeof block.uri === 'string') return resourceName(block.uri, typeof block.title === 'string' ? block.title : typeof block.name === 'string' ? block.name : undefined, 'link');
      break;
    case 'resource':
      return embeddedResource(block.resource, server);
  }
  return el('pre', 'mcp-json', json(raw));
}

function resourceName(uri: string, name: string | undefined, codicon: string): HTMLElement {
  const line = el('div', 'mcp-resource');
  line.append(icon(codicon), ' ');
  if (name && name !== uri) line.append(el('span', 'mcp-resource-name', name), ' ');
  line.append(el('code', undefined, uri));
  return line;
}

function embeddedResource(raw: unknown, server: string): HTMLElement {
  const resource = (typeof raw === 'object' && raw !== null ? raw : {}) as { uri?: unknown; text?: unknown; blob?: unknown; mimeType?: unknown };
  const box = el('div', 'mcp-embedded');
  box.append(resourceName(typeof resource.uri === 'string' ? resource.uri : '?', undefined, 'file'));
  if (typeof resource.text === 'string') box.append(el('pre', 'mcp-text', resource.text));
  else if (typeof resource.blob === 'string') {
    const image = imageOf(resource.blob, resource.mimeType, l10n.t('Image from the {0} MCP server', server));
    box.append(image ?? el('p', 'mcp-note', l10n.t('Binary content ({0}) that the chat does not show.', typeof resource.mimeType === 'string' ? resource.mimeType : '?')));
  }
  return box;
}

/** An <img> of base64 `data` when it is a raster image of a type the chat shows; undefined otherwise. */
export function imageOf(data: unknown, mimeType: unknown, alt: string): HTMLImageElement | undefined {
  const source = imageSource(data, mimeType);
  if (!source) return undefined;
  const image = el('img', 'mcp-image');
  image.alt = alt;
  image.src = source;
  return image;
}

/** The data: URL for an image block, built only from its own bytes; undefined when they are not a shown image. */
export function imageSource(data: unknown, mimeType: unknown): string | undefined {
  if (typeof data !== 'string' || typeof mimeType !== 'string') return undefined;
  const mime = mimeType.trim().toLowerCase();
  if (!SHOWN_IMAGE_TYPES.has(mime)) return undefined;
  const base64 = data.replace(/\s+/g, '');
  if (base64 === '' || base64.length > MAX_IMAGE_BASE64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  return `data:${mime};base64,${base64}`;
}
