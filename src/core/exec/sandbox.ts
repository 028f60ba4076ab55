// Runs commands inside the sandbox the policy asks for: bubblewrap on Linux, a seatbelt profile for
// sandbox-exec on macOS. Where no sandbox can run, that is said, never pretended.
//
// bubblewrap, in this order (later mounts win): the root read-only; the writable roots bound writable;
// the protected paths (.git, .tandem, .codex, nested .git, Tandem's home) read-only over them; credential
// files hidden behind /dev/null; the seccomp filter's folder read-only. Without network: a new network
// namespace plus the seccomp filter, since a namespace alone leaves host unix sockets reachable by path.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SandboxPolicy } from '../../protocol';
import { isRestricted, writableRoots } from '../approvals/writableRoots';

export { isRestricted };
import { pathDepth, protectedMounts, type ProtectedMounts } from './protectedPaths';
import { seatbeltProfileFor } from './seatbelt';
import { hostSeccompArch, networkSeccompFilter } from './seccomp';
import { SECCOMP_FD, withSeccompProgram } from './seccompPipe';

export type SandboxSupport = { kind: 'bwrap'; path: string } | { kind: 'seatbelt' } | { kind: 'none'; reason: string };

export interface SandboxOptions {
  /** Tandem's home: read-only when inside a writable root; its credential files hidden. */
  home?: string;
  /**
   * Where the command starts, when not in `cwd`. The writable roots always come from `cwd` (the thread's
   * folder): a folder the model names must never become writable by being where a command starts.
   */
  workdir?: string;
}

let detected: SandboxSupport | undefined;

/** How long the probe may take: bubblewrap starts in milliseconds; a hung probe means no sandbox. */
const PROBE_TIMEOUT_MS = 5_000;

/** Finds a working sandbox once per process. The bwrap probe applies the network filter and checks it took. */
export function detectSandbox(): SandboxSupport {
  if (detected) return detected;
  if (process.platform === 'darwin') return (detected = fs.existsSync('/usr/bin/sandbox-exec') ? { kind: 'seatbelt' } : { kind: 'none', reason: '/usr/bin/sandbox-exec is missing' });
  if (process.platform !== 'linux') return (detected = { kind: 'none', reason: `no sandbox is implemented for ${process.platform}` });
  const bwrap = findExecutable('bwrap');
  if (!bwrap) return (detected = { kind: 'none', reason: 'bubblewrap (bwrap) is not installed; install the "bubblewrap" package' });
  if (!hostSeccompArch()) return (detected = { kind: 'none', reason: `no seccomp network filter for ${process.arch}` });
  try {
    const probe = wrapCommand(['/bin/sh', '-c', 'grep -qE "^Seccomp:[[:space:]]+2$" /proc/self/status'], { type: 'readOnly' }, '/', { kind: 'bwrap', path: bwrap });
    execFileSync(probe.argv[0]!, probe.argv.slice(1), { stdio: 'pipe', timeout: PROBE_TIMEOUT_MS });
    return (detected = { kind: 'bwrap', path: bwrap });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    const detail = (stderr || (error as Error).message).split('\n')[0];
    return (detected = { kind: 'none', reason: `bubblewrap cannot run here (${detail || 'its seccomp network filter did not apply'})` });
  }
}

/** For tests: forget what was detected. */
export function resetSandboxDetection(value?: SandboxSupport): void {
  detected = value;
}

export interface WrappedCommand {
  argv: string[];
  sandboxed: boolean;
  /** What the sandbox could not protect for this command (for the log or the user). */
  warnings?: string[];
}

export function wrapCommand(argv: string[], policy: SandboxPolicy, cwd: string, support: SandboxSupport, options: SandboxOptions = {}): WrappedCommand {
  if (!isRestricted(policy) || support.kind === 'none') return { argv, sandboxed: false };
  if (support.kind === 'seatbelt') {
    const mounts = mountsFor(policy, cwd, options);
    return withWarnings({ argv: ['/usr/bin/sandbox-exec', '-p', seatbeltProfileFor(policy, mounts, hasNetwork(policy), cwd), '--', ...argv], sandboxed: true }, mounts);
  }
  const plan = bwrapPlan(policy, cwd, options);
  const command = [support.path, ...plan.args, '--', ...argv];
  return withWarnings({ argv: plan.filter ? withSeccompProgram(plan.filter, command, reaper()) : command, sandboxed: true }, plan.mounts);
}

