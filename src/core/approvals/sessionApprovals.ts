// What a thread remembers from `acceptForSession` answers, never persisted. Narrow on purpose: a command
// is remembered with its cwd and with whether it ran in the sandbox, a patch answer covers exactly the
// files it wrote, never their folder (approving ~/notes.txt must not grant ~/.bashrc), and an MCP answer one tool.
import * as path from 'node:path';

export class SessionApprovals {
  private readonly commands = new Set<string>();
  private readonly files = new Set<string>();
  private readonly mcpTools = new Set<string>();

  rememberCommand(command: string, cwd: string, sandboxed: boolean): void {
    this.commands.add(commandKey(command, cwd, sandboxed));
  }

  commandApproved(command: string, cwd: string, sandboxed: boolean): boolean {
    return this.commands.has(commandKey(command, cwd, sandboxed));
  }

  /** Remembers real paths a patch wrote after the user accepted it for the session. */
  rememberWrite(file: string): void {
    this.files.add(path.resolve(file));
  }

  writeApproved(file: string): boolean {
    return this.files.has(path.resolve(file));
  }

  /** An MCP tool the user allowed for the session: that tool of that server only. */
  rememberMcpTool(server: string, tool: string): void {
    this.mcpTools.add(`${server}\u0000${tool}`);
  }

  mcpToolApproved(server: string, tool: string): boolean {
    return this.mcpTools.has(`${server}\u0000${tool}`);
  }
}

function commandKey(command: string, cwd: string, sandboxed: boolean): string {
  return `${sandboxed ? 'sandboxed' : 'unsandboxed'}\u0000${cwd}\u0000${command}`;
}
