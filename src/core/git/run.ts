// Runs git in a folder. A missing git binary, a timeout and a non-zero exit all come back as a result, so
// callers decide what "not a repository" means for them.
import { execFile } from 'node:child_process';

export interface GitResult {
  ok: boolean;
  /** The exit code, or null when git could not run or timed out. */
  code: number | null;
  stdout: string;
  stderr: string;
}

const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
/** A repository's config can name programs git runs on its own (an fsmonitor hook): Tandem never lets it. */
const SAFE_CONFIG = ['-c', 'core.fsmonitor=false'];

export function runGit(cwd: string, args: readonly string[], timeoutMs = 10_000): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      [...SAFE_CONFIG, ...args],
      { cwd, timeout: timeoutMs, windowsHide: true, maxBuffer: MAX_OUTPUT_BYTES, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ ok: code === 0, code, stdout, stderr });
      },
    );
  });
}

/** Trimmed stdout on success, else null. */
export async function gitOutput(cwd: string, args: readonly string[], timeoutMs?: number): Promise<string | null> {
  const result = await runGit(cwd, args, timeoutMs);
  return result.ok ? result.stdout.trim() || null : null;
}
