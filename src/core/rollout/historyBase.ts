// codex forks a thread without copying it: the fork's session meta names the source thread and how much of
// its rollout the fork starts from (`history_base`). Reading such a fork reads that part of the source
// first, as if the fork held it, so its turns and its model history are whole.
import * as fs from 'node:fs/promises';
import { parseRollout, readRollout, type RolloutContents } from './reader';
import type { RolloutLine } from './recorder';

/** Finds a thread's rollout file (active or archived). */
export type RolloutLocator = (threadId: string) => Promise<string | undefined>;

interface HistoryBase {
  thread_id: string;
  end_ordinal_exclusive?: number;
  end_byte_offset?: number;
}

/** A fork's base can itself be a fork; this many levels is far beyond what codex makes. */
const MAX_DEPTH = 16;

export function historyBaseOf(lines: readonly RolloutLine[]): HistoryBase | undefined {
  const meta = lines[0]?.type === 'session_meta' ? (lines[0].payload as { history_base?: unknown }) : undefined;
  const base = meta?.history_base as HistoryBase | undefined;
  return base && typeof base.thread_id === 'string' ? base : undefined;
}

/** Reads a rollout with the part of its source thread a codex fork starts from put in front of its own lines. */
export async function readRolloutWithBase(file: string, locate: RolloutLocator): Promise<RolloutContents> {
  const contents = await readRollout(file);
  return { lines: await withBase(contents.lines, locate, contents.warnings, new Set()), warnings: contents.warnings };
}

async function withBase(lines: RolloutLine[], locate: RolloutLocator, warnings: string[], seen: Set<string>): Promise<RolloutLine[]> {
  const base = historyBaseOf(lines);
  if (!base) return lines;
  if (seen.has(base.thread_id) || seen.size >= MAX_DEPTH) {
    warnings.push(`the history of thread ${base.thread_id} refers back to itself; it was read without it`);
    return lines;
  }
  seen.add(base.thread_id);
  const file = await locate(base.thread_id);
  if (!file) {
    warnings.push(`thread ${base.thread_id}, which this thread was forked from, is gone; its earlier turns are missing`);
    return lines;
  }
  let baseLines: RolloutLine[];
  try {
    baseLines = await readPrefix(file, base, warnings);
  } catch (error) {
    warnings.push(`cannot read ${file}, which this thread was forked from: ${(error as Error).message}`);
    return lines;
  }
  const resolved = await withBase(baseLines, locate, warnings, seen);
  return [lines[0]!, ...resolved.slice(1), ...lines.slice(1)];
}

/** The lines of the source rollout before the fork point: by byte offset when given, else by line ordinal. */
async function readPrefix(file: string, base: HistoryBase, warnings: string[]): Promise<RolloutLine[]> {
  if (typeof base.end_byte_offset === 'number') {
    const text = (await fs.readFile(file)).subarray(0, base.end_byte_offset).toString('utf8');
    const contents = parseRollout(text, file);
    warnings.push(...contents.warnings);
    return contents.lines;
  }
  const contents = await readRollout(file);
  warnings.push(...contents.warnings);
  const end = base.end_ordinal_exclusive;
  if (typeof end !== 'number') return contents.lines;
  return contents.lines.filter((line, index) => ((line as { ordinal?: unknown }).ordinal as number | undefined ?? index) < end);
}
