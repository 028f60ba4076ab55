import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyEdits } from '../../../../src/core/config/edit';
import { loadConfig } from '../../../../src/core/config/load';
import { enforceRequirements, loadRequirements } from '../../../../src/core/config/requirements';

const home = (files: Record<string, string>) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-cfg-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
};

describe('core/config: layers, diagnostics, edits, requirements', () => {
  it('reports a bad value with file:line:col, the line and carets, and drops only that value', () => {
    const dir = home({ 'config.toml': 'model = "gpt-5.4"\n# how careful to be\napproval_policy = "sometimes"   # maybe\n' });
    const loaded = loadConfig(dir);
    assert.equal(loaded.values.model, 'gpt-5.4', 'the rest of the file applies');
    assert.equal(loaded.values.approval_policy, undefined);
    const [problem] = loaded.problems;
    assert.equal(problem!.summary, 'approval_policy must be one of untrusted, on-request, never, or a { granular = { … } } table; got "sometimes"');
    assert.deepEqual(problem!.range, { start: { line: 3, column: 19 }, end: { line: 3, column: 30 } });
    assert.equal(
      problem!.details,
      [
        `${path.join(dir, 'config.toml')}:3:19: approval_policy must be one of untrusted, on-request, never, or a { granular = { … } } table; got "sometimes"`,
        '  |',
        '3 | approval_policy = "sometimes"   # maybe',
        '  |                   ^^^^^^^^^^^',
      ].join('\n'),
    );
  });

  it('skips a file that does not parse and says where', () => {
    const dir = home({ 'config.toml': 'model = "a"\nsandbox_mode = \n' });
    const loaded = loadConfig(dir, ['model=fromflag']);
    assert.equal(loaded.values.model, 'fromflag');
    assert.match(loaded.problems[0]!.summary, /config\.toml is not valid TOML/);
    assert.deepEqual(loaded.problems[0]!.range!.start.line, 2);
    assert.match(loaded.problems[0]!.details!, /:2:\d+: .*\n.*\n2 \| sandbox_mode = \n.*\^/);
  });

  it('layers config.toml < managed_config.toml < profile < -c, tables merging key by key, and records origins', () => {
    const dir = home({
      'config.toml': 'model = "user"\nprofile = "work"\napproval_policy = "untrusted"\nlike = 1\n[sandbox_workspace_write]\nnetwork_access = true\nwritable_roots = ["/a"]\n[profiles.work]\nmodel_reasoning_effort = "high"\n',
      'managed_config.toml': 'approval_policy = "never"\n[sandbox_workspace_write]\nwritable_roots = ["/managed"]\n',
    });
    const loaded = loadConfig(dir, ['model_reasoning_effort="low"']);
    assert.equal(loaded.values.model, 'user');
    assert.equal(loaded.values.approval_policy, 'never', 'managed wins over the user');
    assert.deepEqual(loaded.values.sandbox_workspace_write, { network_access: true, writable_roots: ['/managed'] }, 'tables merge, arrays replace');
    assert.equal(loaded.values.model_reasoning_effort, 'low', '-c wins over the profile');
    assert.equal(loaded.origins.approval_policy!.name.type, 'legacyManagedConfigTomlFromFile');
    assert.equal(loaded.origins.model!.name.type, 'user');
    assert.equal(loaded.origins.model_reasoning_effort!.name.type, 'sessionFlags');
    assert.match(loaded.problems.map((p) => p.summary).join('\n'), /keys Tandem does not use \(kept as they are\): like/);
    assert.equal(loaded.values.like, 1, 'unknown keys are kept');
  });

  it('edits keep comments, order and layout of everything they do not touch', () => {
    const original = [
      '# my settings',
      'model = "gpt-5.4"  # the one I like',
      '',
      '[sandbox_workspace_write]',
      '# roots',
      'writable_roots = ["/a"]',
      '',
      '[model_providers.local]',
      'base_url = "http://localhost:8080/v1"',
      '',
    ].join('\n');
    const updated = applyEdits(original, [
      { keyPath: 'model', value: 'gpt-5.5', mergeStrategy: 'replace' },
      { keyPath: 'approval_policy', value: 'never', mergeStrategy: 'replace' },
      { keyPath: 'sandbox_workspace_write.network_access', value: true, mergeStrategy: 'upsert' },
      { keyPath: 'shell_environment_policy', value: { inherit: 'core' }, mergeStrategy: 'upsert' },
    ]);
    assert.equal(
      updated,
      [
        '# my settings',
        'model = "gpt-5.5"  # the one I like',
        'approval_policy = "never"',
        '',
        '[sandbox_workspace_write]',
        '# roots',
        'writable_roots = ["/a"]',
        'network_access = true',
        '',
        '[model_providers.local]',
        'base_url = "http://localhost:8080/v1"',
        '',
        '[shell_environment_policy]',
        'inherit = "core"',
        '',
      ].join('\n'),
    );
    assert.throws(() => applyEdits('tools = { web = true }\n', [{ keyPath: 'tools.web', value: false, mergeStrategy: 'replace' }]), /the file's layout hides it/);
  });

  it('reads requirements and refuses disallowed modes, naming the allowed ones', () => {
    const dir = home({ 'requirements.toml': 'allowed_approval_policies = ["untrusted", "on-request"]\nallowed_sandbox_modes = ["read-only"]\n' });
    const requirements = loadRequirements(dir);
    assert.deepEqual(requirements, { allowedApprovalPolicies: ['untrusted', 'on-request'], allowedSandboxModes: ['read-only'] });
    assert.throws(() => enforceRequirements(requirements, 'never', { type: 'readOnly' }), /approval policy never is not allowed by requirements\.toml; allowed: untrusted, on-request/);
    assert.throws(() => enforceRequirements(requirements, 'untrusted', { type: 'dangerFullAccess' }), /sandbox mode danger-full-access is not allowed .*; allowed: read-only/);
    enforceRequirements(requirements, 'on-request', { type: 'readOnly' });
    assert.equal(loadRequirements(home({})), null);
    assert.throws(() => loadRequirements(home({ 'requirements.toml': 'allowed_sandbox_modes = ["yolo"]' })), /must be a list of read-only, workspace-write, danger-full-access/);
  });
});
