// The apply_patch tool: freeform (the model writes the patch text, constrained by a grammar) for models
// that take custom tools, a function with one `input` string otherwise. Validates the whole patch, asks
// for approval when a target is outside the writable roots, then writes atomically.
import { z } from 'zod';
import { lazy } from '../../protocol/lazy';
import { type ThreadItem, TurnDiffUpdated, Warning } from '../../protocol';
import { PatchApplyError, planPatch, summarizePlan, writePlan, type PlannedChange } from './applyPatch/applier';
import { PatchParseError, parsePatch } from './applyPatch/parser';
import { decidePatch, resolvePatchTargets, resolveRoots, type PatchDecision, type PatchTarget } from '../approvals/patchRule';
import { isInside, resolveRealPath } from '../approvals/realPath';
import { detectSandbox } from '../exec/sandbox';
import { canWriteInSandbox, writePlanInSandbox } from './applyPatch/sandboxedWrite';
import { protectedMounts } from '../exec/protectedPaths';
import { patchIntent, throughLinks, toChange, touchedPaths } from './applyPatch/realPlan';
import { INTERRUPTED_AT_APPROVAL, askFileChangeApproval } from './approvals';
import { partialOutput, selectAccepted, targetsOf, type AcceptedSelection } from './applyPatch/acceptedFiles';
import { editedOutput, withEdits } from './applyPatch/editedFiles';
import type { ToolCallContext, ToolHandler, ToolResult } from './registry';
import { functionSpec, parseToolArguments } from './toolArguments';

/** The patch grammar (Lark) sent with the freeform variant. */
export const APPLY_PATCH_GRAMMAR = `start: begin_patch hunk+ end_patch
begin_patch: "*** Begin Patch" LF
end_patch: "*** End Patch" LF?

hunk: add_hunk | delete_hunk | update_hunk
add_hunk: "*** Add File: " filename LF add_line+
delete_hunk: "*** Delete File: " filename LF
update_hunk: "*** Update File: " filename LF change_move? change?

filename: /(.+)/
add_line: "+" /(.*)/ LF -> line

change_move: "*** Move to: " filename LF
change: (change_context | change_line)+ eof_line?
change_context: ("@@" | "@@ " /(.+)/) LF
change_line: ("+" | "-" | " ") /(.*)/ LF
eof_line: "*** End of File" LF

%import common.LF
`;

const DESCRIPTION = `Edit files with a patch. The patch starts with "*** Begin Patch" and ends with "*** End Patch". Each file section is one of:
*** Add File: <relative path>   followed by the whole new contents, every line starting with "+"
*** Delete File: <relative path>
*** Update File: <relative path>   optionally followed by "*** Move to: <new relative path>", then hunks.
A hunk starts with "@@" (optionally "@@ <a line near the change>", such as a function signature) and has lines starting with " " (unchanged context), "-" (removed) or "+" (added). Give about three lines of context around each change, do not repeat context between close changes, and use paths relative to the working directory. The whole patch is checked before anything is written; if a hunk does not match, nothing changes and the error says which hunk.`;

/** The function variant's arguments; the freeform variant's raw text is read as `input` too. */
export const ApplyPatchArguments = lazy(() => z.object({ input: z.string().describe('The entire patch, from *** Begin Patch to *** End Patch.') }));
const FUNCTION_SPEC = functionSpec('apply_patch', DESCRIPTION, ApplyPatchArguments);

export function applyPatchTool(variant: 'freeform' | 'function'): ToolHandler {
  const spec =
    variant === 'freeform'
      ? { type: 'custom', name: 'apply_patch', description: `${DESCRIPTION}\nThis is a FREEFORM tool: send the patch text itself, not JSON.`, format: { type: 'grammar', syntax: 'lark', definition: APPLY_PATCH_GRAMMAR } }
      : FUNCTION_SPEC;
  return {
    name: 'apply_patch',
    parallel: false,
    writesFiles: true,
    startsDurably: true,
    spec,
    async handle(call, context) {
      const args = parseToolArguments(call, 'apply_patch', ApplyPatchArguments);
      if (!args.ok) return { output: args.message, success: false };
      return runPatch(args.value.input, call.call_id, context);
    },
  };
}

