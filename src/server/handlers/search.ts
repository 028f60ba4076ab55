// fuzzyFileSearch: runs concurrently with everything else; cancellation is by token, not by key.
import { FuzzyFileSearch } from '../../protocol';
import { FileSearch } from '../../core/search/fileSearch';
import type { AppServer } from '../appServer';

export function registerSearchHandlers(server: AppServer, rgPath: string | undefined): void {
  const search = new FileSearch(rgPath);
  server.onShutdown(() => search.dispose());
  server.registry.register(FuzzyFileSearch, {
    key: () => null,
    handle: async (params) => ({ files: await search.search(params.query, params.roots, params.cancellationToken) }),
  });
}
