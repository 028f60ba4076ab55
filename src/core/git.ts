// The git facts a thread records: commit, branch and remote of its cwd. Failures mean "not a repository".
import { execFile } from 'node:child_process';

const GIT_TIMEOUT_MS = 2_000;

export interface GitFacts {
  commitHash: string | null;
  branch: string | null;
  repositoryUrl: string | null;
}

function git(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: GIT_TIMEOUT_MS, windowsHide: true }, (error, stdout) => resolve(error ? null : stdout.trim() || null));
  });
}

export async function readGitFacts(cwd: string): Promise<GitFacts | null> {
  const commitHash = await git(cwd, ['rev-parse', 'HEAD']);
  const inside = commitHash ?? (await git(cwd, ['rev-parse', '--is-inside-work-tree']));
  if (!inside) return null;
  const [branch, repositoryUrl] = await Promise.all([git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']), git(cwd, ['remote', 'get-url', 'origin'])]);
  return { commitHash, branch: branch === 'HEAD' ? null : branch, repositoryUrl };
}
