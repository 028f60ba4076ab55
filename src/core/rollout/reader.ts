// Reads a rollout back. A line that does not parse (a crash mid-write leaves a truncated last line) is
// skipped with a warning; it never makes the thread unreadable. Lines codex wrote are read into Tandem's
// shapes (codexRecords.ts).
import * as fs from 'node:fs/promises';
import { normalizeCodexLines } from './codexRecords';
import type { RolloutLine } from './recorder';

export interface RolloutContents {
  lines: RolloutLine[];
  warnings: string[];
}

export async function readRollout(file: string): Promise<RolloutContents> {
  const text = await fs.readFile(file, 'utf8');
  return parseRollout(text, file);
}

export function parseRollout(text: string, file = 'rollout'): RolloutContents {
  const lines: RolloutLine[] = [];
  const warnings: string[] = [];
  const raw = text.split('\n');
  raw.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      const parsed = JSON.parse(line) as RolloutLine;
      if (typeof parsed?.type !== 'string') throw new Error('no type');
      lines.push(parsed);
    } catch {
      const last = raw.slice(index + 1).every((rest) => rest.trim() === '');
      warnings.push(
        last
          ? `${file}: skipped a truncated last line (line ${index + 1}); the session was probably interrupted while writing`
          : `${file}: skipped an unreadable line ${index + 1}`,
      );
    }
  });
  return { lines: normalizeCodexLines(lines), warnings };
}

/** The first line (session_meta) and the first user message text, reading only the head of the file. */
export async function readRolloutHead(file: string, maxBytes = 64 * 1024): Promise<{ lines: RolloutLine[] }> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(maxBytes);
    const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    const complete = bytesRead < maxBytes ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    return { lines: parseRollout(complete, file).lines };
  } finally {
    await handle.close();
  }
}
