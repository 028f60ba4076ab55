// Renaming a thread the client does not watch (not loaded, or loaded by someone else) still tells the
// client that renamed it, as codex does; watchers hear it once.
import { strict as assert } from 'node:assert';
import { textReply } from '../support/fakeModel';
import { spawnStdioServer } from '../support/protocolClient';
import { runTurn, startThread } from '../support/session';
import { ToolSession } from '../support/toolSession';

describe('integration: thread names', function () {
  this.timeout(40_000);
  let session: ToolSession;
  afterEach(async () => session?.close());

  it('sends thread/name/updated to a client that renames a thread that is not loaded', async () => {
    session = await new ToolSession().boot();
    session.model.enqueue(textReply('hello'));
    const threadId = await startThread(session.server.client, { cwd: session.temp.workspace });
    await runTurn(session.server.client, threadId, 'hi');
    await session.server.close();

    const again = spawnStdioServer({ env: session.temp.env });
    session.server = again;
    await again.client.initialize('renamer');
    const renamed = await again.client.request('thread/name/set', { threadId, name: 'Named while unloaded' });
    assert.deepEqual(renamed.result, {});
    const updated = await again.client.waitFor((m) => m.method === 'thread/name/updated');
    assert.deepEqual(updated.params, { threadId, threadName: 'Named while unloaded' });
    await again.client.request('thread/name/set', { threadId, name: 'Again' });
    await again.client.waitFor((m) => m.method === 'thread/name/updated' && m.params.threadName === 'Again');
    assert.equal(again.client.notifications('thread/name/updated').length, 2, 'one notification per rename');
    const read = await again.client.request('thread/read', { threadId });
    assert.equal(read.result.thread.name, 'Again');
  });
});
