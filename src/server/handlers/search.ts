// fuzzyFileSearch and its sessions: they run concurrently with everything else; a one-off search is
// cancelled by token, a session's earlier query by its next one.
import {
  FuzzyFileSearch,
  FuzzyFileSearchSessionCompleted,
  FuzzyFileSearchSessionStart,
  FuzzyFileSearchSessionStop,
  FuzzyFileSearchSessionUpdate,
  FuzzyFileSearchSessionUpdated,
} from '../../protocol';
import { findExecutable } from '../../core/exec/sandbox';
import type { Ripgrep } from '../../core/search/fileList';
import { FileSearch } from '../../core/search/fileSearch';
import { SearchSessions } from '../../core/search/searchSessions';
import type { AppServer } from '../appServer';
import type { Connection } from '../connection';

/**
 * `preferredRipgrep` (the extension's, bundled with VS Code) lists the files in its own process; without it
 * the server walks the tree itself, with `rg` on PATH standing in should the walk fail.
 */
export function registerSearchHandlers(server: AppServer, preferredRipgrep: string | undefined): void {
  const search = new FileSearch(searchRipgrep(preferredRipgrep));
  server.onShutdown(() => search.dispose());
  server.registry.register(FuzzyFileSearch, {
    key: () => null,
    handle: async (params) => ({ files: await search.search(params.query, params.roots, params.cancellationToken) }),
  });

  // Sessions belong to the client that started them; its notifications go to it alone.
  const byConnection = new WeakMap<Connection, SearchSessions>();
  const sessionsOf = (connection: Connection) => {
    let sessions = byConnection.get(connection);
    if (!sessions) {
      sessions = new SearchSessions(search, {
        updated: (sessionId, query, files) => server.outgoing.notifyConnection(connection, FuzzyFileSearchSessionUpdated, { sessionId, query, files }),
        completed: (sessionId) => server.outgoing.notifyConnection(connection, FuzzyFileSearchSessionCompleted, { sessionId }),
      });
      byConnection.set(connection, sessions);
    }
    return sessions;
  };
  const runAfter = (sessions: SearchSessions, sessionId: string) => () => void sessions.run(sessionId).catch((error: unknown) => server.logger.warn('a fuzzy file search session failed', { sessionId, error: String(error) }));

  server.registry.register(FuzzyFileSearchSessionStart, {
    key: () => null,
    experimental: true,
    handle: async (params, context) => {
      const sessions = sessionsOf(context.connection);
      sessions.start(params.sessionId, params.roots);
      context.afterResponse(runAfter(sessions, params.sessionId));
      return {};
    },
  });
  server.registry.register(FuzzyFileSearchSessionUpdate, {
    key: () => null,
    experimental: true,
    handle: async (params, context) => {
      const sessions = sessionsOf(context.connection);
      sessions.update(params.sessionId, params.query);
      context.afterResponse(runAfter(sessions, params.sessionId));
      return {};
    },
  });
  server.registry.register(FuzzyFileSearchSessionStop, {
    key: () => null,
    experimental: true,
    handle: async (params, context) => {
      sessionsOf(context.connection).stop(params.sessionId);
      return {};
    },
  });
}

function searchRipgrep(preferred: string | undefined): Ripgrep | undefined {
  if (preferred) return { path: preferred, preferred: true };
  const system = findExecutable('rg');
  return system ? { path: system, preferred: false } : undefined;
}
