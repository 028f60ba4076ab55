import * as os from 'node:os';
import * as path from 'node:path';

/** Tandem's home: `TANDEM_HOME` when set (made absolute), else `~/.tandem`. */
export function resolveTandemHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TANDEM_HOME?.trim();
  if (fromEnv) return path.resolve(fromEnv);
  return path.join(os.homedir(), '.tandem');
}
