// `gitDiffToRemote`: what the working tree changes relative to the remote — the diff against the
// merge-base of HEAD with the upstream branch (or, without one, the remote's default branch), with
// untracked files shown as added. Errors say plainly why there is nothing to diff against.
import { stat } from 'node:fs/promises';
import { runGit, gitOutput } from './run';
import { compareCodeUnits } from '../codeUnitOrder';

export interface RemoteDiff {
  sha: string;
  diff: string;
}

export class GitDiffError extends Error {}

export async function gitDiffToRemote(cwd: string): Promise<RemoteDiff> {
  if (!(await isDirectory(cwd))) throw new GitDiffError(`${cwd} is not a folder`);
  const inside = await runGit(cwd, ['rev-parse', '--is-inside-work-tree']);
  if (!inside.ok) throw new GitDiffError(`${cwd} is not inside a git repository`);
  if (!(await gitOutput(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD']))) throw new GitDiffError(`the repository at ${cwd} has no commits yet`);
  const base = await remoteBase(cwd);
  if (!base) throw new GitDiffError(`the repository at ${cwd} has no upstream branch and no remote default branch to diff against`);
  const sha = await gitOutput(cwd, ['merge-base', 'HEAD', base]);
  if (!sha) throw new GitDiffError(`HEAD and ${base} share no history`);

  const tracked = await runGit(cwd, ['diff', '--no-textconv', '--no-ext-diff', '--binary', sha]);
  if (!tracked.ok) throw new GitDiffError(`git diff failed: ${tracked.stderr.trim()}`);
  const parts = [tracked.stdout];
  for (const file of await untrackedFiles(cwd)) {
    // --no-index exits 1 when the files differ, which is always the case against /dev/null.
    const added = await runGit(cwd, ['diff', '--no-textconv', '--no-ext-diff', '--binary', '--no-index', '--', '/dev/null', file]);
    if (added.code === 1 || added.ok) parts.push(added.stdout);
  }
  return { sha, diff: parts.join('') };
}

/** The upstream of the current branch, else the remote's HEAD (origin first), else its main/master. */
async function remoteBase(cwd: string): Promise<string | null> {
  const upstream = await gitOutput(cwd, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']);
  if (upstream) return upstream;
  const remotes = (await gitOutput(cwd, ['remote']))?.split('\n').filter(Boolean) ?? [];
  remotes.sort((a, b) => (a === 'origin' ? -1 : b === 'origin' ? 1 : compareCodeUnits(a, b)));
  for (const remote of remotes) {
    const head = await gitOutput(cwd, ['symbolic-ref', '--quiet', `refs/remotes/${remote}/HEAD`]);
    if (head) return head;
    for (const branch of ['main', 'master']) {
      if (await gitOutput(cwd, ['rev-parse', '--verify', '--quiet', `refs/remotes/${remote}/${branch}`])) return `${remote}/${branch}`;
    }
  }
  return null;
}

async function untrackedFiles(cwd: string): Promise<string[]> {
  const listed = await runGit(cwd, ['ls-files', '--others', '--exclude-standard', '-z']);
  return listed.ok ? listed.stdout.split('\0').filter(Boolean) : [];
}

async function isDirectory(folder: string): Promise<boolean> {
  return stat(folder).then((s) => s.isDirectory(), () => false);
}
