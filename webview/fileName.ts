// What the chat shows of a file: its name, the last part of its path (either separator).

/** "src/notes.ts" → "notes.ts"; a path without a name (a trailing separator) is shown whole. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
