// The granular approval policy over a spawned server: accepted from thread/start and config.toml, reported
// back, told to the model, and enforced (a question it turns off is refused, not asked, nor reviewed by the
// automatic approvals reviewer).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn } from '../support/session';

const QUIET = { granular: { sandbox_approval: false, rules: true, mcp_elicitations: false, request_permissions: false, skill_approval: false } };

describe('integration: granular approval policy', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it('refuses what a switched-off question would ask, and says so to the model', async () => {
    await fixture.boot();
    const started = await fixture.server.client.request('thread/start', { cwd: fixture.temp.workspace, approvalPolicy: QUIET, sandbox: 'workspace-write' });
    assert.deepEqual(started.result.approvalPolicy, QUIET);
    const threadId = started.result.thread.id;
    fixture.model.enqueue(
      toolCallReply('exec_command', { cmd: 'touch escalated.txt', sandbox_permissions: 'require_escalated', justification: 'needs it' }, 'e1'),
      textReply('ok'),
      toolCallReply('exec_command', { cmd: 'touch inside.txt' }, 'i1'),
      textReply('ok'),
    );
    await runTurn(fixture.server.client, threadId, 'escalate');
    await runTurn(fixture.server.client, threadId, 'stay inside');
    assert.equal(fixture.server.client.received.filter((m) => m.method === 'item/commandExecution/requestApproval').length, 0, 'nothing asked');
    assert.ok(!fs.existsSync(path.join(fixture.temp.workspace, 'escalated.txt')), 'the escalation did not run');
    assert.ok(fs.existsSync(path.join(fixture.temp.workspace, 'inside.txt')), 'a sandboxed command runs without asking, as on-request');
    const outputs = fixture.model.requests.flatMap((r) => r.body.input as Array<{ type: string; call_id?: string; output?: string }>).filter((i) => i.type === 'function_call_output' && i.call_id === 'e1');
    assert.match(outputs[0]?.output ?? '', /granular approval policy turns these questions off \(sandbox_approval = false\)/);
    const context = JSON.stringify(fixture.model.requests[0]!.body.input);
    assert.match(context, /Approval policy: granular/);
  });

  it('reads a granular policy from config.toml, and requirements treat it as on-request', async () => {
    await fixture.boot({ extraConfig: 'approval_policy = { granular = { sandbox_approval = true, rules = false, mcp_elicitations = false } }' });
    const started = await fixture.server.client.request('thread/start', { cwd: fixture.temp.workspace });
    assert.deepEqual(started.result.approvalPolicy, { granular: { sandbox_approval: true, rules: false, mcp_elicitations: false, request_permissions: false, skill_approval: false } });
    fs.writeFileSync(path.join(fixture.temp.home, 'requirements.toml'), 'allowed_approval_policies = ["untrusted"]\n');
    const refused = await fixture.server.client.request('thread/start', { cwd: fixture.temp.workspace, approvalPolicy: QUIET });
    assert.match(refused.error?.message ?? '', /approval policy granular \(an on-request policy\) is not allowed by requirements\.toml; allowed: untrusted/);
  });

  it('the automatic reviewer is taken everywhere a client can ask for it, and never widens what the policy allows', async () => {
    await fixture.boot();
    const start = await fixture.server.client.request('thread/start', { cwd: fixture.temp.workspace, approvalPolicy: QUIET, sandbox: 'workspace-write', approvalsReviewer: 'auto_review' });
    assert.equal(start.result.approvalsReviewer, 'auto_review');
    const threadId = start.result.thread.id;
    // A question the granular policy switches off is refused before any reviewer could approve it.
    fixture.model.enqueue(toolCallReply('exec_command', { cmd: 'touch escalated.txt', sandbox_permissions: 'require_escalated', justification: 'needs it' }, 'e1'), textReply('ok'));
    await runTurn(fixture.server.client, threadId, 'escalate');
    assert.ok(!fs.existsSync(path.join(fixture.temp.workspace, 'escalated.txt')));
    assert.equal(fixture.server.client.received.filter((m) => m.method === 'item/autoApprovalReview/started').length, 0, 'nothing reviewed');
    assert.equal(fixture.model.requests.length, 2, 'no review request');
    // The legacy name is the same reviewer; under `untrusted` the question goes to the user, as in codex.
    fixture.model.enqueue(toolCallReply('exec_command', { cmd: 'touch asked.txt' }, 'u1'), textReply('ok'));
    const turn = await fixture.server.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'x' }], approvalPolicy: 'untrusted', approvalsReviewer: 'guardian_subagent' });
    assert.equal(turn.error, undefined);
    const asked = await fixture.server.client.waitFor((m) => m.method === 'item/commandExecution/requestApproval');
    fixture.server.client.send({ id: asked.id, result: { decision: 'decline' } });
    await fixture.server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === turn.result.turn.id);
    assert.equal(fixture.server.client.received.filter((m) => m.method === 'item/autoApprovalReview/started').length, 0, 'untrusted is not reviewed');
  });
});
