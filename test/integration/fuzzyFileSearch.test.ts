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
});
