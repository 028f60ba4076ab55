// fuzzyFileSearch and its sessions: snake_case result fields, as Codex sends them.
import { z } from 'zod';
import { lazy } from './lazy';
import { notification, request } from './method';

const FuzzyFileSearchResult = lazy(() => z.object({
  root: z.string(),
  path: z.string(),
  file_name: z.string(),
  match_type: z.enum(['file', 'directory']),
  score: z.number().int().nonnegative(),
  indices: z.array(z.number().int().nonnegative()).nullable(),
}));

export const FuzzyFileSearch = request(
  'fuzzyFileSearch',
  () => z.object({ query: z.string(), roots: z.array(z.string()), cancellationToken: z.string().nullish() }),
  () => z.object({ files: z.array(FuzzyFileSearchResult) }),
);

/** A search session (experimental): started over roots, updated with each query, answered by notifications. */
export const FuzzyFileSearchSessionStart = request('fuzzyFileSearch/sessionStart', () => z.object({ sessionId: z.string(), roots: z.array(z.string()) }), () => z.object({}));
export const FuzzyFileSearchSessionUpdate = request('fuzzyFileSearch/sessionUpdate', () => z.object({ sessionId: z.string(), query: z.string() }), () => z.object({}));
export const FuzzyFileSearchSessionStop = request('fuzzyFileSearch/sessionStop', () => z.object({ sessionId: z.string() }), () => z.object({}));

export const FuzzyFileSearchSessionUpdated = notification(
  'fuzzyFileSearch/sessionUpdated',
  () => z.object({ sessionId: z.string(), query: z.string(), files: z.array(FuzzyFileSearchResult) }),
);
export const FuzzyFileSearchSessionCompleted = notification('fuzzyFileSearch/sessionCompleted', () => z.object({ sessionId: z.string() }));
