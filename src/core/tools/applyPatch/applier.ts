// Turns parsed operations into a plan (every file read and every hunk located before anything is
// written), then writes the plan through temp files and renames. A failing hunk leaves every file
// untouched; an I/O failure while writing rolls back what was already written.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { modeOf, writeFileAtomic } from '../../atomicWrite';
import type { PatchOperation, UpdateChunk } from './parser';
import { seekSequence } from './seek';

export interface PlannedChange {
  kind: 'add' | 'delete' | 'update';
  /** Absolute path of the file as it is now (or will be, for an add). */
  path: string;
  /** Absolute destination of a move. */
  movePath: string | undefined;
  oldContent: string | null;
  newContent: string | null;
  /** Unified diff of this file's change. */
  diff: string;
}

export class PatchApplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatchApplyError';
  }
}

export async function planPatch(operations: readonly PatchOperation[], cwd: string): Promise<PlannedChange[]> {
  const plan: PlannedChange[] = [];
  for (const op of operations) {
    const abs = path.resolve(cwd, op.path);
    const display = op.path;
    if (op.kind === 'add') {
      const existing = await readIfExists(abs);
      plan.push({ kind: 'add', path: abs, movePath: undefined, oldContent: existing, newContent: op.contents, diff: unifiedDiff(display, display, existing ?? '', op.contents) });
      continue;
    }
    const oldContent = await readIfExists(abs);
    if (oldContent === null) throw new PatchApplyError(`Failed to ${op.kind === 'delete' ? 'delete' : 'update'} ${display}: the file does not exist`);
    if (op.kind === 'delete') {
      plan.push({ kind: 'delete', path: abs, movePath: undefined, oldContent, newContent: null, diff: unifiedDiff(display, display, oldContent, '') });
      continue;
    }
    const newContent = applyChunks(oldContent, op.chunks, display);
    const movePath = op.movePath ? path.resolve(cwd, op.movePath) : undefined;
    plan.push({ kind: 'update', path: abs, movePath, oldContent, newContent, diff: unifiedDiff(display, op.movePath ?? display, oldContent, newContent) });
  }
  return plan;
}

export function applyChunks(content: string, chunks: readonly UpdateChunk[], displayPath: string): string {
  const lines = content.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const replacements: Array<{ start: number; length: number; lines: string[] }> = [];
  let cursor = 0;
  chunks.forEach((chunk, index) => {
    const label = chunks.length > 1 ? ` (hunk ${index + 1} of ${chunks.length})` : '';
    for (const context of chunk.contexts) {
      const found = seekSequence(lines, [context], cursor);
      if (!found) throw new PatchApplyError(`Failed to find context '${context}' in ${displayPath}${label}`);
      cursor = found.index + 1;
    }
    if (chunk.oldLines.length === 0) {
      replacements.push({ start: lines.length, length: 0, lines: chunk.newLines });
      return;
    }
    let pattern = chunk.oldLines;
    let replacement = chunk.newLines;
    let found = seekSequence(lines, pattern, cursor, chunk.endOfFile);
    if (!found && pattern[pattern.length - 1] === '') {
      // A trailing empty line in the hunk stands for the file's final newline.
      pattern = pattern.slice(0, -1);
      if (replacement[replacement.length - 1] === '') replacement = replacement.slice(0, -1);
      found = seekSequence(lines, pattern, cursor, chunk.endOfFile);
    }
    if (!found) throw new PatchApplyError(`Failed to find expected lines in ${displayPath}${label}:\n${chunk.oldLines.join('\n')}`);
    replacements.push({ start: found.index, length: pattern.length, lines: replacement });
    cursor = found.index + pattern.length;
  });
  for (const r of [...replacements].sort((a, b) => b.start - a.start)) lines.splice(r.start, r.length, ...r.lines);
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/** Writes the plan. On an I/O error, restores what was written and rethrows. */
export async function writePlan(plan: readonly PlannedChange[]): Promise<void> {
  const undo: Array<() => Promise<void>> = [];
  try {
    for (const change of plan) {
      if (change.kind === 'delete') {
        await fs.unlink(change.path);
        undo.push(() => atomicWrite(change.path, change.oldContent!));
        continue;
      }
      const target = change.movePath ?? change.path;
      const previousAtTarget = change.movePath ? await readIfExists(target) : change.oldContent;
      await atomicWrite(target, change.newContent!, change.path);
      undo.push(() => (previousAtTarget === null ? fs.unlink(target) : atomicWrite(target, previousAtTarget)));
      if (change.movePath && change.movePath !== change.path) {
        await fs.unlink(change.path);
        undo.push(() => atomicWrite(change.path, change.oldContent!));
      }
    }
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw new PatchApplyError(`Writing the patch failed and was rolled back: ${(error as Error).message}`);
  }
}

/** Writes atomically, keeping the mode of the file the content comes from. */
async function atomicWrite(target: string, content: string, modeFrom: string = target): Promise<void> {
  await writeFileAtomic(target, content, await modeOf(modeFrom, 0o644));
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A path below a regular file (ENOTDIR) does not exist either.
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new PatchApplyError(`Failed to read ${file}: ${(error as Error).message}`);
  }
}

export function unifiedDiff(oldPath: string, newPath: string, oldContent: string, newContent: string): string {
  return createTwoFilesPatch(`a/${oldPath}`, `b/${newPath}`, oldContent, newContent, undefined, undefined, { context: 3 })
    .split('\n')
    .filter((line) => !line.startsWith('====='))
    .join('\n');
}

export function summarizePlan(plan: readonly PlannedChange[], cwd: string): string {
  const rel = (p: string) => path.relative(cwd, p) || p;
  const lines = plan.map((c) => (c.kind === 'add' ? `A ${rel(c.path)}` : c.kind === 'delete' ? `D ${rel(c.path)}` : `M ${rel(c.movePath ?? c.path)}`));
  return `Success. Updated the following files:\n${lines.join('\n')}\n`;
}
