// *Review Changes* (`tandem.reviewChanges`): the user picks what to review — the uncommitted changes, or
// this branch against another one from the repository's branches — and the chat runs the review in the
// thread it shows.
import * as vscode from 'vscode';
import type { ReviewTarget } from '../protocol';
import { runGit } from '../core/git/run';

/** The branches of the repository at `cwd`, the current one last (reviewing against itself shows nothing). */
export async function localBranches(cwd: string): Promise<string[]> {
  const result = await runGit(cwd, ['branch', '--format=%(HEAD) %(refname:short)']);
  if (!result.ok) return [];
  const lines = result.stdout.split('\n').filter((line) => line.trim() !== '');
  const others = lines.filter((line) => !line.startsWith('*')).map((line) => line.slice(2));
  const current = lines.filter((line) => line.startsWith('*')).map((line) => line.slice(2));
  return [...others, ...current];
}

/** Asks what to review; undefined when the user cancels. */
export async function pickReviewTarget(cwd: string | undefined): Promise<ReviewTarget | undefined> {
  const uncommitted = { label: `$(diff) ${vscode.l10n.t('Uncommitted changes')}`, description: vscode.l10n.t('staged, unstaged and untracked files') };
  const branch = { label: `$(git-branch) ${vscode.l10n.t('Against a branch…')}`, description: vscode.l10n.t('this branch compared with a base branch') };
  const choice = await vscode.window.showQuickPick([uncommitted, branch], { title: vscode.l10n.t('Tandem: Review Changes'), placeHolder: vscode.l10n.t('What should be reviewed?') });
  if (!choice) return undefined;
  if (choice === uncommitted) return { type: 'uncommittedChanges' };
  const branches = cwd ? await localBranches(cwd) : [];
  if (branches.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: no git branches found in this workspace.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(branches, { title: vscode.l10n.t('Tandem: Review Changes'), placeHolder: vscode.l10n.t('Base branch to compare with') });
  return picked ? { type: 'baseBranch', branch: picked } : undefined;
}
