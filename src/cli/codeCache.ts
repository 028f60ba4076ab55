// Loads the CLI's bundle with a V8 code cache. Compiling the bundle and the functions that answer the first
// requests is about a third of a cold start; with the cache V8 deserializes them instead. The cache lives in
// the user's cache folder, named after the bundle's file (size, times, inode) and the Node version: V8 checks
// only the source's length, so a rebuilt bundle of the same size must not meet an old cache. Anything wrong with the
// cache (missing, rejected, unwritable) just means a normal compile.
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** `$XDG_CACHE_HOME/tandem` (Linux), `~/Library/Caches/tandem` (macOS), `%LOCALAPPDATA%\tandem\cache` (Windows). */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'tandem');
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local'), 'tandem', 'cache');
  const xdg = env.XDG_CACHE_HOME?.trim();
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'tandem');
}

export interface LoadedBundle {
  exports: unknown;
  /** What became of the cache: used, rejected by V8 (another V8 or flags), absent, or off (no folder). */
  cache: 'used' | 'rejected' | 'absent' | 'off';
  /** Saves what has been compiled so far, unless a cache was used (nor when called again). */
  writeCache(): void;
}

export function loadWithCodeCache(file: string, cacheDir: string | null): LoadedBundle {
  const source = readSource(file);
  const prefix = `${path.basename(file, '.js')}-`;
  const cacheFile = cacheDir ? path.join(cacheDir, `${prefix}${bundleKey(file)}-${process.version}-${process.arch}.v8cache`) : null;
  const cachedData = cacheFile ? readIfPresent(cacheFile) : undefined;
  // The bundle starts with a shebang line, which only a file run by node itself may have.
  const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  const script = new vm.Script(Module.wrap(body), { filename: file, cachedData });
  const cache = !cacheFile ? 'off' : !cachedData ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  // Serializing the compiled code is ~10 ms: a start that found its cache does not pay it again.
  let written = cache === 'used';
  const writeCache = () => {
    if (written || !cacheFile) return;
    written = true;
    saveCache(script, cacheFile, prefix);
  };
  return { exports: mod.exports, cache, writeCache };
}

/**
 * Names this build of the bundle: its size, change times and inode (hashing 1.5 MB of source costs more),
 * written out rather than hashed, since loading node's crypto alone is a few milliseconds of a start.
 */
function bundleKey(file: string): string {
  const stat = fs.statSync(file, { bigint: true });
  return [stat.size, stat.mtimeNs, stat.ctimeNs, stat.ino].map((n) => n.toString(36)).join('.');
}

/** The bundle's text; an ASCII bundle (esbuild escapes what is not) skips UTF-8 decoding, a few ms of 1 MB. */
function readSource(file: string): string {
  const bytes = fs.readFileSync(file);
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes the cache (atomically); older caches of the bundle go. */
function saveCache(script: vm.Script, cacheFile: string, prefix: string): void {
  try {
    const data = script.createCachedData();
    const dir = path.dirname(cacheFile);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temp, data, { mode: 0o600 });
    fs.renameSync(temp, cacheFile);
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith(prefix) && name.endsWith('.v8cache') && path.join(dir, name) !== cacheFile) fs.rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    // a read-only or full disk: the next start compiles again
  }
}
