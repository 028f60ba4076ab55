import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../../../src/core/config/load';
import { threadDefaults } from '../../../../src/core/config/threadDefaults';
import { editProblem, effectiveConfig } from '../../../../src/core/config/validate';

const home = (files: Record<string, string>) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-schema-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
};

/** smol-toml's tables have no prototype; compare their content. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('core/config/schema: checks and defaults', () => {
  it('checks tables, profiles and providers key by key, dropping only what is wrong', () => {
    const dir = home({
      'config.toml': [
        'model = "m"',
        '[sandbox_workspace_write]',
        'writable_roots = [',
        '  "/a",',
        '  1,',
        ']',
        'network_access = "yes"',
        'exclude_slash_tmp = true',
        'unused_here = 1',
        '[shell_environment_policy]',
        'inherit = "some"',
        '[profiles.work]',
        'sandbox_mode = "everything"',
        'model = "w"',
        '[model_providers.good]',
        'base_url = "http://localhost:1/v1"',
        'stream_max_retries = -1',
        '[model_providers.bad]',
        'name = "no url"',
        '',
      ].join('\n'),
    });
    const loaded = loadConfig(dir);
    assert.deepEqual(
      loaded.problems.map((p) => p.summary),
      [
        'sandbox_workspace_write.writable_roots must be an array of paths; got ["/a",1]',
        'sandbox_workspace_write.network_access must be true or false; got "yes"',
        'shell_environment_policy.inherit must be one of all, core, none; got "some"',
        'profiles.work.sandbox_mode must be one of read-only, workspace-write, danger-full-access; got "everything"',
        'model_providers.good.stream_max_retries must be a non-negative integer; got -1',
        'model_providers.bad.base_url is required',
      ],
      'keys Tandem does not use inside a table are kept without a word',
    );
    assert.deepEqual(plain(loaded.values.sandbox_workspace_write), { exclude_slash_tmp: true, unused_here: 1 });
    assert.deepEqual(plain(loaded.values.profiles), { work: { model: 'w' } });
    assert.deepEqual(plain(loaded.values.model_providers), { good: { base_url: 'http://localhost:1/v1' } }, 'a provider without base_url is dropped whole');
    // A value spanning lines is pointed at from its first line to its last.
    const [roots] = loaded.problems;
    assert.deepEqual(roots!.range, { start: { line: 3, column: 18 }, end: { line: 6, column: 2 } });
    assert.match(roots!.details!, /config\.toml:3:18: .*\n {2}\|\n3 \| writable_roots = \[\n {2}\| {18}\^$/);
  });

  it('reports a value where a table belongs, a table where a value belongs, and bad -c flags', () => {
    const dir = home({ 'config.toml': 'sandbox_workspace_write = 1\nmodel = { name = "x" }\nprofiles = "work"\n' });
    const loaded = loadConfig(dir, ['sandbox_workspace_write.network_access=maybe', 'thread_idle_unload_minutes=0']);
    assert.deepEqual(
      loaded.problems.map((p) => p.summary),
      [
        'sandbox_workspace_write must be a table; got 1',
        'model must be a string; got a table',
        'profiles must be a table; got "work"',
        '-c sandbox_workspace_write.network_access must be true or false; got "maybe"',
        '-c thread_idle_unload_minutes must be a number of minutes above 0; got 0',
      ],
    );
    assert.deepEqual(loaded.problems[0]!.range, { start: { line: 1, column: 27 }, end: { line: 1, column: 28 } });
  });

  it('fills every default from the schema, and reads the legacy on-failure as on-request', () => {
    assert.deepEqual(plain(effectiveConfig({})), {
      model: 'gpt-6.1-sol',
      model_provider: 'openai',
      model_reasoning_summary: 'auto',
      approval_policy: 'on-request',
      sandbox_mode: 'workspace-write',
      sandbox_workspace_write: { writable_roots: [], network_access: false, exclude_tmpdir_env_var: false, exclude_slash_tmp: false },
      project_doc_max_bytes: 32768,
      thread_idle_unload_minutes: 30,
      shell_environment_policy: { inherit: 'all', ignore_default_excludes: false, exclude: [], set: {}, include_only: [] },
      chatgpt_auth: { issuer: 'https://auth.openai.com', client_id: 'app_EMoamEEZ73f0CkXaXp7hrann', callback_port: 1455, login_timeout_ms: 600000, device_code_timeout_ms: 900000 },
    });
    const effective = effectiveConfig({ approval_policy: 'on-failure', sandbox_mode: 'nope', like: 1, model_providers: { x: { base_url: 'u' } } });
    assert.equal(effective.approval_policy, 'on-request');
    assert.equal(effective.sandbox_mode, 'workspace-write', 'a bad value gives way to the default');
    assert.equal(effective.like, 1, 'keys Tandem does not use are kept');
    assert.equal(effective.model_providers!.x!.request_max_retries, 4);
    const defaults = threadDefaults({ approval_policy: 'on-failure', model_reasoning_effort: 'high', sandbox_workspace_write: { writable_roots: ['/r'] } });
    assert.equal(defaults.approvalPolicy, 'on-request');
    assert.equal(defaults.reasoningEffort, 'high');
    assert.deepEqual(defaults.workspaceWrite, { writableRoots: ['/r'], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false });
    assert.equal(defaults.idleUnloadMinutes, 30);
  });

  it('finds the problems of written keys in the new file, with the keys their table already has', () => {
    const text = '[model_providers.local]\nbase_url = "http://localhost:1/v1"\n[model_providers.broken]\nname = "b"\n';
    assert.equal(editProblem(text, ['model_providers.local']), undefined, 'a table upserted next to its base_url is whole');
    assert.equal(editProblem(text, ['model_providers.broken']), 'model_providers.broken.base_url is required');
    assert.equal(editProblem(text, ['model_providers.broken.name']), undefined, 'a problem elsewhere in the table does not block an edit');
    assert.equal(editProblem('approval_policy = "sometimes"\n', ['approval_policy']), 'approval_policy must be one of untrusted, on-request, never, or a { granular = { … } } table; got "sometimes"');
    assert.equal(editProblem('approval_policy = "sometimes"\nmodel = "m"\n', ['model']), undefined);
  });
});
