// Every agent change of a turn can be undone through Tandem's `tandem/checkpoint/*` methods: a turn that
// patches or runs a command that may write records a checkpoint before its first change and what it
// changed by the time it completes; a restore puts the files back (conflicts left alone unless named) and
// is itself undoable; a turn that only reads records nothing.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { patchOf, textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import type { ScriptedClient, WireMessage } from '../support/protocolClient';
import { runTurn, startThread } from '../support/session';

type Checkpoint = { turnId: string; kind: string; files: Array<{ path: string; status: string; additions: number; deletions: number; binary: boolean }>; finished: boolean; restoredTurnId: string | null };

describe('integration: checkpoints through tandem/checkpoint/*', function () {
  this.timeout(60_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  async function call(client: ScriptedClient, method: string, params: unknown) {
    const response = await client.request(method, params);
    if (response.error) throw new Error(`${method}: ${response.error.message}`);
    return response.result;
  }
  const list = async (client: ScriptedClient, threadId: string): Promise<Checkpoint[]> => (await call(client, 'tandem/checkpoint/list', { threadId })).data;
  const turnIdOf = (done: WireMessage): string => done.params.turn.id;

  it('undoes a turn of patches, and undoes the undo', async () => {
    const { model, temp, server } = await fixture.boot();
    const file = (name: string) => path.join(temp.workspace, name);
    fs.writeFileSync(file('notes.txt'), 'alpha\nbeta\n');
    fs.writeFileSync(file('old.txt'), 'to be deleted\n');
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(
      toolCallReply('apply_patch', { input: patchOf('*** Update File: notes.txt', '@@', ' alpha', '-beta', '+gamma', '+delta', '*** Add File: new.txt', '+fresh', '*** Delete File: old.txt') }, 'p1'),
      textReply('patched'),
    );
    const done = await runTurn(server.client, threadId, 'patch it');
    const turnId = turnIdOf(done);
    assert.equal(fs.readFileSync(file('notes.txt'), 'utf8'), 'alpha\ngamma\ndelta\n');

    const [checkpoint] = await list(server.client, threadId);
    assert.equal(checkpoint!.turnId, turnId);
    assert.equal(checkpoint!.finished, true, 'finished by the time a client reads it');
    assert.deepEqual(
      checkpoint!.files.map((f) => [f.path, f.status, f.additions, f.deletions]).sort(),
      [
        ['new.txt', 'added', 1, 0],
        ['notes.txt', 'modified', 2, 1],
        ['old.txt', 'deleted', 0, 1],
      ],
    );
    const { plan } = await call(server.client, 'tandem/checkpoint/restorePlan', { threadId, turnId });
    assert.deepEqual([plan.write, plan.recreate, plan.delete, plan.conflicts], [['notes.txt'], ['old.txt'], ['new.txt'], []]);
    const before = await call(server.client, 'tandem/checkpoint/readFile', { threadId, turnId, path: 'notes.txt', side: 'before' });
    assert.equal(Buffer.from(before.contentBase64, 'base64').toString(), 'alpha\nbeta\n');
    assert.equal((await call(server.client, 'tandem/checkpoint/readFile', { threadId, turnId, path: 'new.txt', side: 'before' })).contentBase64, null);

    const restored = await call(server.client, 'tandem/checkpoint/restore', { threadId, turnId });
    assert.deepEqual(restored.restored.sort(), ['new.txt', 'notes.txt', 'old.txt']);
    assert.equal(fs.readFileSync(file('notes.txt'), 'utf8'), 'alpha\nbeta\n');
    assert.equal(fs.readFileSync(file('old.txt'), 'utf8'), 'to be deleted\n');
    assert.equal(fs.existsSync(file('new.txt')), false);
    assert.equal(restored.undo.kind, 'restore');
    assert.equal(restored.undo.restoredTurnId, turnId);

    // The restore is a checkpoint of its own: restoring it gives back what the turn left.
    await call(server.client, 'tandem/checkpoint/restore', { threadId, turnId: restored.undo.turnId });
    assert.equal(fs.readFileSync(file('notes.txt'), 'utf8'), 'alpha\ngamma\ndelta\n');
    assert.equal(fs.existsSync(file('new.txt')), true);
    assert.equal(fs.existsSync(file('old.txt')), false);

    // A deleted thread takes its checkpoints with it.
    const record = path.join(temp.home, 'checkpoints', 'threads', `${threadId}.json`);
    assert.equal(fs.existsSync(record), true);
    await call(server.client, 'thread/delete', { threadId });
    assert.equal(fs.existsSync(record), false);
  });

  it('undoes what commands did, leaves a file the user changed since alone unless told, and records nothing for a turn that only reads', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "never"\nsandbox_mode = "danger-full-access"' });
    const file = (name: string) => path.join(temp.workspace, name);
    fs.writeFileSync(file('keep.txt'), 'kept\n');
    fs.writeFileSync(file('run.sh'), 'echo hi\n');
    fs.writeFileSync(file('rename-me.txt'), 'moving\n');
    fs.writeFileSync(file('.gitignore'), 'build/\n');
    const threadId = await startThread(server.client, { cwd: temp.workspace });

    model.enqueue(toolCallReply('exec_command', { cmd: 'cat keep.txt' }, 'r1'), textReply('read it'));
    await runTurn(server.client, threadId, 'read only');
    assert.deepEqual(await list(server.client, threadId), [], 'a turn that only reads records nothing');

    model.enqueue(
      toolCallReply('exec_command', { cmd: 'echo made > made.txt && rm keep.txt && chmod +x run.sh && mv rename-me.txt renamed.txt && mkdir -p build && echo out > build/out.txt' }, 'c1'),
      textReply('changed things'),
    );
    const turnId = turnIdOf(await runTurn(server.client, threadId, 'change things'));
    const [checkpoint] = await list(server.client, threadId);
    assert.deepEqual(checkpoint!.files.map((f) => [f.path, f.status]).sort(), [
      ['keep.txt', 'deleted'],
      ['made.txt', 'added'],
      ['renamed.txt', 'renamed'],
      ['run.sh', 'modified'],
    ]);

    // The user edits a file the turn made before asking to undo it.
    fs.writeFileSync(file('made.txt'), 'the user wrote this\n');
    const { plan } = await call(server.client, 'tandem/checkpoint/restorePlan', { threadId, turnId });
    assert.deepEqual(plan.conflicts, [{ path: 'made.txt', action: 'delete', now: 'modified' }]);
    const first = await call(server.client, 'tandem/checkpoint/restore', { threadId, turnId });
    assert.deepEqual(first.conflicts.map((c: { path: string }) => c.path), ['made.txt']);
    assert.equal(fs.readFileSync(file('made.txt'), 'utf8'), 'the user wrote this\n', 'never overwritten silently');
    assert.equal(fs.readFileSync(file('keep.txt'), 'utf8'), 'kept\n');
    assert.equal(fs.existsSync(file('renamed.txt')), false);
    assert.equal(fs.readFileSync(file('rename-me.txt'), 'utf8'), 'moving\n');
    assert.equal(fs.statSync(file('run.sh')).mode & 0o111, 0, 'the executable bit is gone again');
    assert.equal(fs.readFileSync(file('build/out.txt'), 'utf8'), 'out\n', 'gitignored files are left alone');

    const second = await call(server.client, 'tandem/checkpoint/restore', { threadId, turnId, overwrite: ['made.txt'] });
    assert.deepEqual(second.restored, ['made.txt']);
    assert.equal(fs.existsSync(file('made.txt')), false);
  });

  it('refuses to restore while a turn runs in the same folder, in this thread or another', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "never"\nsandbox_mode = "danger-full-access"' });
    const first = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('apply_patch', { input: patchOf('*** Add File: one.txt', '+one') }, 'p1'), textReply('added'));
    const turnId = turnIdOf(await runTurn(server.client, first, 'add one'));
    const second = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('exec_command', { cmd: 'sleep 2; echo slept > slept.txt', yield_time_ms: 10_000 }, 's1'), textReply('slept'));
    const running = await server.client.request('turn/start', { threadId: second, input: [{ type: 'text', text: 'sleep' }] });
    await server.client.waitFor((m) => m.method === 'item/started' && m.params.item.id === 's1');
    const refused = await server.client.request('tandem/checkpoint/restore', { threadId: first, turnId });
    assert.equal(refused.error?.code, -32600);
    assert.match(refused.error!.message, new RegExp(`thread ${second} has a turn running in`));
    assert.equal(fs.existsSync(path.join(temp.workspace, 'one.txt')), true, 'nothing restored');
    await server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === running.result.turn.id, 20_000);
    await call(server.client, 'tandem/checkpoint/restore', { threadId: first, turnId });
    assert.equal(fs.existsSync(path.join(temp.workspace, 'one.txt')), false, 'restored once the other turn ended');
  });

  it('refuses clearly: an unknown thread or turn, a bad path', async () => {
    const { temp, server } = await fixture.boot();
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const unknownTurn = await server.client.request('tandem/checkpoint/restore', { threadId, turnId: 'nope' });
    assert.equal(unknownTurn.error?.code, -32600);
    assert.match(unknownTurn.error!.message, /no checkpoint for turn nope/);
    const unknownThread = await server.client.request('tandem/checkpoint/list', { threadId: '00000000-0000-7000-8000-000000000000' });
    assert.equal(unknownThread.error?.code, -32600);
    const badParams = await server.client.request('tandem/checkpoint/readFile', { threadId, turnId: 't', path: '', side: 'sideways' });
    assert.equal(badParams.error?.code, -32600);
  });
});
