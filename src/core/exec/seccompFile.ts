// Where the seccomp program waits for bubblewrap. node-pty cannot hand a child extra fds, so the command
// line opens the file itself (`sh -c 'exec "$@" 3<"$0"'`). A sandboxed command can write /tmp, so a filter
// file there could be swapped by one command to weaken the next. Hence: one 0700 folder per process, made
// before the first sandbox starts, bind-mounted read-only over itself in EVERY bubblewrap sandbox (a mount
// point can be neither written, renamed nor unlinked from inside), and its bytes checked before each spawn;
// a mismatch (a tmp cleaner, or an unsandboxed process) gets a fresh folder, never the old file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The fd bubblewrap reads the program from. */
export const SECCOMP_FD = 3;

/** sh script: $0 is the filter file, "$@" the bwrap command line; a file that cannot be opened stops sh. */
const PASS_FD_SCRIPT = `exec "$@" ${SECCOMP_FD}<"$0"`;

interface FilterFile {
  dir: string;
  file: string;
  bytes: Buffer;
}

let current: FilterFile | undefined;
let cleanupRegistered = false;

/** The folder and file holding `bytes`, made or re-made as needed. */
export function seccompFilterFile(bytes: Buffer): { dir: string; file: string } {
  if (current && current.bytes.equals(bytes) && holds(current.file, bytes)) return current;
  const previous = current;
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'tandem-seccomp-'));
  fs.chmodSync(dir, 0o700);
  const file = path.join(dir, 'network.bpf');
  fs.writeFileSync(file, bytes, { mode: 0o400, flag: 'wx' });
  current = { dir, file, bytes: Buffer.from(bytes) };
  if (previous) removeQuietly(previous.dir);
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    process.once('exit', () => current && removeQuietly(current.dir));
  }
  return current;
}

/** The folder of the current filter file, if one was made: every sandbox binds it read-only. */
export function seccompFilterDir(): string | undefined {
  return current?.dir;
}

/** argv that opens the filter on SECCOMP_FD and then execs `command` (bwrap and its arguments). */
export function withSeccompFd(file: string, command: readonly string[]): string[] {
  return ['/bin/sh', '-c', PASS_FD_SCRIPT, file, ...command];
}

function holds(file: string, bytes: Buffer): boolean {
  try {
    return fs.readFileSync(file).equals(bytes);
  } catch {
    return false;
  }
}

function removeQuietly(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // a leftover 0700 folder in tmp is harmless
  }
}
