// What a review asks of the model, in Tandem's own words: the reviewer's guidelines (sent as the request's
// instructions, in place of the coding agent's), the request for each target, the short description
// clients show, and how the outcome is handed back to the thread that asked for it.
import type { ReviewTarget } from '../../protocol';
import { gitOutput } from '../git/run';

export const REVIEW_GUIDELINES = `You are reviewing a code change someone else wrote. You read and run read-only commands; you never edit files.

What deserves a finding:
- A real defect the change introduces: wrong behaviour, a crash, data loss, a security hole, a race, a clear performance regression, or code that will mislead the next reader.
- Something concrete and fixable in one place, that the author would want to fix once told.
- Not a matter of taste, not a problem that was there before the change, not a guess about code you have not read.

How to work:
- Look at the diff first, then read as much of the surrounding code as you need to be sure.
- Point at the smallest range of lines that shows the problem, inside the changed lines where possible.
- Say why it is wrong and when it bites, briefly and without flattery. One finding per problem.
- Rank each finding: 0 means it must be fixed before merging, 1 soon, 2 eventually, 3 a nit. Put "[P0]".."[P3]" at the start of its title.
- It is fine to find nothing: then say so.

Answer with JSON only, no prose around it, in this shape:
{
  "findings": [
    {
      "title": "[P1] Short imperative summary (at most 80 characters)",
      "body": "Why this is a problem, in a short markdown paragraph.",
      "confidence_score": 0.0,
      "priority": 1,
      "code_location": { "absolute_file_path": "/absolute/path/to/file", "line_range": { "start": 10, "end": 12 } }
    }
  ],
  "overall_correctness": "patch is correct" or "patch is incorrect",
  "overall_explanation": "One to three sentences on the change as a whole.",
  "overall_confidence_score": 0.0
}`;

export interface ReviewRequest {
  /** What the thread shows for the review (the `enteredReviewMode` item). */
  description: string;
  /** The message the reviewer model is given. */
  prompt: string;
}

/** The description and the model's request for a target; a branch is compared from its merge base with HEAD. */
export async function reviewRequestFor(target: ReviewTarget, cwd: string): Promise<ReviewRequest> {
  switch (target.type) {
    case 'uncommittedChanges':
      return {
        description: 'current changes',
        prompt: 'Review the changes in the working tree that are not committed yet (staged, unstaged and untracked files) and report your findings, most important first.',
      };
    case 'baseBranch': {
      const mergeBase = await mergeBaseWith(cwd, target.branch);
      const how = mergeBase
        ? `They branch off at commit ${mergeBase} (the merge base); \`git diff ${mergeBase}\` shows them.`
        : `Find where the two diverge (\`git merge-base HEAD ${target.branch}\`) and diff against that commit.`;
      return {
        description: `changes against '${target.branch}'`,
        prompt: `Review the changes of this branch compared with the base branch '${target.branch}'. ${how} Report your findings, most important first.`,
      };
    }
    case 'commit': {
      const short = target.sha.slice(0, 7);
      return {
        description: target.title ? `commit ${short}: ${target.title}` : `commit ${short}`,
        prompt: `Review what commit ${target.sha}${target.title ? ` ("${target.title}")` : ''} changes (\`git show ${target.sha}\`) and report your findings, most important first.`,
      };
    }
    case 'custom':
      // The user's words are the request, as they wrote them.
      return { description: target.instructions.trim(), prompt: target.instructions };
  }
}

async function mergeBaseWith(cwd: string, branch: string): Promise<string | null> {
  // A branch only known upstream is compared with its remote-tracking ref.
  return (await gitOutput(cwd, ['merge-base', 'HEAD', branch])) ?? (await gitOutput(cwd, ['merge-base', 'HEAD', `origin/${branch}`]));
}

/** The user's side of the exchange the asking thread keeps: that a review ran, and what it found. */
export function reviewOutcomeMessage(rendered: string): string {
  return [
    '<user_action>',
    '  <context>The user ran a code review; below is what the reviewer reported. They may ask you to address some of these points.</context>',
    '  <action>review</action>',
    '  <results>',
    `  ${rendered}`,
    '  </results>',
    '  </user_action>',
    '',
  ].join('\n');
}
