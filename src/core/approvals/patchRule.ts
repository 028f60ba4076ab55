// Whether a patch is written at once, needs the user's approval, or is refused — decided on the real paths
// it would write (after every symlink), so neither `..`, an absolute path nor a planted link escapes.
import * as path from 'node:path';
import { cannotAsk, mayAsk, type AskForApproval, type SandboxPolicy } from '../../protocol';
import type { SessionApprovals } from './sessionApprovals';
import { PROTECTED_NAMES } from './protectedNames';
import { isInside, resolveEntryPath, resolveRealPath } from './realPath';
import { writableRoots } from './writableRoots';

export interface PatchTarget {
  /** The path as the patch names it, made absolute against the cwd. */
  lexical: string;
  /** Where the write lands after resolving every symlink; for an unlink, the entry itself (parents resolved). */
  real: string;
  /** Removed rather than written (a delete, the source of a move). */
  unlink?: boolean;
}

export type PatchDecision = { kind: 'auto' } | { kind: 'ask'; reason: string | null } | { kind: 'refuse'; reason: string };

export interface PatchRuleInput {
  policy: AskForApproval;
  sandbox: SandboxPolicy;
  /** Real paths of the writable roots, or everywhere (no sandbox). */
  roots: readonly string[] | 'everywhere';
  /** Real path of Tandem's home. */
  home: string;
  /** Real paths the sandbox keeps read-only besides the protected names (a worktree's gitdir, nested repositories). */
  protectedPaths?: readonly string[];
  session: SessionApprovals;
  /**
   * Ask for every patch the sandbox would allow, not only for those it would not (Tandem's
   * `review_file_changes`; codex has no such switch). A policy that may not ask (never, or granular with
   * sandbox_approval off) writes them as before: this adds questions, it never refuses.
   */
  reviewAll?: boolean;
}

/** Why a target needs the user even inside a writable root, or undefined. */
function protectedReason(target: PatchTarget, roots: readonly string[], home: string, protectedPaths: readonly string[] = []): string | undefined {
  if (isInside(target.real, home)) return `Tandem's own settings and credentials (${home})`;
  for (const file of [target.real, target.lexical]) {
    const root = roots.filter((r) => isInside(file, r)).sort((a, b) => b.length - a.length)[0];
    const parts = path.relative(root ?? path.parse(file).root, file).split(path.sep).map(canonicalName);
    const name = PROTECTED_NAMES.find((n) => parts.includes(n));
    if (name) return `a protected ${name} folder`;
  }
  const kept = protectedPaths.find((p) => isInside(target.real, p));
  if (kept) return `a protected git folder (${kept})`;
  return undefined;
}

/**
 * A name as case-insensitive file systems see it: macOS and Windows treat `.GIT` as `.git`, macOS ignores
 * some invisible characters in names, and Windows drops trailing dots and spaces.
 */
function canonicalName(name: string): string {
  return name.normalize('NFC').replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g, '').replace(/[. ]+$/, '').toLowerCase();
}

/** The rule itself: pure, so a table of cases can pin it down. */
export function decidePatch(targets: readonly PatchTarget[], input: PatchRuleInput): PatchDecision {
  const { policy, roots, session } = input;
  const sessionApproved = targets.every((t) => session.writeApproved(t.real));
  const asksEvery = policy === 'untrusted' || (input.reviewAll === true && mayAsk(policy, 'sandbox_approval'));
  if (roots === 'everywhere') {
    if (asksEvery && !sessionApproved) return { kind: 'ask', reason: null };
    return { kind: 'auto' };
  }
  // Protected folders ask every time: a "for this session" answer does not cover them.
  const guarded = targets.flatMap((t) => {
    const why = protectedReason(t, roots, input.home, input.protectedPaths);
    return why ? [`${t.real} (${why})`] : [];
  });
  const outside = targets.filter((t) => !roots.some((root) => isInside(t.real, root))).map((t) => t.real);
  if (guarded.length > 0) {
    const also = outside.length > 0 ? `; it also writes outside the workspace: ${outside.join(', ')}` : '';
    if (!mayAsk(policy, 'sandbox_approval')) return { kind: 'refuse', reason: `it changes protected files, never written without the user's approval, and ${cannotAsk(policy, 'sandbox_approval')}: ${guarded.join(', ')}${also}` };
    return { kind: 'ask', reason: `The patch changes protected files: ${guarded.join(', ')}${also}` };
  }
  if (sessionApproved) return { kind: 'auto' };
  if (outside.length === 0) return asksEvery ? { kind: 'ask', reason: null } : { kind: 'auto' };
  const where = outside.join(', ');
  if (!mayAsk(policy, 'sandbox_approval')) {
    const why = cannotAsk(policy, 'sandbox_approval');
    return {
      kind: 'refuse',
      reason:
        input.sandbox.type === 'readOnly'
          ? `writing ${where} is blocked by the read-only sandbox, and ${why}, so the user cannot be asked`
          : `${where} is outside the workspace (the writable roots), and ${why}, so the user cannot be asked`,
    };
  }
  return {
    kind: 'ask',
    reason: input.sandbox.type === 'readOnly' ? `The thread is read-only; the patch writes ${where}` : `The patch writes outside the workspace: ${where}`,
  };
}

/**
 * Resolves every path a patch writes or removes (both ends of a move). A write lands where the links lead;
 * an unlink removes the entry itself, so that is what is judged for it.
 */
export async function resolvePatchTargets(touched: ReadonlyArray<{ file: string; unlink: boolean }>): Promise<PatchTarget[]> {
  return Promise.all(
    touched.map(async ({ file, unlink }) => ({ lexical: path.resolve(file), real: unlink ? await resolveEntryPath(file) : await resolveRealPath(file), unlink })),
  );
}

export async function resolveRoots(sandbox: SandboxPolicy, cwd: string): Promise<readonly string[] | 'everywhere'> {
  const roots = writableRoots(sandbox, cwd);
  if (roots === 'everywhere') return roots;
  return Promise.all(roots.map((root) => resolveRealPath(root)));
}
