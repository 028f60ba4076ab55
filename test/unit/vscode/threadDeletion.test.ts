// Deleting a thread from the history, against a fake vscode module: the host names the thread from the
// server, asks with a modal, deletes only on *Delete*, and lets the chat's remembered thread go with it.
import { strict as assert } from 'node:assert';
import { withFakeVscode, type FakeVscode } from '../../support/fakeVscodeModules';
import { RpcError } from '../../../src/protocol';

type Fake = FakeVscode;
type Deletion = typeof import('../../../src/vscode/threadDeletion');

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('vscode/threadDeletion (fake vscode module)', () => {
  let fake: Fake;
  let deletion: Deletion;

  const modules = withFakeVscode();
  before(() => {
    fake = modules.fake();
    deletion = modules.load<Deletion>('src/vscode/threadDeletion');
  });
  beforeEach(() => {
    fake.warnings.length = 0;
  });

  function setup(thread: { name: string | null; preview: string } = { name: 'Docs work', preview: 'write the README' }, failDelete = false) {
    const calls: Array<[string, unknown]> = [];
    let active: string | null = 'thr-1';
    const client = {
      request: async (method: string, params?: unknown) => {
        calls.push([method, params]);
        if (method === 'thread/read') return { thread, readState: null };
        if (failDelete) throw new RpcError(-32600, 'thread thr-1 has a turn running; interrupt it before deleting');
        return {};
      },
    };
    const host = { activeThreadId: () => active, setActiveThread: (id: string | null) => (active = id) };
    return { client, host, calls, active: () => active };
  }

  it('asks with a modal naming the thread as the server knows it, then deletes and forgets the shown thread', async () => {
    const { client, host, calls, active } = setup();
    const outcome = deletion.deleteThreadAfterAsking(client, 'thr-1', host);
    await settled();
    assert.equal(fake.warnings.length, 1);
    const [warning] = fake.warnings;
    assert.equal(warning!.modal, true);
    assert.equal(warning!.message, 'Delete the thread “Docs work”?');
    assert.match(warning!.detail ?? '', /cannot be undone/);
    assert.deepEqual(warning!.items, ['Delete']);
    assert.deepEqual(calls, [['thread/read', { threadId: 'thr-1' }]], 'nothing is deleted before the answer');
    warning!.answer('Delete');
    assert.deepEqual(await outcome, { deleted: true });
    assert.deepEqual(calls.at(-1), ['thread/delete', { threadId: 'thr-1' }]);
    assert.equal(active(), null, 'a reload does not try to reopen it');
  });

  it('deletes nothing when the dialog is dismissed', async () => {
    const { client, host, calls, active } = setup();
    const outcome = deletion.deleteThreadAfterAsking(client, 'thr-1', host);
    await settled();
    fake.warnings[0]!.answer(undefined);
    assert.deepEqual(await outcome, { deleted: false });
    assert.deepEqual(calls.map(([method]) => method), ['thread/read']);
    assert.equal(active(), 'thr-1');
  });

  it('leaves the shown thread alone when another one is deleted', async () => {
    const { client, host, active } = setup();
    const outcome = deletion.deleteThreadAfterAsking(client, 'thr-2', host);
    await settled();
    fake.warnings[0]!.answer('Delete');
    assert.deepEqual(await outcome, { deleted: true });
    assert.equal(active(), 'thr-1');
  });

  it('passes the server’s refusal on as an error, and keeps the shown thread', async () => {
    const { client, host, active } = setup(undefined, true);
    const outcome = deletion.deleteThreadAfterAsking(client, 'thr-1', host);
    await settled();
    fake.warnings[0]!.answer('Delete');
    await assert.rejects(outcome, /has a turn running/);
    assert.equal(active(), 'thr-1');
  });

  it('asks nothing about a thread the server cannot read', async () => {
    const client = { request: async () => Promise.reject(new RpcError(-32600, 'thread not found: gone')) };
    await assert.rejects(deletion.deleteThreadAfterAsking(client, 'gone', { activeThreadId: () => null, setActiveThread: () => undefined }), /thread not found: gone/);
    assert.equal(fake.warnings.length, 0);
  });

  it('names an unnamed thread by its first message, on one line and cut short', () => {
    assert.equal(deletion.threadLabel(null, '  fix\nthe   bug '), 'fix the bug');
    assert.equal(deletion.threadLabel('  ', ''), 'Untitled thread');
    const long = deletion.threadLabel(null, 'x'.repeat(500));
    assert.equal(long.length, 80);
    assert.ok(long.endsWith('…'));
  });
});
