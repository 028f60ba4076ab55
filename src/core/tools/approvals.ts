// Asking the user (through the client) before a command runs or a patch is written, and remembering
// "for this session" answers per thread. A reply that cannot be read counts as decline; a client error
// or a closed connection counts as decline for patches and cancel for commands (codex-core.md §4.6).
import * as os from 'node:os';
import * as path from 'node:path';
import type { AskForApproval, CommandAction, SandboxPolicy } from '../../protocol';
import type { ToolCallContext } from './registry';

export type ApprovalDecision = 'accept' | 'acceptForSession' | 'decline' | 'cancel';

/** What a thread remembers from `acceptForSession` answers. */
export class SessionApprovals {
  private readonly commands = new Set<string>();
  private readonly writeRoots = new Set<string>();

  rememberCommand(command: string, cwd: string): void {
    this.commands.add(`${cwd}\u0000${command}`);
  }

  commandApproved(command: string, cwd: string): boolean {
    return this.commands.has(`${cwd}\u0000${command}`);
  }

  rememberWriteRoot(root: string): void {
    this.writeRoots.add(path.resolve(root));
  }

  writeApproved(file: string): boolean {
    return [...this.writeRoots].some((root) => isInside(path.resolve(file), root));
  }
}

function readDecision(result: unknown): ApprovalDecision {
  const decision = (result as { decision?: unknown } | null)?.decision;
  if (decision === 'accept' || decision === 'acceptForSession' || decision === 'decline' || decision === 'cancel') return decision;
  if (typeof decision === 'object' && decision !== null && 'acceptWithExecpolicyAmendment' in decision) return 'accept';
  return 'decline';
}

export async function askCommandApproval(
  context: ToolCallContext,
  request: { itemId: string; command: string; cwd: string; reason: string | null; commandActions: CommandAction[] },
  hold?: () => void,
): Promise<ApprovalDecision> {
  try {
    const result = await context.requestFromClient('item/commandExecution/requestApproval', {
      threadId: context.threadId,
      turnId: context.turnId,
      itemId: request.itemId,
      startedAtMs: Date.now(),
      approvalId: null,
      environmentId: null,
      reason: request.reason,
      command: request.command,
      cwd: request.cwd,
      commandActions: request.commandActions,
    }, { hold });
    return readDecision(result);
  } catch {
    return 'cancel';
  }
}

export async function askFileChangeApproval(context: ToolCallContext, request: { itemId: string; reason: string | null; grantRoot: string | null }): Promise<ApprovalDecision> {
  try {
    const result = await context.requestFromClient('item/fileChange/requestApproval', {
      threadId: context.threadId,
      turnId: context.turnId,
      itemId: request.itemId,
      startedAtMs: Date.now(),
      reason: request.reason,
      grantRoot: request.grantRoot,
    });
    return readDecision(result);
  } catch {
    return 'decline';
  }
}

export function isInside(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The folders a sandbox policy lets the agent write, for a given cwd. */
export function writableRoots(sandbox: SandboxPolicy, cwd: string): string[] | 'everywhere' {
  switch (sandbox.type) {
    case 'dangerFullAccess':
    case 'externalSandbox':
      return 'everywhere';
    case 'readOnly':
      return [];
    case 'workspaceWrite': {
      const roots = [cwd, ...(sandbox.writableRoots ?? [])];
      if (!sandbox.excludeSlashTmp && process.platform !== 'win32') roots.push('/tmp');
      if (!sandbox.excludeTmpdirEnvVar && process.env.TMPDIR) roots.push(process.env.TMPDIR);
      else if (!sandbox.excludeTmpdirEnvVar) roots.push(os.tmpdir());
      return roots.map((r) => path.resolve(r));
    }
  }
}

/** Whether a file may be written without asking: inside a writable root and not inside a `.git` folder. */
export function isWritable(file: string, sandbox: SandboxPolicy, cwd: string): boolean {
  const roots = writableRoots(sandbox, cwd);
  const resolved = path.resolve(file);
  if (roots === 'everywhere') return true;
  return roots.some((root) => isInside(resolved, root) && !resolved.slice(root.length).split(path.sep).includes('.git'));
}

/** Patch approval rule (codex-core.md §4.5): what to do before writing these files. */
export function patchApprovalNeed(files: readonly string[], policy: AskForApproval, sandbox: SandboxPolicy, cwd: string, session: SessionApprovals): 'auto' | 'ask' | { reject: string } {
  if (files.every((f) => session.writeApproved(f))) return 'auto';
  if (policy === 'untrusted') return 'ask';
  if (files.every((f) => isWritable(f, sandbox, cwd))) return 'auto';
  if (policy === 'never') {
    return {
      reject:
        sandbox.type === 'readOnly'
          ? 'writing is blocked by the read-only sandbox, and the approval policy is never, so the user cannot be asked'
          : 'writing outside of the project is not allowed by the approval settings (approval policy never)',
    };
  }
  return 'ask';
}
