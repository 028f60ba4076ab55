import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnStdioServer, type SpawnedServer } from '../support/protocolClient';
import { makeTempHome, type TempHome } from '../support/tempHome';

describe('integration: config', function () {
  this.timeout(30_000);
  let temp: TempHome;
  let server: SpawnedServer;

  async function boot(files: Record<string, string>) {
    temp = makeTempHome();
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(temp.home, name), text);
    server = spawnStdioServer({ env: temp.env });
    await server.client.initialize();
  }
  afterEach(() => server.close());

  it('keeps serving with a broken config and sends configWarning with the place after initialize', async () => {
    await boot({ 'config.toml': 'model = "ok"\nsandbox_mode = "nope"\n' });
    const warning = await server.client.waitFor((m) => m.method === 'configWarning');
    assert.equal(warning.params.summary, 'sandbox_mode must be one of read-only, workspace-write, danger-full-access; got "nope"');
    assert.equal(warning.params.path, path.join(temp.home, 'config.toml'));
    assert.deepEqual(warning.params.range, { start: { line: 2, column: 16 }, end: { line: 2, column: 22 } });
    const read = await server.client.request('config/read', {});
    assert.equal(read.result.config.model, 'ok');
    const started = await server.client.request('thread/start', { cwd: temp.workspace, modelProvider: 'ollama' });
    assert.equal(started.result.sandbox.type, 'workspaceWrite', 'the default applies where the value was bad');
  });

  it('reads layers and origins, with the managed layer over the user', async () => {
    await boot({ 'config.toml': 'model = "mine"\napproval_policy = "untrusted"\n', 'managed_config.toml': 'approval_policy = "on-request"\n' });
    const read = await server.client.request('config/read', { includeLayers: true });
    assert.equal(read.result.config.approval_policy, 'on-request');
    assert.equal(read.result.origins.approval_policy.name.type, 'legacyManagedConfigTomlFromFile');
    assert.equal(read.result.origins.model.name.type, 'user');
    // As codex lists them: the layer that wins first; the user's names its (absent) profile.
    assert.deepEqual(read.result.layers.map((l: { name: { type: string } }) => l.name.type), ['sessionFlags', 'legacyManagedConfigTomlFromFile', 'user']);
    assert.deepEqual(read.result.layers[2].name, { type: 'user', file: path.join(temp.home, 'config.toml'), profile: null });
    const plain = await server.client.request('config/read', {});
    assert.ok(!('layers' in plain.result), 'no layers key unless asked, as codex');
  });

  it('writes values keeping comments, refuses a stale version, and says when a managed value overrides', async () => {
    await boot({ 'config.toml': '# mine\nmodel = "a" # keep me\n', 'managed_config.toml': 'approval_policy = "on-request"\n' });
    const before = await server.client.request('config/read', { includeLayers: true });
    const version = before.result.layers.find((l: { name: { type: string } }) => l.name.type === 'user').version;
    const written = await server.client.request('config/value/write', { keyPath: 'model', value: 'b', mergeStrategy: 'replace', expectedVersion: version });
    assert.equal(written.result.status, 'ok');
    assert.equal(fs.readFileSync(path.join(temp.home, 'config.toml'), 'utf8'), '# mine\nmodel = "b" # keep me\n');
    const stale = await server.client.request('config/value/write', { keyPath: 'model', value: 'c', mergeStrategy: 'replace', expectedVersion: version });
    assert.deepEqual(stale.error, {
      code: -32600,
      message: 'Configuration was modified since last read. Fetch latest version and retry.',
      data: { config_write_error_code: 'configVersionConflict' },
    });
    const overridden = await server.client.request('config/batchWrite', { edits: [{ keyPath: 'approval_policy', value: 'never', mergeStrategy: 'replace' }], expectedVersion: written.result.version });
    assert.equal(overridden.result.status, 'okOverridden');
    assert.equal(overridden.result.overriddenMetadata.effectiveValue, 'on-request');
    const invalid = await server.client.request('config/value/write', { keyPath: 'sandbox_mode', value: 'yolo', mergeStrategy: 'replace' });
    assert.match(invalid.error!.message, /sandbox_mode must be one of/);
    assert.deepEqual(invalid.error!.data, { config_write_error_code: 'configValidationError' });
    const elsewhere = await server.client.request('config/value/write', { keyPath: 'model', value: 'x', mergeStrategy: 'replace', filePath: '/etc/passwd' });
    assert.deepEqual(elsewhere.error, { code: -32600, message: 'Only writes to the user config are allowed', data: { config_write_error_code: 'configLayerReadonly' } });
  });

  it('writes beside, into and over a multi-line array, keeping comments and layout', async () => {
    const original = '# mine\nmodel = "a"\n\n[sandbox_workspace_write]\n# roots\nwritable_roots = [\n  "/a", # first\n  "/b",\n]\n';
    await boot({ 'config.toml': original });
    const file = path.join(temp.home, 'config.toml');
    const beside = await server.client.request('config/value/write', { keyPath: 'approval_policy', value: 'never', mergeStrategy: 'replace' });
    assert.equal(beside.error, undefined);
    assert.equal(fs.readFileSync(file, 'utf8'), original.replace('model = "a"\n', 'model = "a"\napproval_policy = "never"\n'));
    const into = await server.client.request('config/value/write', { keyPath: 'sandbox_workspace_write.network_access', value: true, mergeStrategy: 'upsert' });
    assert.equal(into.error, undefined);
    assert.equal(fs.readFileSync(file, 'utf8'), '# mine\nmodel = "a"\napproval_policy = "never"\n\n[sandbox_workspace_write]\n# roots\nwritable_roots = [\n  "/a", # first\n  "/b",\n]\nnetwork_access = true\n');
    const over = await server.client.request('config/value/write', { keyPath: 'sandbox_workspace_write.writable_roots', value: ['/c'], mergeStrategy: 'replace' });
    assert.equal(over.error, undefined);
    assert.equal(fs.readFileSync(file, 'utf8'), '# mine\nmodel = "a"\napproval_policy = "never"\n\n[sandbox_workspace_write]\n# roots\nwritable_roots = [\n  "/c",\n]\nnetwork_access = true\n');
    const read = await server.client.request('config/read', {});
    assert.equal(read.result.config.approval_policy, 'never');
    assert.deepEqual(read.result.config.sandbox_workspace_write.writable_roots, ['/c']);
    assert.equal(read.result.config.sandbox_workspace_write.network_access, true);
  });

  it('reads the effective config: every default from the schema, origins only for what a layer sets', async () => {
    await boot({ 'config.toml': 'approval_policy = "on-failure"\n[sandbox_workspace_write]\nnetwork_access = true\n' });
    const read = await server.client.request('config/read', {});
    assert.equal(read.result.config.model, 'gpt-6.1-sol');
    assert.equal(read.result.config.approval_policy, 'on-request', 'the legacy value reads as what it means');
    assert.equal(read.result.config.sandbox_mode, 'workspace-write');
    assert.deepEqual(read.result.config.sandbox_workspace_write, { network_access: true, writable_roots: [], exclude_tmpdir_env_var: false, exclude_slash_tmp: false });
    assert.equal(read.result.config.project_doc_max_bytes, 32768);
    assert.deepEqual(Object.keys(read.result.origins).sort(), ['approval_policy', 'sandbox_workspace_write.network_access']);
  });

  it('refuses a written value the schema rejects, checking a table with the keys it already has', async () => {
    await boot({ 'config.toml': '[model_providers.local]\nbase_url = "http://localhost:1/v1" # mine\n' });
    const file = path.join(temp.home, 'config.toml');
    const nested = await server.client.request('config/value/write', { keyPath: 'sandbox_workspace_write.network_access', value: 'yes', mergeStrategy: 'replace' });
    assert.equal(nested.error?.code, -32600);
    assert.equal(nested.error!.message, 'sandbox_workspace_write.network_access must be true or false; got "yes"');
    const noUrl = await server.client.request('config/value/write', { keyPath: 'model_providers.other', value: { name: 'Other' }, mergeStrategy: 'upsert' });
    assert.equal(noUrl.error!.message, 'model_providers.other.base_url is required');
    assert.equal(fs.readFileSync(file, 'utf8'), '[model_providers.local]\nbase_url = "http://localhost:1/v1" # mine\n', 'nothing was written');
    const upserted = await server.client.request('config/value/write', { keyPath: 'model_providers.local', value: { name: 'Local' }, mergeStrategy: 'upsert' });
    assert.equal(upserted.result.status, 'ok');
    assert.equal(fs.readFileSync(file, 'utf8'), '[model_providers.local]\nbase_url = "http://localhost:1/v1" # mine\nname = "Local"\n');
  });

  it('writes the default model and effort into the active profile', async () => {
    await boot({ 'config.toml': 'model = "top"\nprofile = "work"\n\n[profiles.work]\nmodel = "old"\n' });
    await server.client.request('config/batchWrite', {
      edits: [
        { keyPath: 'model', value: 'gpt-5.5', mergeStrategy: 'replace' },
        { keyPath: 'model_reasoning_effort', value: 'high', mergeStrategy: 'replace' },
      ],
    });
    assert.equal(fs.readFileSync(path.join(temp.home, 'config.toml'), 'utf8'), 'model = "top"\nprofile = "work"\n\n[profiles.work]\nmodel = "gpt-5.5"\nmodel_reasoning_effort = "high"\n');
    const read = await server.client.request('config/read', {});
    assert.equal(read.result.config.model, 'gpt-5.5');
  });

  it('writes a trusted project the way the codex TUI asks, reads it back, and starts on it without a warning', async () => {
    await boot({ 'config.toml': 'model = "m"\n' });
    const file = path.join(temp.home, 'config.toml');
    const written = await server.client.request('config/batchWrite', {
      edits: [{ keyPath: 'projects."/some/path".trust_level', value: 'trusted', mergeStrategy: 'replace' }],
      filePath: file,
      expectedVersion: null,
      reloadUserConfig: true,
    });
    assert.equal(written.error, undefined);
    assert.equal(written.result.status, 'ok');
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(text, 'model = "m"\n\n[projects."/some/path"]\ntrust_level = "trusted"\n');
    const read = await server.client.request('config/read', { includeLayers: true });
    assert.deepEqual(read.result.config.projects, { '/some/path': { trust_level: 'trusted' } });
    assert.deepEqual(read.result.layers.at(-1).config.projects, { '/some/path': { trust_level: 'trusted' } });
    assert.equal(read.result.origins['projects./some/path.trust_level'].name.type, 'user', 'origins join segments with dots, as codex does');
    const value = await server.client.request('config/value/write', { keyPath: "projects.'/some/path'.trust_level", value: 'untrusted', mergeStrategy: 'replace' });
    assert.equal(value.error, undefined);
    assert.equal(fs.readFileSync(file, 'utf8'), 'model = "m"\n\n[projects."/some/path"]\ntrust_level = "untrusted"\n');
    const bad = await server.client.request('config/value/write', { keyPath: 'projects."/some/path".trust_level', value: 'sometimes', mergeStrategy: 'replace' });
    assert.equal(bad.error!.message, 'projects."/some/path".trust_level must be one of trusted, untrusted; got "sometimes"');
    await server.close();

    server = spawnStdioServer({ env: temp.env });
    await server.client.initialize();
    const reread = await server.client.request('config/read', {});
    assert.deepEqual(reread.result.config.projects, { '/some/path': { trust_level: 'untrusted' } });
    // Warnings follow initialize once the server has no request to answer: give them time to come.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const warnings = server.client.received.filter((m) => m.method === 'configWarning').map((m) => String(m.params.summary));
    assert.deepEqual(warnings, [], 'no configWarning about projects');
    assert.doesNotMatch(server.stderr(), /keys Tandem does not use/);
  });

  it('enforces requirements.toml on threads and turns', async () => {
    await boot({ 'requirements.toml': 'allowed_approval_policies = ["untrusted", "on-request"]\nallowed_sandbox_modes = ["read-only", "workspace-write"]\n', 'config.toml': 'model_provider = "ollama"\n' });
    const requirements = await server.client.request('configRequirements/read');
    assert.deepEqual(requirements.result.requirements, { allowedApprovalPolicies: ['untrusted', 'on-request'], allowedSandboxModes: ['read-only', 'workspace-write'] });
    const refused = await server.client.request('thread/start', { sandbox: 'danger-full-access' });
    assert.match(refused.error!.message, /sandbox mode danger-full-access is not allowed by requirements\.toml; allowed: read-only, workspace-write/);
    const thread = await server.client.request('thread/start', { cwd: temp.workspace });
    const turn = await server.client.request('turn/start', { threadId: thread.result.thread.id, input: [{ type: 'text', text: 'x' }], approvalPolicy: 'never' });
    assert.match(turn.error!.message, /approval policy never is not allowed/);
  });
});
