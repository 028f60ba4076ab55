// Fuzzy file search sessions, one set per client: a session keeps its roots, and each query runs a search
// whose files arrive as `updated` and then `completed`. A newer query supersedes a running one, which
// then reports nothing.
import { ErrorCode, RpcError, invalidRequest } from '../../protocol';
import type { FileSearch, FileSearchResult } from './fileSearch';

export interface SearchSessionEvents {
  updated(sessionId: string, query: string, files: FileSearchResult[]): void;
  completed(sessionId: string): void;
}

export class SearchSessions {
  private readonly sessions = new Map<string, { roots: string[]; query: string; generation: number }>();
  private static nextOwner = 0;
  /** Cancellation tokens are shared by every FileSearch caller: this prefix keeps ours apart. */
  private readonly owner = `session-${SearchSessions.nextOwner++}`;

  constructor(
    private readonly search: FileSearch,
    private readonly events: SearchSessionEvents,
  ) {}

  /** Starting an id that exists replaces it. Call `run` once the client has its answer. */
  start(sessionId: string, roots: string[]): void {
    if (roots.length === 0) throw new RpcError(ErrorCode.Internal, 'failed to start fuzzy file search session: at least one search directory is required');
    this.sessions.set(sessionId, { roots, query: '', generation: 0 });
  }

  update(sessionId: string, query: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) throw invalidRequest(`fuzzy file search session not found: ${sessionId}`);
    session.query = query;
  }

  /** Stopping an unknown session is not an error. */
  stop(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  /** Searches for the session's current query and reports it, unless a newer query or a stop came first. */
  async run(sessionId: string): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    const generation = ++session.generation;
    const query = session.query;
    const files = await this.search.search(query, session.roots, `${this.owner}:${sessionId}`);
    if (this.sessions.get(sessionId) !== session || session.generation !== generation) return;
    this.events.updated(sessionId, query, files);
    this.events.completed(sessionId);
  }

  dispose(): void {
    this.sessions.clear();
  }
}
