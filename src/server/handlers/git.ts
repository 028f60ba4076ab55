// gitDiffToRemote: read-only, so it runs concurrently with everything else.
import * as path from 'node:path';
import { GitDiffToRemote, invalidRequest } from '../../protocol';
import { GitDiffError, gitDiffToRemote } from '../../core/git/diffToRemote';
import type { AppServer } from '../appServer';

export function registerGitHandlers(server: AppServer): void {
  server.registry.register(GitDiffToRemote, {
    key: () => null,
    handle: async (params) => {
      if (!path.isAbsolute(params.cwd)) throw invalidRequest(`cwd must be an absolute path: ${params.cwd}`);
      try {
        return await gitDiffToRemote(params.cwd);
      } catch (error) {
        if (error instanceof GitDiffError) throw invalidRequest(error.message);
        throw error;
      }
    },
  });
}
