// The files under a root, respecting .gitignore: ripgrep (`rg --files`) when it is there (the extension
// passes VS Code's bundled one), else a Node walker with the `ignore` package. Lists are cached per root
// and refreshed in the background when they have aged.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore from 'ignore';

/** A tree larger than this is cut off rather than held in memory. */
export const MAX_FILES = 200_000;
const RG_TIMEOUT_MS = 20_000;

/**
 * Lists are served from the cache and re-listed in the background once they are older than
 * `refreshAfterMs`, so a search never waits for a re-list and changes show up within moments. (A recursive
 * fs.watch was tried first: on Linux it walks the whole tree synchronously, over a second for 100,000 files,
 * blocking the server.)
 */
export class FileListCache {
  private readonly lists = new Map<string, { files: Promise<string[]>; listedAt: number; refreshing: boolean }>();

  constructor(
    private readonly rgPath: string | undefined,
    private readonly refreshAfterMs = 2_000,
  ) {}

  /**
   * The files under `root`. When this call starts a fresh listing, `onBatch` sees the files as ripgrep finds
   * them, so a first search matches while the tree is still being walked; every file it sees is in the final
   * list, in the same order. Otherwise (a cached list, one already being made, the fallback walker) it is
   * not called and the caller matches the final list.
   */
  files(root: string, onBatch?: (batch: string[]) => void): Promise<string[]> {
    const resolved = path.resolve(root);
    const cached = this.lists.get(resolved);
    if (!cached) {
      const files = this.list(resolved, onBatch);
      this.lists.set(resolved, { files, listedAt: Date.now(), refreshing: false });
      files.catch(() => this.lists.delete(resolved));
      return files;
    }
    if (!cached.refreshing && Date.now() - cached.listedAt > this.refreshAfterMs) {
      cached.refreshing = true;
      this.list(resolved).then(
        (files) => this.lists.set(resolved, { files: Promise.resolve(files), listedAt: Date.now(), refreshing: false }),
        () => (cached.refreshing = false),
      );
    }
    return cached.files;
  }

  dispose(): void {
    this.lists.clear();
  }

  private list(root: string, onBatch?: (batch: string[]) => void): Promise<string[]> {
    return this.rgPath ? listWithRipgrep(this.rgPath, root, onBatch).catch(() => walk(root)) : walk(root);
  }
}

/**
 * ripgrep's file list, in the order it prints it (the search orders its results itself). A .gitignore counts
 * outside a git repository too, as it does for the walker.
 */
function listWithRipgrep(rg: string, root: string, onBatch?: (batch: string[]) => void): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const files: string[] = [];
    let rest = '';
    const child = spawn(rg, ['--files', '--hidden', '--glob', '!.git', '--no-require-git', '--no-messages'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), RG_TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (files.length >= MAX_FILES) return;
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      const batch = lines.filter(Boolean).slice(0, MAX_FILES - files.length);
      for (const file of batch) files.push(file);
      if (files.length >= MAX_FILES) child.kill();
      if (batch.length > 0) onBatch?.(batch);
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      // Cut off at MAX_FILES on purpose; killed otherwise only by the timeout.
      if (signal && files.length < MAX_FILES) return reject(new Error(`rg was stopped (${signal})`));
      // rg exits 1 when it finds no files; that is an empty list, not an error.
      if (code !== null && code > 1) return reject(new Error(`rg exited with ${code}`));
      if (rest && files.length < MAX_FILES) {
        files.push(rest);
        onBatch?.([rest]);
      }
      resolve(files);
    });
  });
}

async function walk(root: string): Promise<string[]> {
  const files: string[] = [];
  async function visit(dir: string, rules: ReturnType<typeof ignore>): Promise<void> {
    let local = rules;
    try {
      const text = await fs.promises.readFile(path.join(dir, '.gitignore'), 'utf8');
      const prefix = path.relative(root, dir);
      local = ignore().add(rules).add(text.split('\n').map((l) => (prefix && l.trim() && !l.startsWith('#') ? `${prefix}/${l.replace(/^\//, '')}` : l)));
    } catch {
      // no .gitignore here
    }
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (files.length >= MAX_FILES) return;
      if (entry.name === '.git') continue;
      const rel = path.relative(root, path.join(dir, entry.name));
      if (local.ignores(entry.isDirectory() ? `${rel}/` : rel)) continue;
      if (entry.isDirectory()) await visit(path.join(dir, entry.name), local);
      else if (entry.isFile()) files.push(rel);
    }
  }
  await visit(root, ignore());
  return files;
}
