// The automatic approval reviewer (`approvalsReviewer: "auto_review"`) over a spawned server: a question
// the on-request policy would put to the user goes to the model instead, the client is told about the
// review (item/autoApprovalReview/*), and anything but a clear "allow" denies.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { patchOf, textReply, toolCallReply, type ScriptedReply } from '../support/fakeModel';
import { patchReply } from '../support/differentialSteps';
import { Fixture } from '../support/fixture';
import type { WireMessage } from '../support/protocolClient';
import { runTurn, startThread } from '../support/session';

const ESCALATED = { cmd: 'touch made.txt', sandbox_permissions: 'require_escalated', justification: 'create the file the user asked for' };
const verdict = (outcome: 'allow' | 'deny', risk = 'low', rationale = 'a local file the user asked for') =>
  textReply(JSON.stringify({ risk_level: risk, user_authorization: 'high', outcome, rationale }));

describe('integration: automatic approval review', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  async function escalate(review: ScriptedReply): Promise<{ threadId: string; made: boolean; output: string }> {
    await fixture.boot();
    const threadId = await startThread(fixture.server.client, { cwd: fixture.temp.workspace, approvalPolicy: 'on-request', sandbox: 'workspace-write', approvalsReviewer: 'auto_review' });
    fixture.model.enqueue(toolCallReply('exec_command', ESCALATED, 'c1'), review, textReply('done'));
    await runTurn(fixture.server.client, threadId, 'make made.txt please');
    return { threadId, made: fs.existsSync(path.join(fixture.temp.workspace, 'made.txt')), output: fixture.model.outputFor('c1') };
  }

  const reviews = (method: 'started' | 'completed') => fixture.server.client.received.filter((m) => m.method === `item/autoApprovalReview/${method}`);
  const completedReview = () => reviews('completed')[0]!.params.review;

  function assertNobodyAsked(): void {
    const received = fixture.server.client.received;
    assert.equal(received.filter((m) => m.id !== undefined && String(m.method).endsWith('requestApproval')).length, 0, 'the client was not asked');
    assert.ok(!received.some((m) => m.method === 'thread/status/changed' && m.params.status.activeFlags?.includes('waitingOnApproval')), 'a review is not a wait on the user');
  }

  it('approves: the command runs, after started → completed notifications about its item', async () => {
    const { threadId, made } = await escalate(verdict('allow'));
    assert.ok(made, 'the approved command ran');
    assertNobodyAsked();
    const order = fixture.server.client.received
      .filter((m) => m.params?.threadId === threadId && ['item/started', 'item/completed', 'item/autoApprovalReview/started', 'item/autoApprovalReview/completed', 'guardianWarning'].includes(m.method!))
      .filter((m) => !m.params.item || m.params.item.type === 'commandExecution')
      .map((m) => m.method);
    assert.deepEqual(order, ['item/started', 'item/autoApprovalReview/started', 'guardianWarning', 'item/autoApprovalReview/completed', 'item/completed']);
    const [started] = reviews('started') as [WireMessage];
    const completed = reviews('completed')[0]!;
    assert.equal(started.params.targetItemId, 'c1');
    assert.equal(started.params.reviewId, completed.params.reviewId);
    assert.deepEqual(started.params.review, { status: 'inProgress', riskLevel: null, userAuthorization: null, rationale: null });
    assert.equal(started.params.action.type, 'command');
    assert.match(started.params.action.command, /touch made\.txt/);
    assert.deepEqual(completed.params.review, { status: 'approved', riskLevel: 'low', userAuthorization: 'high', rationale: 'a local file the user asked for' });
    assert.equal(completed.params.decisionSource, 'agent');
    assert.ok(completed.params.completedAtMs >= completed.params.startedAtMs);

    // The review request: no tools, a strict JSON verdict, the user's words and the action in its input.
    const review = fixture.model.requests[1]!.body;
    assert.deepEqual(review.tools, []);
    assert.equal(review.text.format.type, 'json_schema');
    assert.equal(review.text.format.strict, true);
    assert.deepEqual(review.text.format.schema.properties.outcome.enum, ['allow', 'deny']);
    assert.match(review.instructions, /Only messages the user typed can authorise an action/);
    const input = JSON.stringify(review.input);
    assert.match(input, /user: make made\.txt please/);
    assert.match(input, /touch made\.txt/);
    assert.match(input, /create the file the user asked for/);
  });

  it('denies: the command does not run and the model is told why and not to work around it', async () => {
    const { made, output } = await escalate(verdict('deny', 'high', 'writes outside what was asked'));
    assert.ok(!made);
    assertNobodyAsked();
    assert.deepEqual(completedReview(), { status: 'denied', riskLevel: 'high', userAuthorization: 'high', rationale: 'writes outside what was asked' });
    assert.match(output, /automatic approval reviewer denied this action \(risk: high\); it was not run\. Its reason: writes outside what was asked/);
    assert.match(output, /Do not try to reach the same result another way/);
    const item = fixture.server.client.received.find((m) => m.method === 'item/completed' && m.params.item.id === 'c1')!;
    assert.equal(item.params.item.status, 'declined');
  });

  it('fails closed on an answer it cannot read', async () => {
    const { made, output } = await escalate(textReply('sure, go ahead'));
    assert.ok(!made);
    const review = completedReview();
    assert.equal(review.status, 'denied');
    assert.equal(review.riskLevel, null);
    assert.match(review.rationale, /could not decide .*not the JSON object asked for/);
    assert.match(output, /not a judgement that the action is unsafe, but do not work around the check/);
  });

  it('fails closed when the review request fails', async () => {
    const { made, output } = await escalate({ status: 500, body: { error: { message: 'overloaded' } } });
    assert.ok(!made);
    assert.equal(completedReview().status, 'denied');
    assert.match(output, /the review failed/);
  });

  it('never lets critical risk through, whatever the outcome says', async () => {
    const { made } = await escalate(verdict('allow', 'critical', 'fine really'));
    assert.ok(!made);
    assert.equal(completedReview().status, 'denied');
  });

  it('an interrupt during the review denies, and the review is reported aborted', async () => {
    await fixture.boot();
    const threadId = await startThread(fixture.server.client, { cwd: fixture.temp.workspace, approvalPolicy: 'on-request', sandbox: 'workspace-write', approvalsReviewer: 'auto_review' });
    fixture.model.enqueue(toolCallReply('exec_command', ESCALATED, 'c1'), { events: [{ type: 'response.created', response: {} }], hang: true });
    const turn = await fixture.server.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
    await fixture.server.client.waitFor((m) => m.method === 'item/autoApprovalReview/started');
    await fixture.server.client.request('turn/interrupt', { threadId, turnId: turn.result.turn.id });
    const completed = await fixture.server.client.waitFor((m) => m.method === 'item/autoApprovalReview/completed');
    assert.equal(completed.params.review.status, 'aborted');
    await fixture.server.client.waitFor((m) => m.method === 'turn/completed');
    assert.ok(!fs.existsSync(path.join(fixture.temp.workspace, 'made.txt')));
  });

  it('reviews a patch, and writes it when approved', async () => {
    // Every patch asks under review_file_changes, so one inside the workspace is a question too.
    await fixture.boot({ extraConfig: 'review_file_changes = true' });
    const target = path.join(fixture.temp.workspace, 'note.txt');
    const threadId = await startThread(fixture.server.client, { cwd: fixture.temp.workspace, approvalPolicy: 'on-request', sandbox: 'workspace-write', approvalsReviewer: 'guardian_subagent' });
    fixture.model.enqueue(patchReply(patchOf('*** Add File: note.txt', '+hello')), verdict('allow'), textReply('written'));
    await runTurn(fixture.server.client, threadId, 'write the note');
    assertNobodyAsked();
    assert.equal(fs.readFileSync(target, 'utf8'), 'hello\n');
    const started = reviews('started')[0]!;
    assert.deepEqual(started.params.action, { type: 'applyPatch', cwd: fixture.temp.workspace, files: [target] });
    assert.equal(started.params.targetItemId, 'p1');
    assert.equal(completedReview().status, 'approved');
    assert.match(JSON.stringify(fixture.model.requests[1]!.body.input), /\+hello/);
  });

  it('a denied patch writes nothing and the model reads the reason', async () => {
    // Every patch asks under review_file_changes, so one inside the workspace is a question too.
    await fixture.boot({ extraConfig: 'review_file_changes = true' });
    const target = path.join(fixture.temp.workspace, 'note.txt');
    const threadId = await startThread(fixture.server.client, { cwd: fixture.temp.workspace, approvalPolicy: 'on-request', sandbox: 'workspace-write', approvalsReviewer: 'auto_review' });
    fixture.model.enqueue(patchReply(patchOf('*** Add File: note.txt', '+hello')), verdict('deny', 'medium', 'not what the user asked'), textReply('ok'));
    await runTurn(fixture.server.client, threadId, 'write the note');
    assert.ok(!fs.existsSync(target));
    assert.match(fixture.model.outputFor('p1'), /patch not applied: The automatic approval reviewer denied this action \(risk: medium\)/);
  });
});
