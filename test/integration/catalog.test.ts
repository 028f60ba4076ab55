// The catalogs codex clients read at start-up and in their menus, over a spawned server; the conformance
// hook checks each answer against codex's schema.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Fixture } from '../support/fixture';
import { startThread } from '../support/session';

describe('integration: catalogs', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  beforeEach(() => fixture.start());
  afterEach(() => fixture.close());

  it('lists the built-in permission profiles, page by page, allowed as requirements.toml says', async () => {
    fs.writeFileSync(path.join(fixture.temp.home, 'requirements.toml'), 'allowed_sandbox_modes = ["read-only", "workspace-write"]\n');
    const { client } = await fixture.spawn();
    const all = await client.request('permissionProfile/list', {});
    assert.deepEqual(all.result, {
      data: [
        { id: ':read-only', description: null, allowed: true },
        { id: ':workspace', description: null, allowed: true },
        { id: ':danger-full-access', description: null, allowed: false },
      ],
      nextCursor: null,
    });
    const first = await client.request('permissionProfile/list', { limit: 2 });
    assert.deepEqual(first.result.data.map((p: { id: string }) => p.id), [':read-only', ':workspace']);
    assert.equal(first.result.nextCursor, '2');
    const rest = await client.request('permissionProfile/list', { limit: 2, cursor: first.result.nextCursor });
    assert.deepEqual(rest.result, { data: [{ id: ':danger-full-access', description: null, allowed: false }], nextCursor: null });
    const bad = await client.request('permissionProfile/list', { cursor: 'zzz' });
    assert.deepEqual(bad.error, { code: -32600, message: 'invalid cursor: zzz' });
  });

  it('offers the default and plan collaboration modes to experimental clients only, as codex does', async () => {
    let { client } = await fixture.spawn();
    const gated = await client.request('collaborationMode/list', {});
    assert.deepEqual(gated.error, { code: -32600, message: 'collaborationMode/list requires experimentalApi capability' });
    ({ client } = await fixture.restart({ capabilities: { experimentalApi: true } }));
    const modes = await client.request('collaborationMode/list', {});
    assert.deepEqual(modes.result, {
      data: [
        { name: 'Plan', mode: 'plan', model: null, reasoning_effort: 'medium' },
        { name: 'Default', mode: 'default', model: null, reasoning_effort: null },
      ],
    });
  });

  it('answers empty lists for what Tandem has none of yet: MCP servers, plugins, hooks, features, agents to import', async () => {
    const { temp } = fixture;
    const { client } = await fixture.spawn();
    assert.deepEqual((await client.request('mcpServerStatus/list', { detail: 'full' })).result, { data: [], nextCursor: null });
    assert.deepEqual((await client.request('plugin/list', { cwds: [temp.workspace] })).result, { marketplaces: [], marketplaceLoadErrors: [], featuredPluginIds: [] });
    assert.deepEqual((await client.request('plugin/installed', { installSuggestionPluginNames: ['x'] })).result, { marketplaces: [], marketplaceLoadErrors: [] });
    assert.deepEqual((await client.request('experimentalFeature/list', { limit: 5 })).result, { data: [], nextCursor: null });
    assert.deepEqual((await client.request('externalAgentConfig/detect', { includeHome: true, cwds: [temp.workspace] })).result, { items: [], connectors: [] });
    assert.deepEqual((await client.request('hooks/list', { cwds: [temp.workspace, '/elsewhere'] })).result, {
      data: [
        { cwd: temp.workspace, hooks: [], warnings: [], errors: [] },
        { cwd: '/elsewhere', hooks: [], warnings: [], errors: [] },
      ],
    });
    assert.equal((await client.request('hooks/list', {})).result.data.length, 1, 'no folder means the server’s own');
    const threadId = await startThread(client, { cwd: temp.workspace });
    assert.deepEqual((await client.request('hooks/list', { threadId })).result, { data: [{ cwd: temp.workspace, hooks: [], warnings: [], errors: [] }] });
    const unknown = await client.request('hooks/list', { threadId: '00000000-0000-0000-0000-000000000000' });
    assert.deepEqual(unknown.error, { code: -32600, message: 'thread not found: 00000000-0000-0000-0000-000000000000' });
  });
});
