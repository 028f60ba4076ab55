// Tandem against the codex oracle for an inline review of uncommitted changes: the answer to review/start,
// the review-mode items around the reviewer's turn, the findings rendered from its JSON, what the reviewer
// is sent (no thread history) and what the thread's next turn reads of the review.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textReply } from '../support/fakeModel';
import type { Scenario, ScenarioContext } from '../support/differential';
import { compareScenarios, startThread, turn } from '../support/differentialSteps';

function commitAndEdit(dir: string): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir });
  git('init', '-q');
  git('config', 'user.email', 'reviewer@example.com');
  git('config', 'user.name', 'Reviewer');
  fs.writeFileSync(path.join(dir, 'a.txt'), 'one\n');
  git('add', '.');
  git('commit', '-qm', 'first');
  fs.appendFileSync(path.join(dir, 'a.txt'), 'two\n');
}

const masked = (context: ScenarioContext, text: string) => text.split(context.workspace).join('<workspace>');

const SCENARIOS: Scenario[] = [
  {
    name: 'an inline review of uncommitted changes, then a turn that reads its outcome',
    async run(context) {
      commitAndEdit(context.workspace);
      const threadId = await startThread(context);
      context.model.enqueue(textReply('hello back'));
      await turn(context, threadId, 'hello first');

      const file = path.join(context.workspace, 'a.txt');
      const findings = [
        { title: '[P1] Second line breaks parsing', body: 'a.txt must hold one line.', confidence_score: 0.9, priority: 1, code_location: { absolute_file_path: file, line_range: { start: 2, end: 2 } } },
        { title: '[P3] Trailing newline', body: 'Keep it.', confidence_score: 0.4, priority: 3, code_location: { absolute_file_path: file, line_range: { start: 1, end: 2 } } },
      ];
      context.model.enqueue(textReply(JSON.stringify({ findings, overall_correctness: 'patch is incorrect', overall_explanation: 'The new line breaks the format.', overall_confidence_score: 0.8 })));
      const detached = await context.server.client.request('review/start', { threadId, target: { type: 'uncommittedChanges' }, delivery: 'detached' });
      context.answers.push({ method: 'review/start detached', answer: detached.error?.code ?? 'accepted' });

      const started = await context.server.client.request('review/start', { threadId, target: { type: 'uncommittedChanges' } });
      const { turn: reviewTurn, reviewThreadId } = started.result;
      context.answers.push({
        method: 'review/start',
        answer: {
          sameThread: reviewThreadId === threadId,
          keys: Object.keys(reviewTurn).sort(),
          rootTurnId: reviewTurn.rootTurnId,
          itemsView: reviewTurn.itemsView,
          status: reviewTurn.status,
          startedAt: reviewTurn.startedAt,
          items: reviewTurn.items.map((item: { type: string; id: string; content: Array<{ text: string }> }) => [item.type, item.id === reviewTurn.id, item.content[0]!.text]),
        },
      });
      const completed = await context.server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === reviewTurn.id, 20_000);
      const turnStarted = [...context.received].reverse().find((m) => m.method === 'turn/started');
      context.answers.push({ method: 'turn/started rootTurnId', answer: turnStarted?.params.turn.rootTurnId === reviewTurn.id });
      const review = (type: string) => [...context.received].reverse().find((m) => m.method === 'item/completed' && m.params.item.type === type)?.params.item.review;
      context.answers.push({ method: 'enteredReviewMode', answer: review('enteredReviewMode') });
      context.answers.push({ method: 'exitedReviewMode', answer: masked(context, review('exitedReviewMode')) });
      context.answers.push({ method: 'turn/completed', answer: completed.params.turn.items.map((item: { type: string; text: string }) => [item.type, masked(context, item.text)]) });
      const reviewer = context.model.lastTurnRequest();
      const sent = JSON.stringify(reviewer.body.input);
      context.answers.push({ method: 'reviewer sees no thread history', answer: !sent.includes('hello first') && !sent.includes('hello back') });
      // codex also offers apply_patch to the reviewer of a catalog model; Tandem's reviewer only reads (review.ts).
      context.answers.push({ method: 'reviewer tools', answer: (reviewer.body.tools as Array<{ name?: string }>).map((t) => t.name).filter((name) => name === 'exec_command' || name === 'write_stdin') });

      context.model.enqueue(textReply('will fix'));
      await turn(context, threadId, 'fix it');
    },
  },
];

describe('integration: differential against codex app-server — review', function () {
  this.timeout(90_000);
  compareScenarios(SCENARIOS);
});
