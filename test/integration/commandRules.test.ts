// Command rules over a spawned server: "don't ask again for commands that start with …" saves a rule that
// holds now and after a restart; rules the user wrote allow, prompt or forbid.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn, startThread } from '../support/session';

describe('integration: command rules', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  const approvals = () => fixture.server.client.received.filter((m) => m.method === 'item/commandExecution/requestApproval');
  const outputOf = (callId: string) =>
    fixture.model.requests
      .flatMap((r) => (r.body.input ?? []) as Array<{ type: string; call_id?: string; output?: string }>)
      .find((i) => i.type === 'function_call_output' && i.call_id === callId)?.output ?? '';

  it('saves an accepted prefix as codex does; the model hears of it and it holds after a restart', async () => {
    await fixture.boot({ extraConfig: 'approval_policy = "untrusted"' });
    const threadId = await startThread(fixture.server.client, { cwd: fixture.temp.workspace });
    fixture.model.enqueue(toolCallReply('exec_command', { cmd: 'touch first.txt && touch second.txt' }, 'c1'), textReply('ok'));
    const asked = fixture.server.client.answerNext('item/commandExecution/requestApproval', {
      decision: { acceptWithExecpolicyAmendment: { execpolicy_amendment: ['touch', 'first.txt'] } },
    });
    await runTurn(fixture.server.client, threadId, 'make them');
    const request = await asked;
    assert.deepEqual(request.params.proposedExecpolicyAmendment, ['touch', 'first.txt']);
    assert.deepEqual(request.params.availableDecisions, ['accept', { acceptWithExecpolicyAmendment: { execpolicy_amendment: ['touch', 'first.txt'] } }, 'cancel']);
    assert.ok(fs.existsSync(path.join(fixture.temp.workspace, 'second.txt')), 'the command ran');
    const rules = path.join(fixture.temp.home, 'rules', 'default.rules');
    assert.equal(fs.readFileSync(rules, 'utf8'), 'prefix_rule(pattern=["touch", "first.txt"], decision="allow")\n');
    const lastInput = fixture.model.requests.at(-1)!.body.input as Array<{ role?: string; content?: Array<{ text?: string }> }>;
    assert.ok(lastInput.some((i) => i.role === 'developer' && i.content?.[0]?.text === 'Approved command prefix saved:\n- ["touch", "first.txt"]'));

    // Later, and after a restart: a command with that prefix runs without asking; another still asks.
    await fixture.restart();
    await fixture.server.client.request('thread/resume', { threadId });
    fixture.model.enqueue(toolCallReply('exec_command', { cmd: 'touch first.txt -c' }, 'c2'), textReply('ok'));
    await runTurn(fixture.server.client, threadId, 'again');
    assert.equal(approvals().length, 0, 'not asked');
    assert.match(outputOf('c2'), /Process exited with code 0|exit code 0/i);
    fixture.model.enqueue(toolCallReply('exec_command', { cmd: 'touch other.txt' }, 'c3'), textReply('ok'));
    const other = fixture.server.client.answerNext('item/commandExecution/requestApproval', { decision: 'decline' });
    await runTurn(fixture.server.client, threadId, 'something else');
    await other;
    assert.ok(!fs.existsSync(path.join(fixture.temp.workspace, 'other.txt')));
  });

  it('refuses a prefix the client widened: only the proposed one can be saved', async () => {
    await fixture.boot({ extraConfig: 'approval_policy = "untrusted"' });
    const threadId = await startThread(fixture.server.client, { cwd: fixture.temp.workspace });
    fixture.model.enqueue(toolCallReply('exec_command', { cmd: 'touch widened.txt' }, 'c1'), textReply('ok'));
    const asked = fixture.server.client.answerNext('item/commandExecution/requestApproval', { decision: { acceptWithExecpolicyAmendment: { execpolicy_amendment: ['touch'] } } });
    await runTurn(fixture.server.client, threadId, 'touch it');
    await asked;
    assert.ok(fs.existsSync(path.join(fixture.temp.workspace, 'widened.txt')), 'an amendment answer still accepts the command');
    assert.ok(!fs.existsSync(path.join(fixture.temp.home, 'rules', 'default.rules')), 'but saves no rule it did not propose');
  });

  it("applies the user's own rules: forbidden never runs, prompt asks where the policy would not, an unreadable line is reported", async () => {
    await fixture.start({ extraConfig: 'approval_policy = "on-request"' });
    fs.mkdirSync(path.join(fixture.temp.home, 'rules'), { recursive: true });
    fs.writeFileSync(
      path.join(fixture.temp.home, 'rules', 'team.rules'),
      ['# team rules', 'prefix_rule(pattern=["touch", "forbidden.txt"], decision="forbidden")', 'prefix_rule(pattern=["touch", ["asked.txt", "asked2.txt"]], decision="prompt")', 'not_a_rule()'].join('\n'),
    );
    await fixture.spawn();
    const threadId = await startThread(fixture.server.client, { cwd: fixture.temp.workspace });

    fixture.model.enqueue(toolCallReply('exec_command', { cmd: 'touch forbidden.txt' }, 'f1'), textReply('ok'));
    await runTurn(fixture.server.client, threadId, 'forbidden');
    assert.ok(!fs.existsSync(path.join(fixture.temp.workspace, 'forbidden.txt')));
    assert.match(outputOf('f1'), /a command rule forbids it \(team\.rules:2\)/);
    assert.equal(approvals().length, 0);

    fixture.model.enqueue(toolCallReply('exec_command', { cmd: 'touch asked2.txt' }, 'p1'), textReply('ok'));
    const prompted = fixture.server.client.answerNext('item/commandExecution/requestApproval', { decision: 'accept' });
    await runTurn(fixture.server.client, threadId, 'prompted');
    assert.match((await prompted).params.reason, /A command rule asks for approval \(team\.rules:3\)/);
    assert.ok(fs.existsSync(path.join(fixture.temp.workspace, 'asked2.txt')));
    assert.match(fixture.server.stderr(), /a command rule was not read.*team\.rules:4/);
  });
});
