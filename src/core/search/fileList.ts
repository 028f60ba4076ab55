// The files under a root, respecting .gitignore: ripgrep (`rg --files`) when it is there (the extension
// passes VS Code's bundled one), else a Node walker with the `ignore` package. Lists are cached per root
// and dropped when a watcher sees a change.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore from 'ignore';

/** A tree larger than this is cut off rather than held in memory. */
export const MAX_FILES = 200_000;
const RG_TIMEOUT_MS = 20_000;

export class FileListCache {
  private readonly lists = new Map<string, Promise<string[]>>();
  private readonly watchers = new Map<string, fs.FSWatcher>();

  constructor(private readonly rgPath: string | undefined) {}

  files(root: string): Promise<string[]> {
    const resolved = path.resolve(root);
    let list = this.lists.get(resolved);
    if (!list) {
      list = this.rgPath ? listWithRipgrep(this.rgPath, resolved).catch(() => walk(resolved)) : walk(resolved);
      this.lists.set(resolved, list);
      this.watch(resolved);
    }
    return list;
  }

  dispose(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    this.lists.clear();
  }

  private watch(root: string): void {
    if (this.watchers.has(root)) return;
    try {
      const watcher = fs.watch(root, { recursive: true }, () => this.lists.delete(root));
      watcher.on('error', () => this.lists.delete(root));
      watcher.unref();
      this.watchers.set(root, watcher);
    } catch {
      // No watcher here: the list is re-read on every search instead of going stale.
      setImmediate(() => this.lists.delete(root));
    }
  }
}

function listWithRipgrep(rg: string, root: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(rg, ['--files', '--hidden', '--glob', '!.git', '--no-messages'], { cwd: root, maxBuffer: 256 * 1024 * 1024, timeout: RG_TIMEOUT_MS }, (error, stdout) => {
      // rg exits 1 when it finds no files; that is an empty list, not an error.
      if (error && (error as { code?: number }).code !== 1) return reject(error);
      resolve(stdout.split('\n').filter(Boolean).slice(0, MAX_FILES).sort());
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
  return files.sort();
}
