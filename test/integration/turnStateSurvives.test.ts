// What a client shows besides the items — the plan, the token usage, the turn's diff — comes back when the
// thread is resumed by a new server, as it was recorded.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { patchOf, textReply, toolCallReply, usage } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn, startThread } from '../support/session';

describe('integration: turn state survives a restart', function () {
  this.timeout(40_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it('re-sends the latest plan, the last turn’s diff and the token usage to a client that resumes', async () => {
    const { model, temp, server } = await fixture.boot();
    fs.writeFileSync(path.join(temp.workspace, 'a.txt'), 'one\n');
    const plan = [
      { step: 'read', status: 'completed' },
      { step: 'edit', status: 'in_progress' },
    ];
    model.enqueue(
      toolCallReply('update_plan', { explanation: 'two steps', plan }, 'call-plan'),
      toolCallReply('apply_patch', { input: patchOf('*** Update File: a.txt', '@@', '-one', '+two') }, 'call-patch'),
      textReply('edited', { tokens: usage(120, 30) }),
    );
    const threadId = await startThread(server.client, { cwd: temp.workspace, approvalPolicy: 'never', sandbox: 'workspace-write' });
    const done = await runTurn(server.client, threadId, 'edit a.txt');
    const turnId = done.params.turn.id as string;
    const liveDiff = server.client.notifications('turn/diff/updated').at(-1)!.params.diff as string;
    assert.match(liveDiff, /\+two/);

    const again = await fixture.restart({ name: 'came_back' });
    await again.client.request('thread/resume', { threadId });
    const planned = await again.client.waitFor((m) => m.method === 'turn/plan/updated');
    assert.deepEqual(planned.params, {
      threadId,
      turnId,
      explanation: 'two steps',
      plan: [
        { step: 'read', status: 'completed' },
        { step: 'edit', status: 'inProgress' },
      ],
    });
    const diff = await again.client.waitFor((m) => m.method === 'turn/diff/updated');
    assert.deepEqual(diff.params, { threadId, turnId, diff: liveDiff });
    const tokens = await again.client.waitFor((m) => m.method === 'thread/tokenUsage/updated');
    assert.ok(tokens.params.tokenUsage.total.totalTokens >= 150);
  });
});
