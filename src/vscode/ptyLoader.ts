// node-pty for commands that want a terminal. VS Code ships a build for its own Electron/Node ABI under
// vscode.env.appRoot; that copy is tried first, then the one bundled with Tandem. If neither loads, the
// process manager falls back to pipes and warns once.
import * as path from 'node:path';

export function ptyCandidates(appRoot: string): string[] {
  return [path.join(appRoot, 'node_modules', 'node-pty'), path.join(appRoot, 'node_modules.asar.unpacked', 'node-pty'), 'node-pty'];
}

/** Loads the first candidate that works; throws with every reason when none does. */
export function loadPty(appRoot: string, load: (id: string) => unknown = require): { module: unknown; from: string } {
  const failures: string[] = [];
  for (const candidate of ptyCandidates(appRoot)) {
    try {
      return { module: load(candidate), from: candidate };
    } catch (error) {
      failures.push(`${candidate}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`no usable node-pty (${failures.join('; ')})`);
}