let setpriv: string | undefined | null = null;

/** `setpriv --pdeathsig KILL` (util-linux) when installed: the shell in front of bwrap then dies with Tandem. */
function reaper(): string[] {
  if (setpriv === null) setpriv = findExecutable('setpriv');
  return setpriv ? [setpriv, '--pdeathsig', 'KILL'] : [];
}

/** bubblewrap's arguments; with `--seccomp 3` the caller must feed the filter on fd 3 (wrapCommand does). */
export function bwrapArgs(policy: SandboxPolicy, cwd: string, options: SandboxOptions = {}): string[] {
  return bwrapPlan(policy, cwd, options).args;
}

interface BwrapPlan {
  args: string[];
  /** The seccomp program, when the sandbox has no network. */
  filter?: Buffer;
  mounts: ProtectedMounts;
}

function bwrapPlan(policy: SandboxPolicy, cwd: string, options: SandboxOptions): BwrapPlan {
  const arch = hostSeccompArch();
  // detectSandbox reports no sandbox on such a machine; never run without the filter that was asked for.
  if (!arch) throw new Error(`no seccomp network filter for ${process.arch}`);
  const mounts = mountsFor(policy, cwd, options);
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--die-with-parent', '--new-session'];
  // Shallow first: a later mount on a parent would cover what was mounted below it. Credential homes become
  // empty folders (a file written or renamed into them later stays unseen); roots inside them come back on top.
  const layers = [...mounts.writable.map((dir) => ({ dir, args: ['--bind', dir, dir] })), ...mounts.hidden.map((dir) => ({ dir, args: ['--tmpfs', dir] }))];
  for (const layer of layers.sort((a, b) => pathDepth(a.dir) - pathDepth(b.dir))) args.push(...layer.args);
  for (const dir of mounts.hidden) args.push('--remount-ro', dir);
  // -try: a nested repository deleted between the scan and the spawn has nothing left to protect.
  for (const file of mounts.readOnly) args.push('--ro-bind-try', file, file);
  for (const file of mounts.masked) args.push('--ro-bind', '/dev/null', file);
  const network = hasNetwork(policy);
  if (!network) args.push('--unshare-net', '--seccomp', String(SECCOMP_FD));
  args.push('--chdir', options.workdir ?? cwd);
  return { args, filter: network ? undefined : networkSeccompFilter(arch), mounts };
}

function mountsFor(policy: SandboxPolicy, cwd: string, options: SandboxOptions): ProtectedMounts {
  const roots = writableRoots(policy, cwd);
  return protectedMounts({ roots: roots === 'everywhere' ? [] : roots, home: options.home, cwd: options.workdir ?? cwd });
}

function hasNetwork(policy: SandboxPolicy): boolean {
  return policy.type === 'workspaceWrite' || policy.type === 'readOnly' ? policy.networkAccess === true : true;
}

function withWarnings(wrapped: WrappedCommand, mounts: ProtectedMounts): WrappedCommand {
  return mounts.warnings.length > 0 ? { ...wrapped, warnings: mounts.warnings } : wrapped;
}

/** The seatbelt profile sandbox-exec gets for this policy (see seatbelt.ts). */
export function seatbeltProfile(policy: SandboxPolicy, cwd: string, options: SandboxOptions = {}): string {
  return seatbeltProfileFor(policy, mountsFor(policy, cwd, options), hasNetwork(policy), cwd);
}

/** Output that looks like the sandbox refused something. */
export function isLikelySandboxDenial(exitCode: number | null, output: string): boolean {
  if (exitCode === 0 || exitCode === null) return false;
  if (exitCode === 128 + 31) return true;
  // bubblewrap's own setup errors ("bwrap: Can't mount …") mean the sandbox, not the command, failed.
  return /^bwrap: |operation not permitted|\beperm\b|permission denied|read-only file system|seccomp|sandbox|landlock|failed to write file/im.test(output);
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
