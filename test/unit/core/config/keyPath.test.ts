import { strict as assert } from 'node:assert';
import { applyEdits } from '../../../../src/core/config/edit';
import { applyOverride } from '../../../../src/core/config/load';
import { formatKeyPath, getDotted, parseKeyPath, setDotted } from '../../../../src/core/config/table';
import { editProblem } from '../../../../src/core/config/validate';

describe('core/config/table: dotted key paths, read the TOML way', () => {
  it('splits bare, "basic" and \'literal\' segments; dots inside quotes do not split', () => {
    assert.deepEqual(parseKeyPath('model'), ['model']);
    assert.deepEqual(parseKeyPath('sandbox_workspace_write.network_access'), ['sandbox_workspace_write', 'network_access']);
    assert.deepEqual(parseKeyPath('projects."/tmp/abc/workspace".trust_level'), ['projects', '/tmp/abc/workspace', 'trust_level']);
    assert.deepEqual(parseKeyPath("projects.'/tmp/a.b/c'.trust_level"), ['projects', '/tmp/a.b/c', 'trust_level']);
    assert.deepEqual(parseKeyPath('a."b.c".d'), ['a', 'b.c', 'd']);
    assert.deepEqual(parseKeyPath('a."say \\"hi\\"\\\\\\u00e9"'), ['a', 'say "hi"\\é'], 'basic strings take TOML escapes');
    assert.deepEqual(parseKeyPath("a.'C:\\dir'"), ['a', 'C:\\dir'], 'literal strings take none');
    assert.deepEqual(parseKeyPath(' a . "b" . c '), ['a', 'b', 'c'], 'blanks around the dots are ignored');
    assert.deepEqual(parseKeyPath('a.""'), ['a', ''], 'a quoted empty key is a key');
  });

  it('refuses paths that are not TOML keys', () => {
    for (const bad of ['', 'a..b', '.a', 'a.', 'a."b', "a.'b", 'a."b"c', 'a.b"c"', 'a b']) {
      assert.throws(() => parseKeyPath(bad), /key/, JSON.stringify(bad));
    }
  });

  it('writes segments back as a key path, quoting only what is not bare', () => {
    assert.equal(formatKeyPath(['projects', '/tmp/a.b', 'trust_level']), 'projects."/tmp/a.b".trust_level');
    assert.equal(formatKeyPath(['model_providers', 'my-local_1', 'base_url']), 'model_providers.my-local_1.base_url');
    for (const parts of [['a', 'b.c', 'say "hi"'], ['x', ''], ['ü']]) assert.deepEqual(parseKeyPath(formatKeyPath(parts)), parts);
  });

  it('reads and sets values at quoted paths', () => {
    const values = {};
    setDotted(values, 'projects."/w/x.y".trust_level', 'trusted');
    assert.deepEqual(values, { projects: { '/w/x.y': { trust_level: 'trusted' } } });
    assert.equal(getDotted(values, "projects.'/w/x.y'.trust_level"), 'trusted');
  });

  it('-c overrides take quoted segments too', () => {
    const flags = {};
    applyOverride(flags, 'projects."/tmp/p".trust_level="untrusted"');
    assert.deepEqual(flags, { projects: { '/tmp/p': { trust_level: 'untrusted' } } });
  });

  it('edits write a quoted segment as the table name, not the quotes', () => {
    const edited = applyEdits('model = "m"\n', [{ keyPath: 'projects."/tmp/abc/workspace".trust_level', value: 'trusted', mergeStrategy: 'upsert' }]);
    assert.equal(edited, 'model = "m"\n\n[projects."/tmp/abc/workspace"]\ntrust_level = "trusted"\n');
    const again = applyEdits(edited, [{ keyPath: "projects.'/tmp/abc/workspace'.trust_level", value: 'untrusted', mergeStrategy: 'replace' }]);
    assert.equal(again, 'model = "m"\n\n[projects."/tmp/abc/workspace"]\ntrust_level = "untrusted"\n', 'the existing key is changed in place');
    const beside = applyEdits(again, [{ keyPath: 'projects."/other.dir"', value: { trust_level: 'trusted' }, mergeStrategy: 'upsert' }]);
    assert.equal(beside, `${again}\n[projects."/other.dir"]\ntrust_level = "trusted"\n`);
    const removed = applyEdits(beside, [{ keyPath: 'projects."/other.dir".trust_level', value: null, mergeStrategy: 'replace' }]);
    assert.equal(removed, `${again}\n[projects."/other.dir"]\n`);
  });

  it('finds the problem of a written key at a quoted path', () => {
    const text = '[projects."/tmp/a.b"]\ntrust_level = "sometimes"\n';
    assert.equal(editProblem(text, ['projects."/tmp/a.b".trust_level']), 'projects."/tmp/a.b".trust_level must be one of trusted, untrusted; got "sometimes"');
  });
});
