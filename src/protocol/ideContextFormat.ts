// The IDE context's plain parts, free of zod so that the chat page can use them without the schemas: limits,
// what the host pushes about the editor and terminal, and how codex marks context before the user's words.

/** A selection in a text document, 0-based as VS Code counts (the chip shows its lines 1-based). */
export interface EditorSelection {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

/** Attachments one message may ask for: far more than a person adds by hand, few enough to bound the work. */
export const MAX_CONTEXT_ATTACHMENTS = 12;

/** The file in the active editor (file:// documents only), pushed to the chat as the user moves. */
export interface ActiveEditorContext {
  /** Absolute path, as the host resolves it. */
  path: string;
  /** Relative to the workspace folder when inside one; the absolute path otherwise. */
  relativePath: string;
  /** Null when nothing is selected (only a caret). */
  selection: EditorSelection | null;
}

/** Whether `@terminal` has something to attach, and what; the chip says why not when it has nothing. */
export type TerminalContextStatus =
  | { available: true; terminal: string; command: string; exitCode: number | null }
  | { available: false; reason: string };

export interface IdeContext {
  editor: ActiveEditorContext | null;
  terminal: TerminalContextStatus;
}

/** Image types the model reads (as codex accepts them). */
export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
/** One image, before encoding: the bound codex puts on a local image. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
/** All images of one message, before encoding: as base64 they stay under the 64 MiB a request may have. */
export const MAX_MESSAGE_IMAGES_BYTES = 40 * 1024 * 1024;
export const MAX_MESSAGE_IMAGES = 10;

/**
 * How codex's IDE clients mark context they put before the user's words: the context comes first, under
 * this heading, and the request after `USER_REQUEST_HEADING`; previews and titles show only the request.
 */
export const IDE_CONTEXT_HEADING = '# Context from my IDE setup:';
export const USER_REQUEST_HEADING = '## My request for Codex:';

/**
 * A text that starts with IDE context, split into that context and the user's request after it. Tandem
 * sends the context as an item of its own that ends with the request heading (`request` is then empty);
 * codex's IDE clients put the request after the heading in the same item. Null for any other text.
 */
export function splitIdeContext(text: string): { context: string; request: string } | null {
  if (!text.startsWith(IDE_CONTEXT_HEADING)) return null;
  const trimmed = text.trimEnd();
  if (trimmed.endsWith(USER_REQUEST_HEADING)) return { context: trimmed.slice(0, -USER_REQUEST_HEADING.length), request: '' };
  const at = text.indexOf(USER_REQUEST_HEADING);
  if (at === -1) return { context: text, request: '' };
  return { context: text.slice(0, at), request: text.slice(at + USER_REQUEST_HEADING.length).trim() };
}

/** The user's own words in a text that may carry IDE context before them. */
export function stripIdeContext(text: string): string {
  return splitIdeContext(text)?.request ?? text;
}
