// The automatic approval reviewer against the codex oracle: an escalated command under on-request with
// `approvalsReviewer: "auto_review"`, the review approved and denied. Same client and model scripts on both
// servers; the notifications are compared in order, and what the client and the model were told.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textReply, toolCallReply } from '../support/fakeModel';
import type { Scenario, ScenarioContext } from '../support/differential';
import { compareScenarios, startThread, turn } from '../support/differentialSteps';

const REVIEWED = { approvalPolicy: 'on-request', sandbox: 'workspace-write', approvalsReviewer: 'auto_review' };
const ESCALATED = { cmd: 'touch made.txt', sandbox_permissions: 'require_escalated', justification: 'create the file the user asked for' };
const INPUTS_DIFFER = "codex's reviewer is a sub-agent with its own context messages and read-only tools; Tandem's is one request with the conversation in a single message. The verdict format is compared through the answers";

async function reviewed(context: ScenarioContext, outcome: 'allow' | 'deny'): Promise<void> {
  const threadId = await startThread(context, REVIEWED);
  const verdict = { risk_level: outcome === 'allow' ? 'low' : 'high', user_authorization: 'high', outcome, rationale: 'judged' };
  context.model.enqueue(toolCallReply('exec_command', ESCALATED, 'c1'), textReply(JSON.stringify(verdict)), textReply('done'));
  await turn(context, threadId, 'make made.txt');
  const completed = context.received.find((m) => m.method === 'item/autoApprovalReview/completed')!.params;
  const { review, action, targetItemId, decisionSource } = completed;
  context.answers.push({ method: 'item/autoApprovalReview/completed', answer: { review, actionType: action.type, source: action.source, targetItemId, decisionSource } });
  const request = context.model.requests[1]!.body;
  const format = request.text.format;
  context.answers.push({ method: 'review request', answer: { type: format.type, outcomes: format.schema.properties.outcome.enum, risks: format.schema.properties.risk_level.enum } });
  const output = context.model.outputFor('c1');
  context.answers.push({ method: 'result', answer: { made: fs.existsSync(path.join(context.workspace, 'made.txt')), toldWhy: outcome === 'deny' ? output.includes('judged') : null } });
}

const SCENARIOS: Scenario[] = [
  { name: 'an escalated command the reviewer approves runs without asking the client', modelInputsDiffer: INPUTS_DIFFER, run: (context) => reviewed(context, 'allow') },
  { name: 'an escalated command the reviewer denies is declined and the model is told why', modelInputsDiffer: INPUTS_DIFFER, run: (context) => reviewed(context, 'deny') },
];

describe('integration: differential against codex app-server — automatic approval review', function () {
  this.timeout(90_000);
  compareScenarios(SCENARIOS);
});
