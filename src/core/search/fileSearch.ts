// Fuzzy file search over one or more roots: the best 50 matches, with indices for highlighting. A new
// search with the same cancellation token ends the earlier one (it answers with no files).
import * as path from 'node:path';
import { FileListCache } from './fileList';
import { compileQuery, matchPath } from './fuzzy';

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

  constructor(rgPath: string | undefined) {
    this.cache = new FileListCache(rgPath);
  }

  async search(query: string, roots: readonly string[], cancellationToken?: string | null): Promise<FileSearchResult[]> {
    if (query.trim() === '' || roots.length === 0) return [];
    const controller = new AbortController();
    if (cancellationToken) {
      this.running.get(cancellationToken)?.abort();
      this.running.set(cancellationToken, controller);
    }
    try {
      const results: FileSearchResult[] = [];
      const compiled = compileQuery(query);
      for (const root of roots) {
        const matchInto = (into: FileSearchResult[], file: string) => {
          const match = matchPath(compiled, file);
          if (match) into.push({ root, path: file, file_name: path.basename(file), match_type: 'file', score: match.score, indices: match.indices });
        };
        // A first search matches the files as they are listed; the list then comes whole.
        const streamed: FileSearchResult[] = [];
        let streamedCount = 0;
        const files = await this.cache.files(root, (batch) => {
          streamedCount += batch.length;
          if (!controller.signal.aborted) for (const file of batch) matchInto(streamed, file);
        });
        if (controller.signal.aborted) return [];
        if (streamedCount > 0 && streamedCount === files.length) {
          results.push(...streamed);
          continue;
        }
        for (let i = 0; i < files.length; i++) {
          // Yield now and then so a newer search can cancel this one mid-way.
          if (i % 5_000 === 4_999) {
            await new Promise((resolve) => setImmediate(resolve));
            if (controller.signal.aborted) return [];
          }
          matchInto(results, files[i]!);
        }
      }
      return results.sort((a, b) => b.score - a.score || a.path.length - b.path.length || a.path.localeCompare(b.path)).slice(0, MAX_RESULTS);
    } finally {
      if (cancellationToken && this.running.get(cancellationToken) === controller) this.running.delete(cancellationToken);
    }
  }

  dispose(): void {
    this.cache.dispose();
  }
}
