import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileListCache, MAX_FILES, type Ripgrep } from '../../../../src/core/search/fileList';
import { FileSearch } from '../../../../src/core/search/fileSearch';
import type { WalkOptions } from '../../../../src/core/search/fileWalker';
import { batchByDirectory, listWithRipgrep } from '../../../../src/core/search/ripgrepFiles';

/** The system's ripgrep, standing in for the one VS Code bundles. */
const RG = '/usr/bin/rg';
const preferred: Ripgrep = { path: RG, preferred: true };

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-rg-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** A tree of `count` files over 40 directories, some nested, with an ignored directory and hidden files. */
function bigTree(count: number): string {
  const files: Record<string, string> = { '.gitignore': 'out/\n*.log\n', 'out/skip.ts': '', 'debug.log': '', '.hidden/seen.ts': '' };
  for (let i = 0; i < count; i++) files[`dir${i % 20}/${i % 40 < 20 ? '' : 'nested/'}file_number_${i}.ts`] = '';
  return tree(files);
}

type Batch = { paths: string[]; names: string[] };

/** Every batch is a run of one directory's files: each path is the batch's directory followed by its name. */
function assertDirectoryRuns(batches: Batch[]): void {
  for (const { paths, names } of batches) {
    assert.ok(paths.length > 0 && paths.length === names.length);
    const dir = paths[0]!.slice(0, paths[0]!.length - names[0]!.length);
    paths.forEach((file, i) => {
      assert.equal(file, dir + names[i], file);
      assert.equal(path.basename(file), names[i]);
    });
  }
}

describe('core/search/ripgrepFiles', () => {
  it('splits paths into runs of consecutive paths of one directory, with their names', () => {
    const batches: Batch[] = [];
    batchByDirectory(['a/x.ts', 'a/y.ts', 'b/z.ts', 'a/w.ts', 'r.ts', 'q.ts', 'a/b/c.ts', 'ab/d.ts'], (paths, names) => batches.push({ paths, names }));
    assert.deepEqual(batches, [
      { paths: ['a/x.ts', 'a/y.ts'], names: ['x.ts', 'y.ts'] },
      { paths: ['b/z.ts'], names: ['z.ts'] },
      { paths: ['a/w.ts'], names: ['w.ts'] },
      { paths: ['r.ts', 'q.ts'], names: ['r.ts', 'q.ts'] },
      { paths: ['a/b/c.ts'], names: ['c.ts'] },
      { paths: ['ab/d.ts'], names: ['d.ts'] },
    ]);
    const none: Batch[] = [];
    batchByDirectory([], (paths, names) => none.push({ paths, names }));
    assert.deepEqual(none, []);
  });

  it('streams ripgrep output in directory runs that are the final list, in order', async () => {
    const root = bigTree(4000);
    const batches: Batch[] = [];
    const listed = await listWithRipgrep(RG, root, MAX_FILES, (paths, names) => batches.push({ paths, names }));
    assert.equal(listed.length, 4002, "the files, .gitignore and .hidden/seen.ts");
    assert.ok(listed.includes(path.join('.hidden', 'seen.ts')) && !listed.includes(path.join('out', 'skip.ts')) && !listed.includes('debug.log'));
    assert.ok(batches.length >= 40, `${batches.length} batch(es)`);
    assertDirectoryRuns(batches);
    assert.deepEqual(
      batches.flatMap((batch) => batch.paths),
      listed,
    );
  });

  it('cuts ripgrep off at the cap, and the batches still are the list', async () => {
    const root = bigTree(3000);
    const batches: Batch[] = [];
    const listed = await listWithRipgrep(RG, root, 1234, (paths, names) => batches.push({ paths, names }));
    assert.equal(listed.length, 1234);
    assertDirectoryRuns(batches);
    assert.deepEqual(
      batches.flatMap((batch) => batch.paths),
      listed,
    );
  });

  it('lists with a preferred ripgrep, not the walker, streaming a fresh listing', async () => {
    const root = bigTree(500);
    let walks = 0;
    const walk = (_root: string, _options: WalkOptions) => ((walks += 1), Promise.reject(new Error('the walker was used')));
    const cache = new FileListCache(preferred, 2_000, walk);
    const batches: Batch[] = [];
    const listed = await cache.files(root, (paths, names) => batches.push({ paths, names }));
    assert.equal(listed.length, 502);
    assert.deepEqual(
      batches.flatMap((batch) => batch.paths),
      listed,
    );
    assert.equal(walks, 0);
    cache.dispose();
  });

  it('finds the same files with a preferred ripgrep as with the walker', async () => {
    const root = bigTree(600);
    fs.writeFileSync(path.join(root, 'README.md'), '');
    fs.mkdirSync(path.join(root, 'src/server/transports'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src/server/transports/inProcess.ts'), '');
    const withRipgrep = new FileSearch(preferred);
    const withWalker = new FileSearch(undefined);
    for (const query of ['file 29', 'nested 3', 'inproc', 'readme', 'seen', 'skip', 'fn1', 'zzz']) {
      // The first search matches the streamed batches, the second the cached list: all agree.
      const fresh = await withRipgrep.search(query, [root]);
      assert.deepEqual(fresh, await withWalker.search(query, [root]), query);
      assert.deepEqual(await withRipgrep.search(query, [root]), fresh, query);
    }
    assert.ok((await withRipgrep.search('inproc', [root])).some((f) => f.path === path.join('src', 'server', 'transports', 'inProcess.ts')));
    withRipgrep.dispose();
    withWalker.dispose();
  });

  it('falls back to the walker when a preferred ripgrep fails, and to ripgrep when the walk fails', async () => {
    const root = tree({ 'a.ts': '', 'b/c.ts': '', '.gitignore': 'd/\n', 'd/e.ts': '' });
    const expected = ['.gitignore', 'a.ts', path.join('b', 'c.ts')];
    const missing: Ripgrep = { path: path.join(root, 'no-such-rg'), preferred: true };
    const seen: string[] = [];
    assert.deepEqual((await new FileListCache(missing).files(root, (paths) => seen.push(...paths))).sort(), expected);
    assert.deepEqual(await new FileSearch(missing).search('c', [root]).then((found) => found.map((f) => f.path)), [path.join('b', 'c.ts')]);
    const failing = () => Promise.reject(new Error('walk failed'));
    assert.deepEqual((await new FileListCache({ path: RG, preferred: false }, 2_000, failing).files(root)).sort(), expected);
    // Both failing: the failure stands.
    await assert.rejects(new FileListCache(missing, 2_000, failing).files(root), /walk failed/);
    // A system ripgrep is only a stand-in: a walk that works is not second-guessed by it.
    assert.deepEqual((await new FileListCache({ path: missing.path, preferred: false }).files(root)).sort(), expected);
  });
});
