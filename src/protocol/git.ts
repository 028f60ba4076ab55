// gitDiffToRemote: a v1 method Codex still serves but no longer prints in its v2 JSON Schema.
import { z } from 'zod';
import { request } from './method';

export const GitDiffToRemote = request('gitDiffToRemote', () => z.object({ cwd: z.string().min(1) }), () => z.object({ sha: z.string(), diff: z.string() }));
