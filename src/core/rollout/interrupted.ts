// What a crash (or a kill) leaves of a turn, told honestly: tool items that started and never finished, tool
// calls whose output was never recorded, and patches that may or may not have reached the disk.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import type { ThreadItem, Turn } from '../../protocol';
import { isToolCall, isToolOutput, outputFor, type ResponseItem } from '../model/responseItems';
import type { PatchIntentFile } from './records';

/** The output the model reads for a call that started but whose result was never recorded. */
export const INTERRUPTED_OUTPUT = 'interrupted: the result is unknown; check before repeating. (Tandem stopped while this tool call ran; it may have run partly, fully or not at all.)';

const INTERRUPTED_NOTE = 'interrupted: Tandem stopped before this finished; the result is unknown';

/** Outputs for the calls in `history[from..]` that have none, in call order: the early one if kept, else "interrupted". */
export function missingOutputs(history: readonly ResponseItem[], from = 0, early: ReadonlyMap<string, ResponseItem> = new Map()): ResponseItem[] {
  const answered = new Set(history.filter(isToolOutput).map((output) => output.call_id));
  return history
    .slice(from)
    .filter(isToolCall)
    .filter((call) => !answered.has(call.call_id))
    .map((call) => early.get(call.call_id) ?? outputFor(call, INTERRUPTED_OUTPUT));
}

/** A tool item of a finished turn that never completed: failed, saying why, instead of running forever. */
export function settleUnfinishedItem(item: ThreadItem): ThreadItem {
  switch (item.type) {
    case 'commandExecution':
      if (item.status !== 'inProgress') return item;
      return { ...item, status: 'failed', exitCode: null, aggregatedOutput: item.aggregatedOutput ? `${item.aggregatedOutput}\n${INTERRUPTED_NOTE}` : INTERRUPTED_NOTE };
    case 'fileChange':
    case 'dynamicToolCall':
      return item.status === 'inProgress' ? ({ ...item, status: 'failed' } as ThreadItem) : item;
    default:
      return item;
  }
}

/**
 * A patch that started writing but whose end was never recorded: if every file it writes now has exactly
 * the content it was writing (and every file it removes is gone), it reached the disk and reads completed;
 * otherwise it stays failed.
 */
export async function settleInterruptedPatches(
  turns: readonly Turn[],
  interrupted: ReadonlySet<string>,
  intents: ReadonlyMap<string, PatchIntentFile[]>,
  /** The outputs reading back gave cut-off calls; a patch found on disk tells the model so instead. */
  recovered: ResponseItem[] = [],
): Promise<void> {
  if (interrupted.size === 0) return;
  for (const turn of turns) {
    for (let i = 0; i < turn.items.length; i += 1) {
      const item = turn.items[i]!;
      if (item.type !== 'fileChange' || item.status !== 'failed' || !interrupted.has(item.id)) continue;
      const files = intents.get(item.id);
      if (!files || files.length === 0 || !(await onDisk(files))) continue;
      turn.items[i] = { ...item, status: 'completed' };
      // A tool's item carries its call's id.
      for (const output of recovered) {
        if ((output.type === 'function_call_output' || output.type === 'custom_tool_call_output') && output.call_id === item.id) output.output = PATCH_LANDED_OUTPUT;
      }
    }
  }
}

/** What the model reads for a patch cut off after every file it wrote reached the disk. */
export const PATCH_LANDED_OUTPUT = 'interrupted after the patch was written: every file it changed now holds the patched content (checked on disk when Tandem started again). Do not apply it again.';

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

async function onDisk(files: readonly PatchIntentFile[]): Promise<boolean> {
  for (const file of files) {
    let content: Buffer | null;
    try {
      content = await fs.readFile(file.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false;
      content = null;
    }
    if (file.sha256 === null ? content !== null : content === null || sha256(content) !== file.sha256) return false;
  }
  return true;
}
