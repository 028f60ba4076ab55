// The composer's attachments, as chips above the message box: the active editor's file or selection (the
// host offers it; removed, it stays off until the editor or selection changes), @problems, @terminal, @url
// pages and images. On send the host gathers the context chips' text (`resolveContext`); images go as
// data: URLs, or as paths for images dropped from the workspace (the server reads those).
import * as l10n from '@vscode/l10n';
import type { ActiveEditorContext, ContextAttachment, IdeContext, UserInput } from '../src/protocol';
import type { HostRpc } from './rpc';
import { MAX_CONTEXT_ATTACHMENTS, MAX_MESSAGE_IMAGES, MAX_MESSAGE_IMAGES_BYTES } from '../src/protocol/ideContextFormat';
import { fileName } from './fileName';

export type Attachment =
  | { kind: 'problems'; path: string | null }
  | { kind: 'terminal' }
  | { kind: 'url'; url: string }
  | { kind: 'image'; name: string; url: string; bytes: number }
  | { kind: 'localImage'; path: string };

/** What the webview keeps across a reload (the view is rebuilt whenever it is hidden). */
export interface SavedAttachments {
  items: Attachment[];
  dismissedEditor: string | null;
  /** Images too large to keep: the chat says they must be pasted again. */
  droppedImages: number;
}

/** Image data kept in the webview's saved state, which is written on every keystroke: more is dropped, and said so. */
export const MAX_SAVED_IMAGE_CHARS = 4 * 1024 * 1024;

/** As the host accepts it. */
const MAX_URL_CHARS = 8192;

/** "notes.ts:12-30", "notes.ts:12" or "notes.ts". */
export function editorLabel(editor: ActiveEditorContext): string {
  const name = fileName(editor.relativePath);
  const selection = editor.selection;
  if (!selection) return name;
  const first = selection.startLine + 1;
  const last = selection.endCharacter === 0 && selection.endLine > selection.startLine ? selection.endLine : selection.endLine + 1;
  return first === last ? `${name}:${first}` : `${name}:${first}-${last}`;
}

const editorKey = (editor: ActiveEditorContext | null | undefined) => (editor ? `${editor.path}#${editorLabel(editor)}` : null);

export interface TakenAttachments {
  context: ContextAttachment[];
  images: UserInput[];
  /** Puts the taken chips back (the message was not sent). */
  restore(): void;
}

export class AttachmentTray {
  private items: Attachment[] = [];
  private ide: IdeContext | null = null;
  private dismissedEditor: string | null = null;

  constructor(
    private readonly container: HTMLElement,
    private readonly changed: () => void,
  ) {
    container.addEventListener('click', (event) => {
      const remove = (event.target as HTMLElement).closest<HTMLElement>('[data-remove]');
      if (!remove) return;
      if (remove.dataset.remove === 'editor') this.dismissedEditor = editorKey(this.ide?.editor);
      else this.items.splice(Number(remove.dataset.remove), 1);
      this.update();
    });
    this.render();
  }

  /** The active editor or the terminal changed: a different file or selection brings a removed chip back. */
  setIdeContext(ide: IdeContext): void {
    this.ide = ide;
    if (editorKey(ide.editor) !== this.dismissedEditor) this.dismissedEditor = null;
    this.render();
  }

  get ideContext(): IdeContext | null {
    return this.ide;
  }

  /** The editor chip, unless the user removed it. */
  get editor(): ActiveEditorContext | null {
    const editor = this.ide?.editor ?? null;
    return editor && editorKey(editor) !== this.dismissedEditor ? editor : null;
  }

  /** True when chips other than the editor's are waiting: enough to send without words. */
  get hasItems(): boolean {
    return this.items.length > 0;
  }

  /** Adds a chip; returns why not when it cannot be added (too many or too large images). */
  add(attachment: Attachment): string | null {
    if (this.items.some((item) => sameAttachment(item, attachment))) return null;
    if (attachment.kind === 'url' && attachment.url.length > MAX_URL_CHARS) return l10n.t('That address is too long to fetch.');
    const contextCount = this.items.filter((item) => item.kind !== 'image' && item.kind !== 'localImage').length;
    // One place stays for the editor's chip.
    if (attachment.kind !== 'image' && attachment.kind !== 'localImage' && contextCount >= MAX_CONTEXT_ATTACHMENTS - 1) return l10n.t('A message can carry at most {0} of these.', MAX_CONTEXT_ATTACHMENTS - 1);
    if (attachment.kind === 'image' || attachment.kind === 'localImage') {
      const images = this.items.filter((item) => item.kind === 'image' || item.kind === 'localImage');
      if (images.length >= MAX_MESSAGE_IMAGES) return l10n.t('A message can carry at most {0} images.', MAX_MESSAGE_IMAGES);
      const bytes = images.reduce((sum, item) => sum + (item.kind === 'image' ? item.bytes : 0), attachment.kind === 'image' ? attachment.bytes : 0);
      if (bytes > MAX_MESSAGE_IMAGES_BYTES) return l10n.t('The images of one message can take at most {0} MB together: send these first.', MAX_MESSAGE_IMAGES_BYTES / 1024 / 1024);
    }
    this.items.push(attachment);
    this.update();
    return null;
  }

