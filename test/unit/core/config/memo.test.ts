import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../../../src/core/config/load';
import { BoundedMemo, valuesKey } from '../../../../src/core/config/memo';
import { effectiveConfig } from '../../../../src/core/config/validate';

describe('core/config: parsed and checked once per text', () => {
  it('applies an edit at the next read, and a problem is reported at every read', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-config-memo-'));
    const file = path.join(home, 'config.toml');
    fs.writeFileSync(file, 'model = "a"\napproval_policy = "sometimes"\n');
    for (let i = 0; i < 2; i++) {
      const loaded = loadConfig(home);
      assert.equal(loaded.values.model, 'a');
      assert.equal(loaded.problems.length, 1, 'the bad value, again');
      assert.match(loaded.problems[0]!.summary, /approval_policy/);
    }
    fs.writeFileSync(file, 'model = "b"\n');
    const edited = loadConfig(home);
    assert.equal(edited.values.model, 'b');
    assert.deepEqual(edited.problems, []);
  });

  it('hands out copies: what one caller changes, the next does not see', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-config-memo-'));
    fs.writeFileSync(path.join(home, 'config.toml'), 'model = "a"\n[sandbox_workspace_write]\nwritable_roots = ["/x"]\n');
    const first = loadConfig(home);
    (first.layers[0]!.values.sandbox_workspace_write as { writable_roots: string[] }).writable_roots.push('/y');
    first.values.model = 'changed';
    const config = effectiveConfig(loadConfig(home).values);
    config.sandbox_workspace_write.writable_roots.push('/z');
    const again = loadConfig(home);
    assert.equal(again.values.model, 'a');
    assert.deepEqual((again.layers[0]!.values.sandbox_workspace_write as { writable_roots: string[] }).writable_roots, ['/x']);
    assert.deepEqual(effectiveConfig(again.values).sandbox_workspace_write.writable_roots, ['/x']);
  });

  it('keeps a bounded number of results, and tells a date from a string that reads the same', () => {
    const memo = new BoundedMemo<{ n: number }>(2);
    memo.set('a', { n: 1 });
    memo.set('b', { n: 2 });
    assert.deepEqual(memo.get('a'), { n: 1 });
    memo.set('c', { n: 3 });
    assert.equal(memo.get('b'), undefined, 'the least recently used went');
    assert.deepEqual(memo.get('a'), { n: 1 });
    const when = new Date('2026-01-01T00:00:00Z');
    assert.notEqual(valuesKey({ at: when }), valuesKey({ at: when.toISOString() }));
  });
});
