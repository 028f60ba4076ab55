// What the log records of a turn against the fake model: each model request with its id, model, status
// and timing, the retry after a failed request, the tool call, the approval and its decision — and no
// content (the prompt, the reply, the command) unless the level is debug.
import { strict as assert } from 'node:assert';
import { textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { startThread } from '../support/session';

const PROMPT = 'please list the secret-plans folder';
const REPLY = 'here are the plans';

describe('integration: logging', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  async function turnWithRetryAndApproval(level: string): Promise<string[]> {
    await fixture.boot({ env: { TANDEM_LOG: level }, extraConfig: 'approval_policy = "untrusted"' });
    const { model, server } = fixture;
    model.enqueue(
      { status: 500, body: { error: { message: 'upstream hiccup' } } },
      toolCallReply('exec_command', { cmd: 'touch secret-plans.txt' }, 'call-1'),
      textReply(REPLY),
    );
    const threadId = await startThread(server.client, { cwd: fixture.temp.workspace });
    await server.client.request('turn/start', { threadId, input: [{ type: 'text', text: PROMPT }] });
    await server.client.answerNext('item/commandExecution/requestApproval', { decision: 'accept' });
    await server.client.waitFor((m) => m.method === 'turn/completed');
    return server.stderr().split('\n');
  }

  it('records requests, the retry, the tool call and the approval at info, without content', async () => {
    const lines = await turnWithRetryAndApproval('info');
    const requests = lines.filter((l) => / model request requestId=/.test(l));
    assert.equal(requests.length, 3, requests.join('\n'));
    assert.match(requests[0]!, /WARN .*requestId="req-\d+".*model="test-model".*status=500 ms=\d+/);
    assert.match(requests[1]!, /INFO .*status=200/);
    assert.ok(lines.some((l) => /WARN .*retrying the model request \(request\).*attempt=1 .*status=500/.test(l)));
    assert.ok(lines.some((l) => /model response completed requestId="req-\d+".*ms=\d+/.test(l)));
    assert.ok(lines.some((l) => /INFO .*tool call .*tool="exec_command" callId="call-1" ms=\d+/.test(l)));
    assert.ok(lines.some((l) => /waiting on the client method="item\/commandExecution\/requestApproval"/.test(l)));
    assert.ok(lines.some((l) => /the client answered .*decision="accept"/.test(l)));
    const all = lines.join('\n');
    for (const content of [PROMPT, REPLY, 'touch secret-plans.txt']) assert.ok(!all.includes(content), `no "${content}" at info`);
  });

  it('adds the content at debug', async () => {
    const all = (await turnWithRetryAndApproval('debug')).join('\n');
    assert.match(all, /DEBUG model request body .*please list the secret-plans folder/);
    assert.match(all, /DEBUG tool call arguments .*touch secret-plans/);
  });
});
