import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileSearch } from '../../../../src/core/search/fileSearch';
import { fuzzyMatch } from '../../../../src/core/search/fuzzy';
import { FileListCache } from '../../../../src/core/search/fileList';

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-search-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('core/search', () => {
  it('matches characters in order, gives indices, and ranks file-name and word-start matches higher', () => {
    const match = fuzzyMatch('chv', 'src/vscode/chatView.ts')!;
    assert.deepEqual(match.indices, [11, 12, 15]);
    assert.equal(fuzzyMatch('xyz', 'src/chatView.ts'), undefined);
    assert.equal(fuzzyMatch('', 'anything'), undefined);
    const name = fuzzyMatch('inproc', 'src/server/transports/inProcess.ts')!;
    const scattered = fuzzyMatch('inproc', 'src/index/parser/rollout/chunk.ts')!;
    assert.ok(name.score > scattered.score);
    assert.ok(fuzzyMatch('readme', 'README.md')!.score > fuzzyMatch('readme', 'docs/really/edit/my/notes.md')!.score);
  });

  it('treats whitespace as separating terms that must all match, in any order', () => {
    const match = fuzzyMatch('view chat', 'src/vscode/chatView.ts')!;
    assert.deepEqual(match.indices, [11, 12, 13, 14, 15, 16, 17, 18]);
    assert.equal(fuzzyMatch('chat nothere', 'src/vscode/chatView.ts'), undefined);
    assert.equal(fuzzyMatch('   ', 'src/vscode/chatView.ts'), undefined);
  });

  it('walks without ripgrep, honouring nested .gitignore files', async () => {
    const root = tree({ '.gitignore': 'node_modules/\n*.log\n', 'src/a.ts': '', 'debug.log': '', 'node_modules/x/index.js': '', 'pkg/.gitignore': 'gen/\n', 'pkg/gen/out.ts': '', 'pkg/keep.ts': '' });
    const search = new FileSearch(undefined);
    const files = (await search.search('ts', [root])).map((f) => f.path).sort();
    assert.deepEqual(files, ['pkg/keep.ts', 'src/a.ts']);
    assert.deepEqual(await search.search('log', [root]), []);
    search.dispose();
  });

  it('serves a cached list and picks up new files after a background refresh', async () => {
    const root = tree({ 'a.ts': '' });
    const cache = new FileListCache(undefined, 50);
    assert.deepEqual(await cache.files(root), ['a.ts']);
    fs.writeFileSync(path.join(root, 'b.ts'), '');
    assert.deepEqual(await cache.files(root), ['a.ts'], 'fresh enough: served from the cache');
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.deepEqual(await cache.files(root), ['a.ts'], 'stale: still served at once, while it re-lists');
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.deepEqual((await cache.files(root)).sort(), ['a.ts', 'b.ts']);
    cache.dispose();
  });
});
