// Context from the editor that the chat attaches to a message: the active file and its selection, the
// workspace's problems, the terminal's last command, a web page's text, and images. The webview names what
// to attach; the host gathers the text when the message is sent (the webview never reads files or the web).
import { z } from 'zod';
import { lazy } from './lazy';
import type { EditorSelection as Selection } from './ideContextFormat';

/** A selection in a text document, 0-based as VS Code counts (the chip shows its lines 1-based). */
export const EditorSelection: z.ZodType<Selection> = lazy(() => z.object({
  startLine: z.number().int().nonnegative(),
  startCharacter: z.number().int().nonnegative(),
  endLine: z.number().int().nonnegative(),
  endCharacter: z.number().int().nonnegative(),
}));
export type EditorSelection = Selection;

const FilePath = lazy(() => z.string().min(1).max(4096));

/** What the webview asks the host to gather for a message. */
export const ContextAttachment = lazy(() => z.discriminatedUnion('type', [
  /** The active file, and the selected text when `selection` is set. */
  z.object({ type: z.literal('editor'), path: FilePath, selection: EditorSelection.nullable() }),
  /** Diagnostics of one file, or of the whole workspace when `path` is null. */
  z.object({ type: z.literal('problems'), path: FilePath.nullable() }),
  /** The last command that finished in the active terminal, and its output. */
  z.object({ type: z.literal('terminal') }),
  /** A web page's text, fetched by the host once the user approves. */
  z.object({ type: z.literal('url'), url: z.string().min(1).max(8192) }),
]));
export type ContextAttachment = z.infer<typeof ContextAttachment>;

export * from './ideContextFormat';
