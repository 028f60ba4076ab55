// What a thread remembers from `acceptForSession` answers: exact commands in a cwd, and folders patches
// may write. Kept per thread, never persisted.
import * as path from 'node:path';
import { isInside } from './realPath';

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
