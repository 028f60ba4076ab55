import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { reconcileIndex } from '../../../../src/core/rollout/indexReconcile';
import { listRollouts, scanRollouts } from '../../../../src/core/rollout/listing';
import { RolloutIndex } from '../../../../src/core/rollout/rolloutIndex';
import { writeRollout } from '../../../support/rollouts';

describe('core/rollout index: a cache that never hides a thread', () => {
  let home: string;
  beforeEach(() => (home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-reconcile-'))));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  const open = () => new RolloutIndex(home, () => scanRollouts(home), (index) => reconcileIndex(index, home));
  const plain = () => new RolloutIndex(home, () => scanRollouts(home));
  const previews = async (index: RolloutIndex, archived = false) => (await listRollouts(index, { archived })).data.map((s) => s.preview).sort();
  const three = async () => {
    const made = [];
    for (let i = 0; i < 3; i += 1) made.push(await writeRollout(home, { createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)), preview: `p${i}` }));
    return made;
  };
  const indexFile = () => path.join(home, 'rollout_index.jsonl');

  it('lists every thread when the index is empty', async () => {
    await three();
    fs.writeFileSync(indexFile(), '');
    assert.deepEqual(await previews(plain()), [], 'without reconciling, an empty index hides them');
    assert.deepEqual(await previews(open()), ['p0', 'p1', 'p2']);
    assert.deepEqual(await previews(plain()), ['p0', 'p1', 'p2'], 'and the file was repaired');
  });

  it('picks up rollouts whose index lines were lost (a crash during the first turn)', async () => {
    await three();
    await open().all();
    const lines = fs.readFileSync(indexFile(), 'utf8').trim().split('\n');
    fs.writeFileSync(indexFile(), `${lines[0]}\n`);
    assert.equal((await previews(plain())).length, 1);
    assert.deepEqual(await previews(open()), ['p0', 'p1', 'p2']);
  });

  it('follows a rollout moved by hand, drops one deleted, and re-reads one that changed', async () => {
    const [a, b, c] = await three();
    await open().all();
    const archivedDir = path.join(home, 'archived_sessions');
    fs.mkdirSync(archivedDir, { recursive: true });
    fs.renameSync(a!.path, path.join(archivedDir, path.basename(a!.path)));
    fs.rmSync(b!.path);
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(c!.path, later, later);
    const index = open();
    assert.deepEqual(await previews(index), ['p2']);
    assert.deepEqual(await previews(index, true), ['p0']);
    assert.equal((await index.all()).get(c!.id)!.updatedAt, Math.floor(later.getTime() / 1000));
  });

  it('serves a scan when the index cannot be read or rewritten, and fails no read', async () => {
    await three();
    fs.mkdirSync(indexFile());
    assert.deepEqual(await previews(open()), ['p0', 'p1', 'p2']);
  });

  it('compacts an index that holds far more lines than threads', async () => {
    await three();
    const index = open();
    await index.all();
    for (const summary of await scanRollouts(home)) for (let i = 0; i < 5; i += 1) await index.put(summary);
    assert.equal(fs.readFileSync(indexFile(), 'utf8').trim().split('\n').length, 18);
    await open().all();
    assert.equal(fs.readFileSync(indexFile(), 'utf8').trim().split('\n').length, 3);
    assert.deepEqual(await previews(plain()), ['p0', 'p1', 'p2']);
  });
});
