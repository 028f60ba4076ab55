import { strict as assert } from 'node:assert';
import { parse as parseToml } from 'smol-toml';
import { applyEdits, type MergeStrategy } from '../../../../src/core/config/edit';

/** smol-toml's tables have no prototype; compare their content. */
const parsed = (text: string) => JSON.parse(JSON.stringify(parseToml(text))) as Record<string, unknown>;
const write = (text: string, keyPath: string, value: unknown, mergeStrategy: MergeStrategy = 'replace') => applyEdits(text, [{ keyPath, value, mergeStrategy }]);

// A config.toml whose values span lines: arrays written one element per line, a multi-line string.
const CONFIG = [
  '# my settings',
  'model = "gpt-5.4"  # the one I like',
  'notes = [',
  '  "x = 1",   # looks like an assignment',
  '  "[not_a_table]",',
  ']',
  '',
  '[sandbox_workspace_write]',
  '# roots I trust',
  'writable_roots = [',
  '  "/a", # first',
  '  "/b",',
  ']',
  '',
  '[shell_environment_policy]',
  'exclude = [',
  '  "AWS_*",',
  ']  # never these',
  '',
].join('\n');

describe('core/config/edit: values that span lines', () => {
  it('adds a root key after a multi-line array, keeping every comment and line', () => {
    const updated = write(CONFIG, 'approval_policy', 'never');
    assert.equal(updated, CONFIG.replace(']\n\n[sandbox_workspace_write]', ']\napproval_policy = "never"\n\n[sandbox_workspace_write]'));
    assert.equal(parsed(updated).approval_policy, 'never');
    assert.deepEqual(parsed(updated).notes, ['x = 1', '[not_a_table]']);
  });

  it('adds a key to the table whose last value is a multi-line array, after the array', () => {
    const updated = write(CONFIG, 'sandbox_workspace_write.network_access', true);
    assert.equal(updated, CONFIG.replace('  "/b",\n]\n', '  "/b",\n]\nnetwork_access = true\n'));
    assert.deepEqual(parsed(updated).sandbox_workspace_write, { writable_roots: ['/a', '/b'], network_access: true });
    const excluded = write(CONFIG, 'shell_environment_policy.inherit', 'core', 'upsert');
    assert.equal(excluded, CONFIG.replace(']  # never these\n', ']  # never these\ninherit = "core"\n'));
  });

  it('changes a key next to a multi-line array in place', () => {
    const text = '[sandbox_workspace_write]\nwritable_roots = [\n  "/a",\n  "/b",\n]\nnetwork_access = false # for now\n';
    const updated = write(text, 'sandbox_workspace_write.network_access', true);
    assert.equal(updated, '[sandbox_workspace_write]\nwritable_roots = [\n  "/a",\n  "/b",\n]\nnetwork_access = true # for now\n');
  });

  it('replaces a multi-line array with one element per line, keeping the comments around it', () => {
    const updated = write(CONFIG, 'sandbox_workspace_write.writable_roots', ['/c', '/d']);
    assert.equal(updated, CONFIG.replace('writable_roots = [\n  "/a", # first\n  "/b",\n]', 'writable_roots = [\n  "/c",\n  "/d",\n]'));
    assert.deepEqual(parsed(updated).sandbox_workspace_write, { writable_roots: ['/c', '/d'] });
    const closing = write(CONFIG, 'shell_environment_policy.exclude', ['GH_*']);
    assert.equal(closing, CONFIG.replace('exclude = [\n  "AWS_*",\n]  # never these', 'exclude = [\n  "GH_*",\n]  # never these'));
    const emptied = write(CONFIG, 'shell_environment_policy.exclude', []);
    assert.equal(emptied, CONFIG.replace('exclude = [\n  "AWS_*",\n]  # never these', 'exclude = []  # never these'));
  });

  it('removes every line of a multi-line array when its key is removed', () => {
    const updated = write(CONFIG, 'notes', null);
    assert.equal(updated, CONFIG.replace('notes = [\n  "x = 1",   # looks like an assignment\n  "[not_a_table]",\n]\n', ''));
  });

  it('is not fooled by multi-line strings that look like keys or tables', () => {
    const text = 'developer_instructions = """\nmodel = "inside"\n[sandbox_workspace_write]\n"""\nmodel = "outside"\n';
    const updated = write(text, 'model', 'changed');
    assert.equal(updated, 'developer_instructions = """\nmodel = "inside"\n[sandbox_workspace_write]\n"""\nmodel = "changed"\n');
    const added = write(text, 'sandbox_workspace_write.network_access', true);
    assert.equal(added, `${text}\n[sandbox_workspace_write]\nnetwork_access = true\n`);
  });

  it('keeps Windows line ends in the lines it adds and rewrites', () => {
    const text = 'a = 1\r\n[t] # mine\r\nx = [\r\n  1,\r\n]\r\n';
    assert.equal(write(text, 't.y', 2), 'a = 1\r\n[t] # mine\r\nx = [\r\n  1,\r\n]\r\ny = 2\r\n');
    assert.equal(write(text, 't.x', [3, 4]), 'a = 1\r\n[t] # mine\r\nx = [\r\n  3,\r\n  4,\r\n]\r\n');
  });

  it('writes into a table whose header follows a multi-line array in the table before', () => {
    const text = '[profiles.work]\nmodel = "a"\n[sandbox_workspace_write]\nwritable_roots = [\n  "/a",\n]\n[profiles.home]\nmodel = "b"\n';
    const updated = applyEdits(text, [
      { keyPath: 'profiles.work.approval_policy', value: 'never', mergeStrategy: 'replace' },
      { keyPath: 'sandbox_workspace_write.exclude_slash_tmp', value: true, mergeStrategy: 'replace' },
      { keyPath: 'profiles.home.model', value: 'c', mergeStrategy: 'replace' },
    ]);
    assert.equal(
      updated,
      '[profiles.work]\nmodel = "a"\napproval_policy = "never"\n[sandbox_workspace_write]\nwritable_roots = [\n  "/a",\n]\nexclude_slash_tmp = true\n[profiles.home]\nmodel = "c"\n',
    );
  });
});
