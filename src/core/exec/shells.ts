// Which shell a model may run its command with. The shell is the program that runs outside the sandbox when
// a command is approved, yet the approval shows only the command text, so the model may not name any binary
// (a script it wrote a moment earlier, say): only a real shell installed on this machine, by path or name.
import * as fs from 'node:fs';
import * as path from 'node:path';

const SHELL_NAMES = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'fish']);

export function defaultShell(): string {
  return process.env.SHELL && isShellPath(process.env.SHELL) ? process.env.SHELL : '/bin/bash';
}

/** The installed shells: /etc/shells entries (and $SHELL) that are known shells and exist. */
export function installedShells(): string[] {
  let listed: string[] = [];
  try {
    listed = fs.readFileSync('/etc/shells', 'utf8').split('\n').map((line) => line.trim()).filter((line) => line.startsWith('/'));
  } catch {
    // no /etc/shells (macOS has one; minimal containers may not)
  }
  const candidates = [...listed, process.env.SHELL ?? '', '/bin/sh', '/bin/bash'];
  return [...new Set(candidates.filter((p) => isShellPath(p) && fs.existsSync(p)))];
}

/** The shell to use for a requested name or path, or an error message for the model. */
export function resolveShell(requested: unknown): { shell: string } | { error: string } {
  if (requested === undefined || requested === null || requested === '') return { shell: defaultShell() };
  const shells = installedShells();
  if (typeof requested === 'string') {
    const found = requested.includes('/') ? shells.find((s) => s === path.resolve(requested)) : shells.find((s) => path.basename(s) === requested);
    if (found) return { shell: found };
  }
  return { error: `exec_command: shell must be one of the installed shells (${shells.join(', ')}), by path or name; leave it out for the default shell` };
}

function isShellPath(file: string): boolean {
  return path.isAbsolute(file) && SHELL_NAMES.has(path.basename(file));
}
