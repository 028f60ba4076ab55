import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig, parseOverrideValue } from '../../../../src/core/config/load';
import { sandboxPolicyFor, threadDefaults } from '../../../../src/core/config/threadDefaults';

describe('core/config (minimal loader)', () => {
  const home = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-config-'));

  it('reads config.toml, the active profile and -c overrides in that order', () => {
    const dir = home();
    fs.writeFileSync(path.join(dir, 'config.toml'), 'model = "a"\nprofile = "work"\n[profiles.work]\nmodel = "b"\napproval_policy = "never"\n');
    const { values, problems } = loadConfig(dir, ['sandbox_workspace_write.network_access=true', 'model_provider=ollama']);
    assert.deepEqual(problems, []);
    const defaults = threadDefaults(values);
    assert.equal(defaults.model, 'b');
    assert.equal(defaults.approvalPolicy, 'never');
    assert.equal(defaults.modelProvider, 'ollama');
    assert.equal(defaults.workspaceWrite.networkAccess, true);
    assert.deepEqual(sandboxPolicyFor('read-only', defaults), { type: 'readOnly', networkAccess: false });
  });

  it('reads -c values as TOML, else as strings', () => {
    assert.equal(parseOverrideValue('"o3"'), 'o3');
    assert.equal(parseOverrideValue('o3'), 'o3');
    assert.equal(parseOverrideValue('42'), 42);
    assert.deepEqual(parseOverrideValue('["/x", "/y"]'), ['/x', '/y']);
  });

  it('reports a file that does not parse and keeps going with defaults', () => {
    const dir = home();
    fs.writeFileSync(path.join(dir, 'config.toml'), 'model = \n');
    const { values, problems } = loadConfig(dir, ['bad override']);
    assert.deepEqual(values, {});
    assert.equal(problems.length, 2);
    assert.match(problems[0]!.summary, /is not valid TOML/);
    assert.match(problems[1]!.summary, /expected key=value/);
    assert.equal(threadDefaults(values).model, 'gpt-6.1-sol');
  });
});
