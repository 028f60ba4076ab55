// fuzzyFileSearch: snake_case result fields, as Codex sends them.
import { z } from 'zod';
import { request } from './method';

export const FuzzyFileSearch = request(
  'fuzzyFileSearch',
  z.object({ query: z.string(), roots: z.array(z.string()), cancellationToken: z.string().nullish() }),
  z.object({
    files: z.array(
      z.object({
        root: z.string(),
        path: z.string(),
        file_name: z.string(),
        match_type: z.enum(['file', 'directory']),
        score: z.number().int().nonnegative(),
        indices: z.array(z.number().int().nonnegative()).nullable(),
      }),
    ),
  }),
);
