// Runs commands inside the sandbox the policy asks for: bubblewrap on Linux (read-only root, writable
// binds for the writable roots with their .git kept read-only, no network unless allowed), a seatbelt
// profile for sandbox-exec on macOS. Where no sandbox can run, that is said, never pretended.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SandboxPolicy } from '../../protocol';
import { writableRoots } from '../tools/approvals';

export type SandboxSupport = { kind: 'bwrap'; path: string } | { kind: 'seatbelt' } | { kind: 'none'; reason: string };

let detected: SandboxSupport | undefined;

/** Finds a working sandbox once per process. */
export function detectSandbox(): SandboxSupport {
  if (detected) return detected;
  if (process.platform === 'darwin') return (detected = fs.existsSync('/usr/bin/sandbox-exec') ? { kind: 'seatbelt' } : { kind: 'none', reason: '/usr/bin/sandbox-exec is missing' });
  if (process.platform !== 'linux') return (detected = { kind: 'none', reason: `no sandbox is implemented for ${process.platform}` });
  const bwrap = findExecutable('bwrap');
  if (!bwrap) return (detected = { kind: 'none', reason: 'bubblewrap (bwrap) is not installed; install the "bubblewrap" package' });
  try {
    execFileSync(bwrap, ['--ro-bind', '/', '/', '--dev', '/dev', '--unshare-net', '--', 'true'], { stdio: 'pipe', timeout: 5_000 });
    return (detected = { kind: 'bwrap', path: bwrap });
  } catch (error) {
    const detail = ((error as { stderr?: Buffer }).stderr?.toString() || (error as Error).message).trim().split('\n')[0];
    return (detected = { kind: 'none', reason: `bubblewrap cannot run here (${detail})` });
  }
}

/** For tests: forget what was detected. */
export function resetSandboxDetection(value?: SandboxSupport): void {
  detected = value;
}

export function isRestricted(policy: SandboxPolicy): boolean {
  return policy.type === 'readOnly' || policy.type === 'workspaceWrite';
}

export interface WrappedCommand {
  argv: string[];
  sandboxed: boolean;
}

export function wrapCommand(argv: string[], policy: SandboxPolicy, cwd: string, support: SandboxSupport): WrappedCommand {
  if (!isRestricted(policy) || support.kind === 'none') return { argv, sandboxed: false };
  if (support.kind === 'seatbelt') return { argv: ['/usr/bin/sandbox-exec', '-p', seatbeltProfile(policy, cwd), '--', ...argv], sandboxed: true };
  return { argv: [support.path, ...bwrapArgs(policy, cwd), '--', ...argv], sandboxed: true };
}

export function bwrapArgs(policy: SandboxPolicy, cwd: string): string[] {
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--die-with-parent', '--new-session'];
  const roots = writableRoots(policy, cwd);
  if (roots !== 'everywhere') {
    for (const root of roots.filter((r) => fs.existsSync(r))) {
      args.push('--bind', root, root);
      const git = path.join(root, '.git');
      if (fs.existsSync(git)) args.push('--ro-bind', git, git);
    }
  }
  const network = policy.type === 'workspaceWrite' || policy.type === 'readOnly' ? policy.networkAccess === true : true;
  if (!network) args.push('--unshare-net');
  args.push('--chdir', cwd);
  return args;
}

const escapeSb = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** A seatbelt profile: read anywhere, write only the writable roots (not their .git), no network unless allowed. */
export function seatbeltProfile(policy: SandboxPolicy, cwd: string): string {
  const roots = writableRoots(policy, cwd);
  const lines = ['(version 1)', '(deny default)', '(allow process-exec)', '(allow process-fork)', '(allow signal (target same-sandbox))', '(allow sysctl-read)', '(allow file-read*)'];
  lines.push('(allow file-write-data (literal "/dev/null"))');
  if (roots === 'everywhere') lines.push('(allow file-write*)');
  else {
    for (const root of roots) {
      lines.push(`(allow file-write* (require-all (subpath "${escapeSb(root)}") (require-not (subpath "${escapeSb(path.join(root, '.git'))}"))))`);
    }
  }
  const network = policy.type === 'workspaceWrite' || policy.type === 'readOnly' ? policy.networkAccess === true : true;
  if (network) lines.push('(allow network*)');
  return lines.join('\n') + '\n';
}

/** Output that looks like the sandbox refused something (codex-core.md §4.8). */
export function isLikelySandboxDenial(exitCode: number | null, output: string): boolean {
  if (exitCode === 0 || exitCode === null) return false;
  if (exitCode === 128 + 31) return true;
  return /operation not permitted|permission denied|read-only file system|seccomp|sandbox|landlock|failed to write file/i.test(output);
}

/** An executable on PATH, or undefined. */
export function findExecutable(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}
