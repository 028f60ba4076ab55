import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { userCacheDir, type LoadedBundle } from '../../../src/cli/codeCache';

const MODULE = path.resolve(__dirname, '../../../src/cli/codeCache.ts');

/**
 * Loads the bundle in a fresh node, as each `tandem` start does (within one process V8 reuses what it compiled
 * and never looks at the cache), then saves the cache there.
 */
function loadWithCodeCache(file: string, cacheDir: string | null): Pick<LoadedBundle, 'exports' | 'cache'> & { writeCache(): void } {
  const script = `const { loadWithCodeCache } = require(${JSON.stringify(MODULE)});
const loaded = loadWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)});
loaded.writeCache();
process.stdout.write(JSON.stringify({ exports: loaded.exports, cache: loaded.cache }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
  const parsed = JSON.parse(out) as Pick<LoadedBundle, 'exports' | 'cache'>;
  // The child already saved it; kept so the tests read as the loader is used.
  return { ...parsed, writeCache: () => undefined };
}

/** A bundle like the CLI's: a shebang, a require of a built-in, exports; `value` is what it exports. */
function writeBundle(dir: string, value: string): string {
  const file = path.join(dir, 'cli-main.js');
  fs.writeFileSync(file, `#!/usr/bin/env node\nconst path = require('node:path');\nexports.value = ${JSON.stringify(value)};\nexports.dir = path.basename(__dirname);\nexports.isMain = require.main === module;\n`);
  return file;
}

const cacheFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.v8cache')) : []);

describe('cli/codeCache', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-code-cache-'))));

  it('runs the bundle as a module that is not the main one, then writes a cache the next load uses', () => {
    const cacheDir = path.join(root, 'cache');
    const file = writeBundle(root, 'first');
    const first = loadWithCodeCache(file, cacheDir);
    assert.deepEqual(first.exports, { value: 'first', dir: path.basename(root), isMain: false });
    assert.equal(first.cache, 'absent');
    first.writeCache();
    assert.equal(cacheFiles(cacheDir).length, 1);
    assert.equal((fs.statSync(cacheDir).mode & 0o777).toString(8), '700');
    const written = fs.statSync(path.join(cacheDir, cacheFiles(cacheDir)[0]!)).mtimeMs;
    const second = loadWithCodeCache(file, cacheDir);
    assert.equal(second.cache, 'used');
    assert.equal((second.exports as { value: string }).value, 'first');
    assert.equal(fs.statSync(path.join(cacheDir, cacheFiles(cacheDir)[0]!)).mtimeMs, written, 'a start that used the cache does not save it again');
  });

  it('never runs an old cache against a rebuilt bundle of the same length', () => {
    const cacheDir = path.join(root, 'cache');
    const file = writeBundle(root, 'aaaa');
    const first = loadWithCodeCache(file, cacheDir);
    first.writeCache();
    // The same length, so V8's own check would accept the old code.
    fs.rmSync(file);
    writeBundle(root, 'bbbb');
    const rebuilt = loadWithCodeCache(file, cacheDir);
    assert.equal((rebuilt.exports as { value: string }).value, 'bbbb');
    assert.equal(rebuilt.cache, 'absent');
    rebuilt.writeCache();
    assert.equal(cacheFiles(cacheDir).length, 1, 'the old cache is replaced, not kept beside');
  });

  it('ignores a corrupt cache and loads without one when the folder cannot be written', () => {
    const cacheDir = path.join(root, 'cache');
    const file = writeBundle(root, 'x');
    const loaded = loadWithCodeCache(file, cacheDir);
    loaded.writeCache();
    const [name] = cacheFiles(cacheDir);
    fs.writeFileSync(path.join(cacheDir, name!), Buffer.alloc(4096, 7));
    const afterCorruption = loadWithCodeCache(file, cacheDir);
    assert.equal(afterCorruption.cache, 'rejected');
    assert.equal((afterCorruption.exports as { value: string }).value, 'x');
    const blocked = path.join(root, 'a-file');
    fs.writeFileSync(blocked, '');
    const noFolder = loadWithCodeCache(file, path.join(blocked, 'cache'));
    assert.doesNotThrow(() => noFolder.writeCache());
    assert.equal((noFolder.exports as { value: string }).value, 'x');
    assert.equal(loadWithCodeCache(file, null).cache, 'off');
  });

  it('keeps the cache in the user cache folder', () => {
    if (process.platform === 'linux') {
      assert.equal(userCacheDir({ XDG_CACHE_HOME: '/xdg' }), '/xdg/tandem');
      assert.equal(userCacheDir({ XDG_CACHE_HOME: 'relative' }), path.join(os.homedir(), '.cache', 'tandem'));
    }
  });
});