  /**
   * Takes what the next message carries: the editor chip (it stays for the messages after), every other chip
   * (they go with this message), and `typed`, the context named in the text itself.
   */
  take(typed: readonly Attachment[] = []): TakenAttachments {
    const taken = this.items;
    this.items = [];
    this.update();
    const editor = this.editor;
    const all = [...taken, ...typed.filter((extra) => !taken.some((item) => sameAttachment(item, extra)))];
    const context: ContextAttachment[] = editor ? [{ type: 'editor', path: editor.path, selection: editor.selection }] : [];
    const images: UserInput[] = [];
    for (const item of all) {
      if (item.kind === 'problems') context.push({ type: 'problems', path: item.path });
      else if (item.kind === 'terminal') context.push({ type: 'terminal' });
      else if (item.kind === 'url') context.push({ type: 'url', url: item.url });
      else if (item.kind === 'image') images.push({ type: 'image', url: item.url });
      else images.push({ type: 'localImage', path: item.path });
    }
    return {
      context,
      images,
      restore: () => {
        this.items = [...taken, ...this.items.filter((item) => !taken.some((back) => sameAttachment(back, item)))];
        this.update();
      },
    };
  }

  toSaved(): SavedAttachments {
    let imageChars = 0;
    let droppedImages = 0;
    const items = this.items.filter((item) => {
      if (item.kind !== 'image') return true;
      imageChars += item.url.length;
      if (imageChars <= MAX_SAVED_IMAGE_CHARS) return true;
      droppedImages += 1;
      return false;
    });
    return { items, dismissedEditor: this.dismissedEditor, droppedImages };
  }

  /** Back from a reload; returns how many images could not be kept. */
  restore(saved: SavedAttachments | undefined): number {
    if (!saved) return 0;
    this.items = Array.isArray(saved.items) ? saved.items : [];
    this.dismissedEditor = saved.dismissedEditor ?? null;
    this.render();
    return saved.droppedImages ?? 0;
  }

  private update(): void {
    this.render();
    this.changed();
  }

  private render(): void {
    const chips: HTMLElement[] = [];
    const editor = this.editor;
    if (editor) chips.push(chipFor('file', editorLabel(editor), editor.relativePath, 'editor', 'attachment-editor'));
    this.items.forEach((item, index) => {
      const remove = String(index);
      switch (item.kind) {
        case 'problems': {
          const label = item.path ? l10n.t('Problems in {0}', fileName(item.path)) : l10n.t('Problems');
          chips.push(chipFor('warning', label, item.path ? l10n.t('Problems in {0}', item.path) : l10n.t('Problems in the workspace'), remove));
          break;
        }
        case 'terminal': {
          const status = this.ide?.terminal;
          if (status?.available === false) chips.push(chipFor('terminal', l10n.t('Terminal: {0}', status.reason), status.reason, remove, 'attachment-warning'));
          else if (status) chips.push(chipFor('terminal', l10n.t('Terminal: {0}', status.command), l10n.t('The last command in “{0}”: {1}', status.terminal, status.command), remove));
          else chips.push(chipFor('terminal', l10n.t('Terminal'), l10n.t('The last command in the active terminal'), remove));
          break;
        }
        case 'url':
          chips.push(chipFor('globe', item.url.replace(/^https?:\/\//, ''), l10n.t('{0} (fetched when you send, after you approve)', item.url), remove));
          break;
        case 'image': {
          const chip = chipFor('file-media', item.name, `${item.name}, ${megabytes(item.bytes)}`, remove, 'attachment-image');
          const thumb = document.createElement('img');
          thumb.className = 'attachment-thumb';
          thumb.src = item.url;
          thumb.alt = '';
          chip.querySelector('.codicon')!.replaceWith(thumb);
          chips.push(chip);
          break;
        }
        case 'localImage':
          chips.push(chipFor('file-media', fileName(item.path), item.path, remove));
          break;
      }
    });
    this.container.replaceChildren(...chips);
    this.container.hidden = chips.length === 0;
  }
}

function sameAttachment(a: Attachment, b: Attachment): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? l10n.t('{0} MB', (bytes / 1024 / 1024).toFixed(1)) : l10n.t('{0} KB', Math.max(1, Math.round(bytes / 1024)));
}

function chipFor(iconName: string, label: string, title: string, remove: string, extraClass = ''): HTMLElement {
  const chip = document.createElement('div');
  chip.className = `attachment-chip ${extraClass}`.trim();
  chip.setAttribute('role', 'listitem');
  chip.title = title;
  const glyph = document.createElement('span');
  glyph.className = `codicon codicon-${iconName}`;
  glyph.setAttribute('aria-hidden', 'true');
  const text = document.createElement('span');
  text.className = 'attachment-label';
  text.textContent = label;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'attachment-remove';
  button.dataset.remove = remove;
  button.setAttribute('aria-label', l10n.t('Remove {0}', label));
  button.title = l10n.t('Remove');
  const close = document.createElement('span');
  close.className = 'codicon codicon-close';
  close.setAttribute('aria-hidden', 'true');
  button.append(close);
  chip.append(glyph, text, button);
  return chip;
}

/** The input to send: the context the host gathers, then the user's words, then the images. */
export async function composeInput(text: string, taken: TakenAttachments, rpc: HostRpc): Promise<UserInput[]> {
  if (taken.context.length > MAX_CONTEXT_ATTACHMENTS) throw new Error(l10n.t('A message can carry at most {0} pieces of context: remove some.', MAX_CONTEXT_ATTACHMENTS));
  const context = taken.context.length > 0 ? (await rpc.call<{ input: UserInput[] }>((id) => ({ kind: 'resolveContext', id, attachments: taken.context }))).input : [];
  return [...context, ...(text ? [{ type: 'text' as const, text }] : []), ...taken.images];
}
