// The git facts a thread records: commit, branch and remote of its cwd. Failures mean "not a repository".
import { gitOutput } from './run';

const GIT_TIMEOUT_MS = 2_000;

export interface GitFacts {
  commitHash: string | null;
  branch: string | null;
  repositoryUrl: string | null;
}

export async function readGitFacts(cwd: string): Promise<GitFacts | null> {
  const git = (args: string[]) => gitOutput(cwd, args, GIT_TIMEOUT_MS);
  const commitHash = await git(['rev-parse', 'HEAD']);
  const inside = commitHash ?? (await git(['rev-parse', '--is-inside-work-tree']));
  if (!inside) return null;
  const [branch, repositoryUrl] = await Promise.all([git(['rev-parse', '--abbrev-ref', 'HEAD']), git(['remote', 'get-url', 'origin'])]);
  return { commitHash, branch: branch === 'HEAD' ? null : branch, repositoryUrl };
}
