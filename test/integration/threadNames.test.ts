// Renaming a thread the client does not watch (not loaded, or loaded by someone else) still tells the
// client that renamed it, as codex does; watchers hear it once. thread/list's search matches names too.
import { strict as assert } from 'node:assert';
import { textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn, startThread } from '../support/session';

describe('integration: thread names', function () {
  this.timeout(40_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it('sends thread/name/updated to a client that renames a thread that is not loaded', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(textReply('hello'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, threadId, 'hi');

    const again = await fixture.restart({ name: 'renamer' });
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

  it('finds a thread by its name as well as by its first message, after a restart too', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(textReply('one'), textReply('two'));
    const named = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, named, 'write the README');
    await server.client.request('thread/name/set', { threadId: named, name: 'Docs work' });
    await runTurn(server.client, await startThread(server.client, { cwd: temp.workspace }), 'fix the login bug');
    const again = await fixture.restart();
    const found = async (searchTerm: string) => ((await again.client.request('thread/list', { searchTerm })).result.data as Array<{ id: string }>).map((t) => t.id);
    assert.deepEqual(await found('Docs'), [named], 'by name');
    assert.deepEqual(await found('README'), [named], 'by first message, named or not');
    assert.deepEqual(await found('docs'), [], 'case-sensitive, as in codex');
    assert.equal((await found('the')).length, 2);
  });
});
