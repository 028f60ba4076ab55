import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnStdioServer, type SpawnedServer } from '../support/protocolClient';
import { makeTempHome } from '../support/tempHome';

describe('integration: fuzzyFileSearch', function () {
  this.timeout(30_000);
  let server: SpawnedServer;
  let root: string;

  before(() => {
    root = makeTempHome().workspace;
    const files = ['src/vscode/chatView.ts', 'src/server/transports/inProcess.ts', 'README.md', 'build/out.js', 'notes.log'];
    for (let i = 0; i < 300; i++) files.push(`lib/module${i}/index.ts`);
    for (const rel of files) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), '');
    }
    fs.writeFileSync(path.join(root, '.gitignore'), 'build/\n*.log\n');
    fs.mkdirSync(path.join(root, '.git'));
  });
  beforeEach(async () => {
    server = spawnStdioServer();
    await server.client.initialize();
  });
  afterEach(() => server.close());

  it('finds files by fuzzy query with scores and indices, skipping ignored files', async () => {
    const response = await server.client.request('fuzzyFileSearch', { query: 'chatview', roots: [root] });
    const [best] = response.result.files;
    assert.equal(best.path, 'src/vscode/chatView.ts');
    assert.equal(best.file_name, 'chatView.ts');
    assert.equal(best.root, root);
    assert.equal(best.match_type, 'file');
    assert.deepEqual(best.indices, [11, 12, 13, 14, 15, 16, 17, 18]);
    const ignored = await server.client.request('fuzzyFileSearch', { query: 'out', roots: [root] });
    assert.ok(!ignored.result.files.some((f: { path: string }) => f.path.startsWith('build/')));
    const logs = await server.client.request('fuzzyFileSearch', { query: 'notes.log', roots: [root] });
    assert.deepEqual(logs.result.files, []);
    const many = await server.client.request('fuzzyFileSearch', { query: 'index', roots: [root] });
    assert.equal(many.result.files.length, 50, 'the best 50');
    assert.deepEqual((await server.client.request('fuzzyFileSearch', { query: '', roots: [root] })).result, { files: [] });
  });

  it('cancels an earlier search with the same token', async () => {
    const [first, second] = await Promise.all([
      server.client.request('fuzzyFileSearch', { query: 'inprocess', roots: [root], cancellationToken: 'typing' }),
      server.client.request('fuzzyFileSearch', { query: 'inprocess', roots: [root], cancellationToken: 'typing' }),
    ]);
    assert.deepEqual(first!.result.files, [], 'the earlier search answers with nothing');
    assert.equal(second!.result.files[0].path, 'src/server/transports/inProcess.ts');
  });

  it('runs a session: each query answered by sessionUpdated then sessionCompleted, until stopped', async () => {
    const session = spawnStdioServer();
    try {
      const { client } = session;
      await client.initialize('tandem_test', { experimentalApi: true });
      const done = (n: number) => client.waitFor(() => client.notifications('fuzzyFileSearch/sessionCompleted').length >= n);
      assert.deepEqual((await client.request('fuzzyFileSearch/sessionStart', { sessionId: 's1', roots: [root] })).result, {});
      await done(1);
      assert.deepEqual((await client.request('fuzzyFileSearch/sessionUpdate', { sessionId: 's1', query: 'chatview' })).result, {});
      await done(2);
      const updates = client.notifications('fuzzyFileSearch/sessionUpdated').map((m) => m.params);
      assert.deepEqual(updates.map((u) => [u.sessionId, u.query, u.files.length > 0]), [['s1', '', false], ['s1', 'chatview', true]]);
      assert.equal(updates[1].files[0].path, 'src/vscode/chatView.ts');
      const methods = client.received.filter((m) => m.method?.startsWith('fuzzyFileSearch/')).map((m) => m.method);
      assert.deepEqual(methods, ['fuzzyFileSearch/sessionUpdated', 'fuzzyFileSearch/sessionCompleted', 'fuzzyFileSearch/sessionUpdated', 'fuzzyFileSearch/sessionCompleted']);
      assert.deepEqual((await client.request('fuzzyFileSearch/sessionStop', { sessionId: 's1' })).result, {});
      assert.deepEqual((await client.request('fuzzyFileSearch/sessionStop', { sessionId: 'never' })).result, {}, 'stopping an unknown session is fine');
      assert.deepEqual((await client.request('fuzzyFileSearch/sessionUpdate', { sessionId: 's1', query: 'x' })).error, { code: -32600, message: 'fuzzy file search session not found: s1' });
      assert.deepEqual((await client.request('fuzzyFileSearch/sessionStart', { sessionId: 's2', roots: [] })).error, {
        code: -32603,
        message: 'failed to start fuzzy file search session: at least one search directory is required',
      });
    } finally {
      await session.close();
    }
  });

  it('serves sessions only to experimentalApi clients, as codex', async () => {
    const refused = await server.client.request('fuzzyFileSearch/sessionStart', { sessionId: 's', roots: [root] });
    assert.deepEqual(refused.error, { code: -32600, message: 'fuzzyFileSearch/sessionStart requires experimentalApi capability' });
  });
});
