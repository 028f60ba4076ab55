// A thread's login-shell environment, captured once. Commands run as `shell -lc` by default, so every one
// paid for the login profile (about 130 ms for a usual ~/.profile); instead the profile runs once per thread
// and shell, what it did to the environment is remembered, and each command then runs as `shell -c` with
// that environment. Only variables carry over: a profile's functions and aliases do not reach non-login
// `-c` shells, and aliases are not expanded in non-interactive ones anyway. When the capture fails (a
// profile that errs, hangs or prints no environment) commands keep using `-lc`.
import { execFile } from 'node:child_process';

/** Past this the profile is taken as hung: its commands keep the login shell, which will hang them too. */
export const SNAPSHOT_TIMEOUT_MS = 10_000;
/** Set anew by every shell for itself; copying them from the snapshot would be wrong or pointless. */
const SHELL_OWNED = new Set(['_', 'PWD', 'OLDPWD', 'SHLVL']);
/** Printed before the environment so that whatever the profile itself prints is skipped. */
const MARKER = '__TANDEM_SHELL_SNAPSHOT__';
const MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024;

/** What a login profile changes: variables it sets (or changes) and those it removes. */
export interface EnvironmentDelta {
  set: Record<string, string>;
  unset: string[];
}

export interface SnapshotRequest {
  shell: string;
  /** The environment commands start with (before the profile). */
  env: Record<string, string>;
  cwd: string;
  /** Turns the capture argv into the one to run (the sandbox), or returns null when it must not run. */
  wrap(argv: string[]): string[] | null;
}

/** One thread's snapshots, one per shell; the first command waits for the capture, later ones reuse it. */
export class ShellSnapshots {
  private readonly captures = new Map<string, Promise<EnvironmentDelta | null>>();

  deltaFor(request: SnapshotRequest): Promise<EnvironmentDelta | null> {
    let capture = this.captures.get(request.shell);
    if (!capture) {
      capture = captureLoginEnvironment(request);
      this.captures.set(request.shell, capture);
    }
    return capture;
  }
}

/** Runs the login shell once and returns what its profile changed, or null when that cannot be known. */
export function captureLoginEnvironment(request: SnapshotRequest): Promise<EnvironmentDelta | null> {
  const argv = request.wrap([request.shell, '-lc', `printf '%s' '${MARKER}'; exec env -0`]);
  if (!argv) return Promise.resolve(null);
  return new Promise((resolve) => {
    const child = execFile(
      argv[0]!,
      argv.slice(1),
      { cwd: request.cwd, env: request.env, timeout: SNAPSHOT_TIMEOUT_MS, maxBuffer: MAX_SNAPSHOT_BYTES, encoding: 'utf8', killSignal: 'SIGKILL' },
      (error, stdout) => {
        const after = error ? null : parseEnvironment(stdout);
        resolve(after ? environmentDelta(request.env, after) : null);
      },
    );
    // A profile that reads its input gets end of file at once instead of waiting for the timeout.
    child.stdin?.end();
  });
}

/** `NAME=value` entries separated by NUL after the marker, or null when the marker is missing. */
export function parseEnvironment(output: string): Record<string, string> | null {
  const start = output.lastIndexOf(MARKER);
  if (start < 0) return null;
  const env: Record<string, string> = {};
  for (const entry of output.slice(start + MARKER.length).split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

export function environmentDelta(before: Record<string, string>, after: Record<string, string>): EnvironmentDelta {
  const set: Record<string, string> = {};
  for (const [name, value] of Object.entries(after)) if (!SHELL_OWNED.has(name) && before[name] !== value) set[name] = value;
  const unset = Object.keys(before).filter((name) => !SHELL_OWNED.has(name) && !(name in after));
  return { set, unset };
}

/** A command's environment as its login shell would have left it. */
export function applyDelta(env: Record<string, string>, delta: EnvironmentDelta): Record<string, string> {
  const out = { ...env, ...delta.set };
  for (const name of delta.unset) delete out[name];
  return out;
}
