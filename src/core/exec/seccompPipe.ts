// How the seccomp program reaches bubblewrap. `--seccomp FD` reads it from a file descriptor, and node-pty
// cannot hand a child extra fds. A file would do, but any sandbox of the same user (this process's or
// another Tandem's) that can write where the file lives could swap it between a check and the open. So no
// file: the program travels in argv as printf octal escapes, and a shell pipes it to fd 3 of bubblewrap
// while bubblewrap keeps the real stdin (a pipe or the terminal).

/** The fd bubblewrap reads the program from. */
export const SECCOMP_FD = 3;

/** $0 is the program as printf escapes, "$@" the bwrap command line; fd 4 carries stdin past the pipe. */
const PIPE_SCRIPT = `exec 4<&0; printf "$0" | exec "$@" ${SECCOMP_FD}<&0 0<&4 4<&-`;

/** Every byte as a `\ooo` escape, so printf's format holds no `%` and no NUL. */
export function printfEscaped(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) out += `\\${byte.toString(8).padStart(3, '0')}`;
  return out;
}

/**
 * argv that feeds `program` to fd SECCOMP_FD and runs `command` (bwrap and its arguments). The shell stays
 * as bwrap's parent, so `--die-with-parent` follows the shell: `reaper` (setpriv --pdeathsig KILL) makes
 * the shell die with Tandem, and with it the sandbox, even when Tandem is killed outright.
 */
export function withSeccompProgram(program: Buffer, command: readonly string[], reaper: readonly string[] = []): string[] {
  return [...reaper, '/bin/sh', '-c', PIPE_SCRIPT, printfEscaped(program), ...command];
}
