import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Tandem's home: `TANDEM_HOME` when set, else (for the command line) `CODEX_HOME` when set — clients that
 * spawn "codex" point it at the home they want — else `~/.tandem`. Made absolute. The editor extension
 * keeps to its own home: a `CODEX_HOME` in the user's shell is codex's, not a request to share it.
 */
export function resolveTandemHome(env: NodeJS.ProcessEnv = process.env, options: { codexHome?: boolean } = {}): string {
  const fromEnv = env.TANDEM_HOME?.trim() || (options.codexHome ? env.CODEX_HOME?.trim() : undefined);
  if (fromEnv) return path.resolve(fromEnv);
  return path.join(os.homedir(), '.tandem');
}
