// thread/list takes every sort key of codex's schema: created_at, updated_at and recency_at order by the
// times Tandem has; section_position, as in codex, needs a section, and Tandem's threads are in none.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { Fixture } from '../support/fixture';
import { writeRollout } from '../support/rollouts';

describe('integration: thread/list sort keys', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  beforeEach(() => fixture.start());
  afterEach(() => fixture.close());

  it('orders by creation or by the last update, and sorts by section position only within a section', async () => {
    const base = Date.parse('2026-03-01T10:00:00Z');
    const ids: Record<string, string> = {};
    for (const [i, name] of ['A', 'B', 'C'].entries()) {
      const written = await writeRollout(fixture.temp.home, { createdAt: new Date(base + i * 60_000), preview: name });
      ids[written.id] = name;
      // A was created first and written to last.
      const touched = new Date(base + (name === 'A' ? 10 : i) * 3_600_000);
      fs.utimesSync(written.path, touched, touched);
    }
    const { client } = await fixture.spawn();
    const order = async (params: Record<string, unknown>) => {
      const response = await client.request('thread/list', params);
      assert.equal(response.error, undefined, JSON.stringify(response.error));
      return response.result.data.map((t: { id: string }) => ids[t.id]).join('');
    };
    assert.equal(await order({}), 'CBA');
    assert.equal(await order({ sortKey: 'created_at' }), 'CBA');
    assert.equal(await order({ sortKey: 'created_at', sortDirection: 'asc' }), 'ABC');
    assert.equal(await order({ sortKey: 'updated_at' }), 'ACB');
    assert.equal(await order({ sortKey: 'recency_at' }), 'ACB');
    assert.equal(await order({ sortKey: 'recency_at', sortDirection: 'asc', limit: 2 }), 'BC');
    assert.equal(await order({ sortKey: 'created_at', sectionId: null }), 'CBA', 'a null section filters nothing');
    assert.equal(await order({ sortKey: 'created_at', sectionId: 'work' }), '', 'no thread is in a section');
    assert.equal(await order({ sortKey: 'section_position', sectionId: 'work' }), '');
    const unsectioned = await client.request('thread/list', { sortKey: 'section_position' });
    assert.deepEqual(unsectioned.error, { code: -32600, message: 'section-position sorting requires a section filter' });
  });
});