/** Checks, asks as the policy says, and writes one patch whose paths are relative to `cwd`. */
export async function runPatch(text: string, callId: string, context: ToolCallContext, cwd = context.cwd): Promise<ToolResult> {
  let plan: PlannedChange[];
  let checked: PatchTarget[];
  try {
    plan = await planPatch(parsePatch(text), cwd);
    checked = await resolvePatchTargets(touchedPaths(plan));
  } catch (error) {
    if (error instanceof PatchParseError || error instanceof PatchApplyError) return { output: `apply_patch verification failed: ${error.message}`, success: false };
    return { output: `apply_patch verification failed: cannot resolve the paths it writes: ${(error as Error).message}`, success: false };
  }
  const item: ThreadItem = { type: 'fileChange', id: callId, changes: plan.map((c) => toChange(c, checked)), status: 'inProgress' };
  await context.startItem(item);
  const finish = (status: 'completed' | 'failed' | 'declined', result: ToolResult, shown: ThreadItem = item): ToolResult => {
    context.completeItem({ ...shown, status } as ThreadItem);
    return result;
  };
  const declineOnItsOwn = (reason: string): ToolResult => {
    context.notify(Warning, { threadId: context.threadId, message: `Not applied: ${reason}` });
    return finish('declined', { output: `patch rejected: ${reason}`, success: false });
  };

  let decision: PatchDecision;
  let roots: readonly string[] | 'everywhere';
  try {
    ({ decision, roots } = await decide(checked, context));
  } catch (error) {
    return finish('failed', { output: `apply_patch failed: cannot check the paths it writes: ${(error as Error).message}`, success: false });
  }
  if (decision.kind === 'refuse') return declineOnItsOwn(decision.reason);
  let rememberForSession = false;
  // What is written: the whole plan, or (Tandem's partial accept) the files the user accepted, by plan index.
  let selection: AcceptedSelection = { kind: 'all' };
  // Tandem's per-hunk review: the content the user accepted in place of the proposal, by path.
  let edits: Map<string, string> | undefined;
  if (decision.kind === 'ask') {
    const { decision: answer, note, acceptedPaths, editedContents, unreadable } = await askFileChangeApproval(context, {
      itemId: item.id,
      reason: decision.reason,
      grantRoot: null,
      files: item.changes.map((change) => change.path),
      // What the reviewer reads is bounded: a long patch is cut, never left out whole.
      patch: text.length > 20_000 ? `${text.slice(0, 20_000)}… [${text.length - 20_000} more characters cut]` : text,
    });
    // The thread stops waiting on approval (published on the next tick) before the item ends, as codex orders it.
    await new Promise((resolve) => setImmediate(resolve));
    if (context.signal.aborted) return finish('declined', { output: `patch not applied: ${INTERRUPTED_AT_APPROVAL}`, success: false });
    if (answer === 'cancel') {
      context.interruptTurn();
      return finish('declined', { output: 'The user cancelled this patch and stopped the turn.', success: false });
    }
    if (unreadable && answer !== 'decline') return declineOnItsOwn(`the approval's list of accepted files could not be read (${unreadable}); nothing was written`);
    if (answer !== 'decline') selection = selectAccepted(item.changes, acceptedPaths);
    if (selection.kind === 'unknown') return declineOnItsOwn(`the approval accepted files that are not in this patch (${selection.paths.join(', ')}); nothing was written`);
    if (answer === 'decline' || selection.kind === 'none') {
      const output = note ? `patch not applied: ${note}` : 'The user declined this patch; nothing was written. Do not apply the same change another way; ask the user how to proceed.';
      return finish('declined', { output, success: false });
    }
    rememberForSession = answer === 'acceptForSession';
    edits = editedContents;
  }
  const reviewed = withEdits(plan, item.changes, edits, cwd);
  if ('error' in reviewed) return declineOnItsOwn(`${reviewed.error}; nothing was written`);
  const final = reviewed.plan;
  // The item shows what was written: an edited file's diff is the one the user's content makes.
  const shown = item.changes.map((change, index) => (reviewed.edited.some((e) => e.index === index) ? toChange(final[index]!, checked) : change));
  const indices = selection.kind === 'some' ? selection.accepted : plan.map((_, index) => index);
  const written = indices.map((index) => final[index]!);
  const writtenTargets = targetsOf(plan, checked, indices);
  const real = throughLinks(written, checked);
  // The files as they are now go into the turn's checkpoint first, so the patch can be undone; before the
  // last check of the paths, so recording them cannot widen the gap between that check and the write.
  await context.checkpoint?.beforePatch(touchedPaths(real).map((t) => t.file));
  if (context.signal.aborted) return finish('declined', { output: 'patch not applied: the turn was interrupted before it was written', success: false });
  // What was judged must be what is written: a link planted while the user was deciding voids the decision.
  const now = await resolvePatchTargets(touchedPaths(plan)).catch(() => []);
  if (now.length !== checked.length || now.some((t, i) => t.real !== checked[i]!.real)) {
    return declineOnItsOwn('a path it writes changed (a symbolic link was added or moved) after it was checked; nothing was written');
  }
  // Write-ahead: the item and what it is about to write are on disk first, so after a crash mid-write the
  // thread can tell whether the change landed.
  context.recordPatchIntent(item.id, patchIntent(real));
  await context.writeAhead();
  try {
    // Unasked writes go through the sandbox, so a link swapped in by a background command after the check
    // meets the kernel's read-only mounts; writes the user approved may leave the writable roots.
    const support = detectSandbox();
    const insideRoots = roots === 'everywhere' || writtenTargets.every((t) => roots.some((root) => isInside(t.real, root)));
    if (decision.kind === 'auto' && canWriteInSandbox(context.sandbox, support) && insideRoots) {
      await writePlanInSandbox(real, context.sandbox, context.cwd, { home: context.home, support });
    } else {
      await writePlan(real);
    }
  } catch (error) {
    return finish('failed', { output: `apply_patch failed: ${(error as Error).message}`, success: false });
  }
  if (rememberForSession) for (const target of writtenTargets) context.sessionApprovals.rememberWrite(target.real);
  context.turnDiff.record(written);
  let result: ToolResult;
  // Only what was written is told as written: content for a file the user then left out does not count.
  const edited = editedOutput(reviewed.edited.filter((e) => indices.includes(e.index)), final, cwd);
  if (selection.kind === 'some') {
    // The item lists what was written; the files the user rejected ride along in Tandem's own field.
    const applied = { ...item, changes: selection.accepted.map((index) => shown[index]!), tandemRejectedChanges: selection.rejected.map((index) => item.changes[index]!) };
    result = finish('completed', { output: partialOutput(written, selection.rejected.map((index) => plan[index]!), cwd) + edited, success: true }, applied);
  } else {
    result = finish('completed', { output: summarizePlan(plan, cwd) + edited, success: true }, { ...item, changes: shown });
  }
  // After the item completes, as codex orders it.
  context.notify(TurnDiffUpdated, { threadId: context.threadId, turnId: context.turnId, diff: context.turnDiff.aggregate() });
  return result;
}

/** The patch rule, fed with the real roots, the home and what the sandbox keeps read-only in the roots. */
async function decide(targets: readonly PatchTarget[], context: ToolCallContext): Promise<{ decision: PatchDecision; roots: readonly string[] | 'everywhere' }> {
  const roots = await resolveRoots(context.sandbox, context.cwd);
  const protectedPaths = roots === 'everywhere' ? [] : protectedMounts({ roots, home: context.home }).readOnly;
  const decision = decidePatch(targets, {
    policy: context.approvalPolicy,
    sandbox: context.sandbox,
    roots,
    home: await resolveRealPath(context.home),
    protectedPaths,
    session: context.sessionApprovals,
    reviewAll: context.reviewFileChanges ?? false,
  });
  return { decision, roots };
}
