// The apply_patch tool: freeform (the model writes the patch text, constrained by a grammar) for models
// that take custom tools, a function with one `input` string otherwise. Validates the whole patch, asks
// for approval when a target is outside the writable roots, then writes atomically.
import * as path from 'node:path';
import type { FileUpdateChange, ThreadItem } from '../../protocol';
import { uuidv7 } from '../ids';
import { PatchApplyError, planPatch, summarizePlan, writePlan, type PlannedChange } from './applyPatch/applier';
import { PatchParseError, parsePatch } from './applyPatch/parser';
import { decidePatch, resolvePatchTargets, resolveRoots, type PatchDecision, type PatchTarget } from '../approvals/patchRule';
import { resolveEntryPath, resolveRealPath } from '../approvals/realPath';
import { askFileChangeApproval } from './approvals';
import { parseArguments, type ToolCallContext, type ToolHandler, type ToolResult } from './registry';

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

export function applyPatchTool(variant: 'freeform' | 'function'): ToolHandler {
  const spec =
    variant === 'freeform'
      ? { type: 'custom', name: 'apply_patch', description: `${DESCRIPTION}\nThis is a FREEFORM tool: send the patch text itself, not JSON.`, format: { type: 'grammar', syntax: 'lark', definition: APPLY_PATCH_GRAMMAR } }
      : {
          type: 'function',
          name: 'apply_patch',
          description: DESCRIPTION,
          strict: false,
          parameters: { type: 'object', properties: { input: { type: 'string', description: 'The entire patch, from *** Begin Patch to *** End Patch.' } }, required: ['input'], additionalProperties: false },
        };
  return {
    name: 'apply_patch',
    parallel: false,
    spec,
    async handle(call, context) {
      const args = parseArguments(call);
      if (!args.ok) return { output: args.message, success: false };
      const input = args.value.input;
      if (typeof input !== 'string') return { output: 'apply_patch needs the patch text in "input"', success: false };
      return runPatch(input, context);
    },
  };
}

async function runPatch(text: string, context: ToolCallContext): Promise<ToolResult> {
  let plan: PlannedChange[];
  try {
    plan = await planPatch(parsePatch(text), context.cwd);
  } catch (error) {
    if (error instanceof PatchParseError || error instanceof PatchApplyError) return { output: `apply_patch verification failed: ${error.message}`, success: false };
    throw error;
  }
  const item: ThreadItem = { type: 'fileChange', id: uuidv7(), changes: plan.map(toChange), status: 'inProgress' };
  context.startItem(item);
  const finish = (status: 'completed' | 'failed' | 'declined', result: ToolResult): ToolResult => {
    context.completeItem({ ...item, status });
    return result;
  };
  const declineOnItsOwn = (reason: string): ToolResult => {
    context.notify('warning', { threadId: context.threadId, message: `Not applied: ${reason}` });
    return finish('declined', { output: `patch rejected: ${reason}`, success: false });
  };

  const files = plan.flatMap((c) => (c.movePath ? [c.path, c.movePath] : [c.path]));
  let checked: PatchTarget[];
  let decision: PatchDecision;
  try {
    checked = await resolvePatchTargets(files);
    decision = decidePatch(checked, {
      policy: context.approvalPolicy,
      sandbox: context.sandbox,
      roots: await resolveRoots(context.sandbox, context.cwd),
      home: await resolveRealPath(context.home),
      session: context.sessionApprovals,
    });
  } catch (error) {
    return finish('failed', { output: `apply_patch failed: cannot resolve the paths it writes: ${(error as Error).message}`, success: false });
  }
  if (decision.kind === 'refuse') return declineOnItsOwn(decision.reason);
  if (decision.kind === 'ask') {
    const answer = await askFileChangeApproval(context, { itemId: item.id, reason: decision.reason, grantRoot: null });
    if (answer === 'cancel') {
      context.interruptTurn();
      return finish('declined', { output: 'The user cancelled this patch and stopped the turn.', success: false });
    }
    if (answer === 'decline') {
      return finish('declined', { output: 'The user declined this patch; nothing was written. Do not apply the same change another way; ask the user how to proceed.', success: false });
    }
    if (answer === 'acceptForSession') for (const target of checked) context.sessionApprovals.rememberWriteRoot(path.dirname(target.real));
  }
  // What was judged must be what is written: a link planted while the user was deciding voids the decision.
  const now = await resolvePatchTargets(files).catch(() => []);
  if (now.length !== checked.length || now.some((t, i) => t.real !== checked[i]!.real)) {
    return declineOnItsOwn('a path it writes changed (a symbolic link was added or moved) after it was checked; nothing was written');
  }
  try {
    await writePlan(await throughLinks(plan, checked));
  } catch (error) {
    return finish('failed', { output: `apply_patch failed: ${(error as Error).message}`, success: false });
  }
  context.turnDiff.record(plan);
  const result = finish('completed', { output: summarizePlan(plan, context.cwd), success: true });
  // After the item completes, as codex orders it.
  context.notify('turn/diff/updated', { threadId: context.threadId, turnId: context.turnId, diff: context.turnDiff.aggregate() });
  return result;
}

function toChange(change: PlannedChange): FileUpdateChange {
  const kind = change.kind === 'update' ? { type: 'update' as const, move_path: change.movePath ?? null } : { type: change.kind };
  return { path: change.path, kind, diff: change.diff };
}

/**
 * The plan as it is written: contents go to the resolved targets, so a file symlink inside the workspace
 * stays a link and its target changes; an unlink (delete, the source of a move) removes the entry itself.
 */
async function throughLinks(plan: readonly PlannedChange[], targets: readonly PatchTarget[]): Promise<PlannedChange[]> {
  const real = new Map(targets.map((t) => [t.lexical, t.real]));
  const resolved = (file: string) => real.get(path.resolve(file)) ?? file;
  return Promise.all(
    plan.map(async (change) => {
      if (change.kind === 'delete' || change.movePath) {
        return { ...change, path: await resolveEntryPath(change.path), movePath: change.movePath && resolved(change.movePath) };
      }
      return { ...change, path: resolved(change.path) };
    }),
  );
}
