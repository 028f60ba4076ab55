// The snapshot a turn takes while the model is still writing its patch: it stands for the workspace before
// the turn, files the patch names are added to it, and a turn that changes nothing keeps no checkpoint.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CheckpointStore } from '../../src/core/checkpoints/checkpointStore';
import { read, state, write } from '../support/workspaceFiles';

const THREAD = 'thread-1';

describe('integration: checkpoints taken ahead of a patch', function () {
  this.timeout(60_000);
  let root: string;
  let ws: string;
  let store: CheckpointStore;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-checkpoints-prepared-'));
    ws = path.join(root, 'ws');
    fs.mkdirSync(ws);
    store = new CheckpointStore(path.join(root, 'home'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('restores tracked, gitignored and new files to before the turn', async () => {
    write(ws, '.gitignore', '*.env\n');
    write(ws, 'app.ts', 'one\n');
    write(ws, 'secret.env', 'TOKEN=1\n');
    const initial = state(ws);

    await store.prepare(THREAD, 'turn-1', ws);
    // Made while the patch was on its way: the turn's, as an edit during a turn is.
    write(ws, 'meanwhile.txt', 'x\n');
    await store.recordFiles(THREAD, 'turn-1', ws, [path.join(ws, 'app.ts'), path.join(ws, 'secret.env'), path.join(ws, 'new.ts')]);
    write(ws, 'app.ts', 'two\n');
    write(ws, 'secret.env', 'TOKEN=2\n');
    write(ws, 'new.ts', 'export {};\n');
    const finished = await store.finish(THREAD, 'turn-1');
    assert.deepEqual(
      finished?.files.map((f) => [f.path, f.status]).sort(),
      [['app.ts', 'modified'], ['meanwhile.txt', 'added'], ['new.ts', 'added'], ['secret.env', 'modified']],
      'the snapshot taken ahead is where the turn starts',
    );

    await store.restore(THREAD, 'turn-1');
    assert.deepEqual(state(ws), initial);
    assert.equal(read(ws, 'secret.env'), 'TOKEN=1\n', 'the ignored file the patch named came back too');
  });

  it('keeps no checkpoint for a turn whose patch never came', async () => {
    write(ws, 'a.txt', 'a\n');
    store.prepare(THREAD, 'turn-1', ws);
    store.discardPrepared(THREAD, 'turn-1');
    assert.deepEqual(await store.list(THREAD), []);
    // The next turn records as usual.
    await store.recordFiles(THREAD, 'turn-2', ws, [path.join(ws, 'a.txt')]);
    write(ws, 'a.txt', 'b\n');
    await store.finish(THREAD, 'turn-2');
    assert.deepEqual((await store.list(THREAD)).map((c) => c.turnId), ['turn-2']);
  });

  it('waits for the previous turn to be recorded, so that turn keeps its own changes', async () => {
    write(ws, 'a.txt', 'a\n');
    await store.recordFiles(THREAD, 'turn-1', ws, [path.join(ws, 'a.txt')]);
    write(ws, 'a.txt', 'after turn 1\n');
    store.finishLater(THREAD, 'turn-1', ws, (error) => assert.fail(String(error)));
    store.prepare(THREAD, 'turn-2', ws);
    await store.recordFiles(THREAD, 'turn-2', ws, [path.join(ws, 'a.txt')]);
    write(ws, 'a.txt', 'after turn 2\n');
    await store.finish(THREAD, 'turn-2');

    const [first, second] = await store.list(THREAD);
    assert.equal(first!.after, second!.before, "turn 2 starts where turn 1 ended");
    assert.deepEqual(first!.files.map((f) => f.path), ['a.txt']);
    await store.restore(THREAD, 'turn-2');
    assert.equal(read(ws, 'a.txt'), 'after turn 1\n');
  });
});
