// A patch the user accepted only in part (Tandem's `tandemAcceptedFiles` answer): which of its planned changes
// are written, which checked targets they stand for, and what the model is told about the files it may not
// touch. The plan, the item's changes and the checked targets share their order (see realPlan.ts).
import * as path from 'node:path';
import type { FileUpdateChange } from '../../../protocol';
import type { PatchTarget } from '../../approvals/patchRule';
import type { PlannedChange } from './applier';
import { touchedPaths } from './realPlan';

export type AcceptedSelection =
  /** No list (a codex client), or every file named: the whole patch. */
  | { kind: 'all' }
  /** An empty list: nothing accepted, the same as a decline. */
  | { kind: 'none' }
  /** Indices into the plan, in its order. */
  | { kind: 'some'; accepted: number[]; rejected: number[] }
  /** The list names paths the change does not have: what the user agreed to is unclear, so nothing is written. */
  | { kind: 'unknown'; paths: string[] };

/** Reads the accepted paths against the item's changes (by `path`, as the item names them). */
export function selectAccepted(changes: readonly FileUpdateChange[], acceptedPaths: readonly string[] | undefined): AcceptedSelection {
  if (acceptedPaths === undefined) return { kind: 'all' };
  const named = new Set(acceptedPaths);
  const known = new Set(changes.map((change) => change.path));
  const unknown = [...named].filter((file) => !known.has(file));
  if (unknown.length > 0) return { kind: 'unknown', paths: unknown };
  if (named.size === 0) return { kind: 'none' };
  const accepted: number[] = [];
  const rejected: number[] = [];
  changes.forEach((change, index) => (named.has(change.path) ? accepted : rejected).push(index));
  return rejected.length === 0 ? { kind: 'all' } : { kind: 'some', accepted, rejected };
}

/** The checked targets of the changes at `indices` (each change has one target, a move two). */
export function targetsOf(plan: readonly PlannedChange[], targets: readonly PatchTarget[], indices: readonly number[]): PatchTarget[] {
  const wanted = new Set(indices);
  const picked: PatchTarget[] = [];
  let at = 0;
  plan.forEach((change, index) => {
    const count = touchedPaths([change]).length;
    if (wanted.has(index)) picked.push(...targets.slice(at, at + count));
    at += count;
  });
  return picked;
}

/** How a change is listed to the model: its letter and its path relative to the cwd. */
function line(change: PlannedChange, cwd: string): string {
  const rel = (file: string) => path.relative(cwd, file) || file;
  if (change.kind === 'add') return `A ${rel(change.path)}`;
  if (change.kind === 'delete') return `D ${rel(change.path)}`;
  return change.movePath ? `M ${rel(change.path)} -> ${rel(change.movePath)}` : `M ${rel(change.path)}`;
}

/** The tool output of a partly accepted patch: exactly what was written, what was not, and what not to do. */
export function partialOutput(applied: readonly PlannedChange[], rejected: readonly PlannedChange[], cwd: string): string {
  return [
    `Partly applied: the user accepted ${applied.length} of the ${applied.length + rejected.length} files of this patch.`,
    'Updated the following files:',
    ...applied.map((change) => line(change, cwd)),
    'Rejected by the user, not changed:',
    ...rejected.map((change) => line(change, cwd)),
    'Do not make the rejected changes another way (another patch, a command); if they are still needed, ask the user.',
    '',
  ].join('\n');
}
