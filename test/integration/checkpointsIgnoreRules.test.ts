// A restore never loses a file the snapshots could not see: a turn that starts ignoring a file (it is then
// out of "after" and of the workspace's snapshot now), a turn that stops ignoring one that was there all
// along (a .env), and a turn whose end was never recorded — each leaves the file alone and says so, unless
// the user names it.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CheckpointStore } from '../../src/core/checkpoints/checkpointStore';

const THREAD = 'thread-ignore';

describe('integration: checkpoints and ignore rules', function () {
  this.timeout(60_000);
  let root: string;
  let ws: string;
  let store: CheckpointStore;
  const file = (rel: string) => path.join(ws, rel);
  const write = (rel: string, content: string) => fs.writeFileSync(file(rel), content);
  const read = (rel: string) => (fs.existsSync(file(rel)) ? fs.readFileSync(file(rel), 'utf8') : null);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-ckpt-ignore-'));
    ws = path.join(root, 'ws');
    fs.mkdirSync(ws);
    store = new CheckpointStore(path.join(root, 'home'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('leaves a file the turn started ignoring, and the user edited since, as a conflict', async () => {
    write('notes.txt', 'original\n');
    await store.begin(THREAD, 't1', ws);
    write('.gitignore', 'notes.txt\n');
    await store.finish(THREAD, 't1');
    write('notes.txt', 'the user wrote this after the turn\n');

    const plan = await store.planRestore(THREAD, 't1');
    assert.deepEqual(plan.conflicts, [{ path: 'notes.txt', action: 'recreate', now: 'unverifiable' }]);
    const { result } = await store.restore(THREAD, 't1');
    assert.equal(read('notes.txt'), 'the user wrote this after the turn\n', 'never overwritten unasked');
    assert.equal(read('.gitignore'), null, 'the turn itself is undone');
    assert.deepEqual(result.conflicts.map((c) => c.path), ['notes.txt']);
  });

  it('keeps a file that was ignored before the turn when the turn stopped ignoring it', async () => {
    write('.gitignore', '.env\n');
    write('.env', 'SECRET=1\n');
    await store.begin(THREAD, 't1', ws);
    write('.gitignore', '');
    write('made.txt', 'made by the turn\n');
    await store.finish(THREAD, 't1');

    const { result } = await store.restore(THREAD, 't1');
    assert.equal(read('.env'), 'SECRET=1\n', 'ignored again once .gitignore is back: it stays');
    assert.equal(read('.gitignore'), '.env\n');
    assert.equal(read('made.txt'), null, 'what the turn made is gone');
    assert.deepEqual(result.conflicts, [{ path: '.env', action: 'delete', now: 'unverifiable' }]);

    // Named, it goes (the user says it is the turn's).
    await store.restore(THREAD, `restore:t1:1`);
    assert.equal(read('made.txt'), 'made by the turn\n', 'the restore undone');
    const again = await store.restore(THREAD, 't1', { overwrite: ['.env'] });
    assert.equal(read('.env'), null);
    assert.ok(again.result.restored.includes('.env'));
  });

  it('starts a fresh list when the checkpoint file of a thread is unreadable, keeping it aside', async () => {
    const threads = path.join(root, 'home', 'checkpoints', 'threads');
    fs.mkdirSync(threads, { recursive: true });
    fs.writeFileSync(path.join(threads, `${THREAD}.json`), '{"version":1,"checkpoi');
    assert.deepEqual(await store.list(THREAD), []);
    write('a.txt', 'x\n');
    await store.begin(THREAD, 't1', ws);
    assert.equal((await store.list(THREAD)).length, 1);
    assert.ok(fs.readdirSync(threads).some((name) => name.startsWith(`${THREAD}.json.unreadable-`)));
  });

  it('reads a link of a turn not finished as the link, never what it points to', async () => {
    fs.writeFileSync(path.join(root, 'outside.txt'), 'secret\n');
    await store.begin(THREAD, 't1', ws);
    fs.symlinkSync(path.join(root, 'outside.txt'), file('link'));
    const now = await store.readFile(THREAD, 't1', 'link', 'after');
    assert.equal(now?.toString(), path.join(root, 'outside.txt'));
  });

  it('snapshots what is there when another process staged the same workspace in between', async () => {
    write('a.txt', 'one\n');
    await store.begin(THREAD, 't1', ws);
    await store.finish(THREAD, 't1');
    // A second Tandem on the same home (the command beside the extension) records a change first.
    const other = new CheckpointStore(path.join(root, 'home'));
    write('b.txt', 'made meanwhile\n');
    await other.begin('thread-other', 'o1', ws);
    // This one sees nothing new since that staging; its own memory of the last tree is stale and must not be used.
    await store.begin(THREAD, 't2', ws);
    write('a.txt', 'two\n');
    await store.finish(THREAD, 't2');
    const [, second] = await store.list(THREAD);
    assert.deepEqual(second!.files.map((f) => [f.path, f.status]), [['a.txt', 'modified']], 'b.txt was there before t2 began');
  });

  it('asks about every file of a turn whose end was never recorded', async () => {
    write('a.txt', 'before\n');
    await store.begin(THREAD, 't1', ws);
    write('a.txt', 'by the turn, or by the user?\n');
    write('b.txt', 'new\n');
    // No finish: the process stopped before the turn's end was recorded.
    const plan = await store.planRestore(THREAD, 't1');
    assert.deepEqual(plan.write, []);
    assert.deepEqual(plan.delete, []);
    assert.deepEqual(plan.conflicts.map((c) => [c.path, c.now]).sort(), [
      ['a.txt', 'unverifiable'],
      ['b.txt', 'unverifiable'],
    ]);
    await store.restore(THREAD, 't1');
    assert.equal(read('a.txt'), 'by the turn, or by the user?\n');
    await store.restore(THREAD, 't1', { overwrite: ['a.txt', 'b.txt'] });
    assert.equal(read('a.txt'), 'before\n');
    assert.equal(read('b.txt'), null);
  });
});
