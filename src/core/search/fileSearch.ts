// Fuzzy file search over one or more roots: the best 50 matches, with indices for highlighting. A new
// search with the same cancellation token ends the earlier one (it answers with no files).
import * as path from 'node:path';
import { FileListCache, type Ripgrep } from './fileList';
import { compileQuery, matchPath, scoreDirectory, scorePath } from './fuzzy';
import { TopMatches, type Candidate } from './topMatches';

export const MAX_RESULTS = 50;

export interface FileSearchResult {
  root: string;
  path: string;
  file_name: string;
  match_type: 'file';
  score: number;
  indices: number[];
}

export class FileSearch {
  private readonly cache: FileListCache;
  private readonly running = new Map<string, AbortController>();

  constructor(ripgrep: Ripgrep | undefined) {
    this.cache = new FileListCache(ripgrep);
  }

  async search(query: string, roots: readonly string[], cancellationToken?: string | null): Promise<FileSearchResult[]> {
    if (query.trim() === '' || roots.length === 0) return [];
    const controller = new AbortController();
    if (cancellationToken) {
      this.running.get(cancellationToken)?.abort();
      this.running.set(cancellationToken, controller);
    }
    try {
      const compiled = compileQuery(query);
      const best = new TopMatches<Candidate>(MAX_RESULTS);
      for (const root of roots) {
        // Paths are only scored here; the few kept get their indices at the end.
        const keep = (into: TopMatches<Candidate>, file: string, score: number | undefined) => {
          if (score !== undefined && into.wants(score, file)) into.add({ root, path: file, score });
        };
        // A first search matches the files as they are listed, a directory at a time; the list then comes whole.
        const streamed = new TopMatches<Candidate>(MAX_RESULTS);
        const keepStreamed = (file: string, score: number) => keep(streamed, file, score);
        let streamedCount = 0;
        const files = await this.cache.files(root, (paths, names) => {
          streamedCount += paths.length;
          if (!controller.signal.aborted) scoreDirectory(compiled, names, paths, keepStreamed);
        });
        if (controller.signal.aborted) return [];
        let found = streamed;
        if (streamedCount === 0 || streamedCount !== files.length) {
          found = new TopMatches<Candidate>(MAX_RESULTS);
          for (let i = 0; i < files.length; i++) {
            // Yield now and then so a newer search can cancel this one mid-way.
            if (i % 5_000 === 4_999) {
              await new Promise((resolve) => setImmediate(resolve));
              if (controller.signal.aborted) return [];
            }
            keep(found, files[i]!, scorePath(compiled, files[i]!));
          }
        }
        for (const candidate of found.values()) best.add(candidate);
      }
      return best.values().map(({ root, path: file, score }) => ({ root, path: file, file_name: path.basename(file), match_type: 'file' as const, score, indices: matchPath(compiled, file)!.indices }));
    } finally {
      if (cancellationToken && this.running.get(cancellationToken) === controller) this.running.delete(cancellationToken);
    }
  }

  dispose(): void {
    this.cache.dispose();
  }
}
