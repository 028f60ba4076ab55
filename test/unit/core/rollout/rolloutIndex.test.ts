import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listRollouts, scanRollouts } from '../../../../src/core/rollout/listing';
import { RolloutIndex } from '../../../../src/core/rollout/rolloutIndex';
import { writeRollout } from '../../../support/rollouts';

describe('core/rollout index', () => {
  const tempHome = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-index-'));
  const open = (home: string) => {
    let scans = 0;
    const index = new RolloutIndex(home, () => (scans++, scanRollouts(home)));
    return { index, scans: () => scans };
  };

  it('is built from the rollouts when missing, then read instead of scanning', async () => {
    const home = tempHome();
    for (let i = 0; i < 3; i++) await writeRollout(home, { createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)), preview: `p${i}` });
    const first = open(home);
    assert.deepEqual((await listRollouts(first.index, {})).data.map((s) => s.preview), ['p2', 'p1', 'p0']);
    assert.equal(first.scans(), 1);
    assert.ok(fs.existsSync(first.index.file));
    const lines = fs.readFileSync(first.index.file, 'utf8').trim().split('\n');
    assert.equal(lines.length, 3);
    assert.ok(!lines[0]!.includes('You are'), 'instructions are not copied into the index');

    const second = open(home);
    await listRollouts(second.index, {});
    assert.equal(second.scans(), 0, 'an existing index is read, not rebuilt');
  });

  it('rebuilds when a line is damaged, and picks up what another process appended', async () => {
    const home = tempHome();
    const a = await writeRollout(home, { createdAt: new Date(Date.UTC(2026, 0, 1)), preview: 'a' });
    const mine = open(home);
    await mine.index.all();
    const other = open(home);
    const b = await writeRollout(home, { createdAt: new Date(Date.UTC(2026, 0, 2)), preview: 'b' });
    const summaries = await scanRollouts(home);
    await other.index.put(summaries.find((s) => s.threadId === b.id)!);
    assert.deepEqual([...(await mine.index.all()).keys()].sort(), [a.id, b.id].sort(), 'the appended line is read');

    await other.index.remove(a.id);
    assert.deepEqual([...(await mine.index.all()).keys()], [b.id]);

    fs.appendFileSync(mine.index.file, '{"op":"put","summ\n');
    const fresh = open(home);
    assert.deepEqual([...(await fresh.index.all()).keys()].sort(), [a.id, b.id].sort(), 'rebuilt from disk after the damage');
    assert.equal(fresh.scans(), 1);
    assert.ok(!fs.readFileSync(fresh.index.file, 'utf8').includes('"summ\n'));
  });

  it('skips and forgets a listed rollout whose file is gone', async () => {
    const home = tempHome();
    const gone = await writeRollout(home, { createdAt: new Date(Date.UTC(2026, 0, 2)), preview: 'gone' });
    await writeRollout(home, { createdAt: new Date(Date.UTC(2026, 0, 1)), preview: 'kept' });
    const { index } = open(home);
    await index.all();
    fs.rmSync(gone.path);
    assert.deepEqual((await listRollouts(index, {})).data.map((s) => s.preview), ['kept']);
    assert.ok(!(await index.all()).has(gone.id));
  });
});
