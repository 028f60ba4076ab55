import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileSearch } from '../../../../src/core/search/fileSearch';
import { fuzzyMatch } from '../../../../src/core/search/fuzzy';
import { FileListCache } from '../../../../src/core/search/fileList';
import type { WalkOptions } from '../../../../src/core/search/fileWalker';

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

  it('lists files in process, honouring nested .gitignore files', async () => {
    const root = tree({ '.gitignore': 'node_modules/\n*.log\n', 'src/a.ts': '', 'debug.log': '', 'node_modules/x/index.js': '', 'pkg/.gitignore': 'gen/\n', 'pkg/gen/out.ts': '', 'pkg/keep.ts': '' });
    const search = new FileSearch(undefined);
    const files = (await search.search('ts', [root])).map((f) => f.path).sort();
    assert.deepEqual(files, ['pkg/keep.ts', 'src/a.ts']);
    assert.deepEqual(await search.search('log', [root]), []);
    search.dispose();
  });

  it('hands a fresh listing over in batches as it comes, and a cached one whole', async () => {
    const files: Record<string, string> = { '.gitignore': 'out/\n', 'out/skip.ts': '' };
    for (let i = 0; i < 3000; i++) files[`dir${i % 30}/file_number_${i}.ts`] = '';
    const root = tree(files);
    const cache = new FileListCache(undefined);
    const batches: string[][] = [];
    const listed = await cache.files(root, (batch) => batches.push(batch));
    assert.ok(batches.length > 1, `${batches.length} batch(es)`);
    assert.deepEqual(batches.flat(), listed, 'the batches are the list, in its order');
    assert.equal(listed.length, 3001);
    assert.ok(!listed.includes('out/skip.ts'));
    const again: string[][] = [];
    assert.equal((await cache.files(root, (batch) => again.push(batch))).length, 3001);
    assert.equal(again.length, 0);
    // A search over a fresh listing and one over the cached list agree.
    const search = new FileSearch(undefined);
    const fresh = await search.search('file 29', [root]);
    const cached = await search.search('file 29', [root]);
    assert.deepEqual(fresh, cached);
    assert.equal(fresh.length, 50);
    cache.dispose();
    search.dispose();
  });

  it('falls back to ripgrep when the walk fails before handing anything over', async () => {
    const root = tree({ 'a.ts': '', 'b/c.ts': '' });
    const failing = () => Promise.reject(new Error('walk failed'));
    assert.deepEqual((await new FileListCache({ path: 'rg', preferred: false }, 2_000, failing).files(root)).sort(), ['a.ts', 'b/c.ts']);
    await assert.rejects(new FileListCache(undefined, 2_000, failing).files(root), /walk failed/);
    // Once part of the list has been seen, ripgrep's whole list would repeat it: the failure stands.
    const partly = async (_root: string, options: WalkOptions) => {
      options.onBatch?.(['a.ts'], ['a.ts']);
      throw new Error('walk failed later');
    };
    await assert.rejects(new FileListCache({ path: 'rg', preferred: false }, 2_000, partly).files(root, () => undefined), /walk failed later/);
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
