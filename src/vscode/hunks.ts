// The hunks of a proposed file against the file it changes, counted on the proposed side, and a hunk put
// back as it was (the user discarding it). Lines keep their line ends, so a file without a final newline
// stays without one. Free of the vscode module.
import { diffLines } from 'diff';

export interface Hunk {
  /** First line of the hunk on the proposed side (0-based); for a pure removal, the line it stood before. */
  start: number;
  /** Lines the hunk has on the proposed side (0 for a pure removal). */
  count: number;
  /** The text the hunk replaced (empty for a pure addition). */
  oldText: string;
  /** The text the hunk proposes. */
  newText: string;
}

/** A text's lines, each with its line end. */
export function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export function hunksOf(original: string, proposed: string): Hunk[] {
  const hunks: Hunk[] = [];
  let line = 0;
  let open: Hunk | undefined;
  for (const part of diffLines(original, proposed)) {
    const count = linesOf(part.value).length;
    if (!part.added && !part.removed) {
      open = undefined;
      line += count;
      continue;
    }
    if (!open) hunks.push((open = { start: line, count: 0, oldText: '', newText: '' }));
    if (part.removed) open.oldText += part.value;
    else {
      open.newText += part.value;
      open.count += count;
      line += count;
    }
  }
  return hunks;
}

/** The proposed text with one hunk put back as it was. */
export function discardHunk(proposed: string, hunk: Hunk): string {
  const lines = linesOf(proposed);
  lines.splice(hunk.start, hunk.count, ...(hunk.oldText === '' ? [] : [hunk.oldText]));
  return lines.join('');
}

/** Names a hunk by what it changes, not where, so it keeps its name while other hunks come and go. */
export function hunkKey(hunk: Hunk): string {
  return `${hunk.oldText}\u0000${hunk.newText}`;
}
