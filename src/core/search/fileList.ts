// The files under a root, respecting ignore files as ripgrep does: listed in this process by the walker
// (fileWalker.ts), or by ripgrep when the host prefers it; each stands in should the other fail. Lists are
// cached per root and refreshed in the background when they have aged.
import * as path from 'node:path';
import { walkFiles, type FileBatchListener, type WalkOptions } from './fileWalker';
import { listWithRipgrep } from './ripgrepFiles';

/** A tree larger than this is cut off rather than held in memory. */
export const MAX_FILES = 200_000;

/**
 * A ripgrep executable and its role. One the host hands over as `preferred` (the extension's, bundled with
 * VS Code) lists the files: it walks in its own process, sparing the host's only JS thread, which the
 * background re-lists would otherwise keep busy while the user types. One merely found on PATH only stands in
 * for a failed walk: the walk measured faster than it.
 */
export interface Ripgrep {
  path: string;
  preferred: boolean;
}

/**
 * Lists are served from the cache and re-listed in the background once they are older than
 * `refreshAfterMs`, so a search never waits for a re-list and changes show up within moments. (A recursive
 * fs.watch was tried first: on Linux it walks the whole tree synchronously, over a second for 100,000 files,
 * blocking the server.)
 */
export class FileListCache {
  private readonly lists = new Map<string, { files: Promise<string[]>; listedAt: number; refreshing: boolean }>();
  /** Ends the walks under way (and their threads) once the cache is disposed of. */
  private readonly disposed = new AbortController();

  constructor(
    private readonly ripgrep: Ripgrep | undefined,
    private readonly refreshAfterMs = 2_000,
    private readonly walk: (root: string, options: WalkOptions) => Promise<string[]> = walkFiles,
  ) {}

  /**
   * The files under `root`. When this call starts a fresh listing, `onBatch` sees the files as they are found,
   * a directory's (or a run of them) at a time, so a first search matches while the tree is still being
   * listed; the batches hold the final list's files, each once: in its order, except that the walker hands
   * over what its second thread finds as it comes (see `WalkOptions.onBatch`). Otherwise (a cached list, one
   * already being made, a stand-in lister) it is not called and the caller matches the final list.
   */
  files(root: string, onBatch?: FileBatchListener): Promise<string[]> {
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
    this.disposed.abort();
    this.lists.clear();
  }

  private async list(root: string, onBatch?: FileBatchListener): Promise<string[]> {
    const { ripgrep } = this;
    let streamed = false;
    const seen: FileBatchListener | undefined = onBatch && ((paths, names) => ((streamed = true), onBatch(paths, names)));
    const { signal } = this.disposed;
    const walk = (listener?: FileBatchListener) => this.walk(root, { maxFiles: MAX_FILES, onBatch: listener, signal });
    const rg = ripgrep && ((listener?: FileBatchListener) => listWithRipgrep(ripgrep.path, root, MAX_FILES, listener));
    const [primary, fallback] = rg && ripgrep.preferred ? [rg, walk] : [walk, rg];
    try {
      return await primary(seen);
    } catch (error) {
      // Both list the same files; the other cannot stand in once the caller has seen part of a list.
      if (!fallback || streamed || signal.aborted) throw error;
      return fallback();
    }
  }
}
