// skills/list: the skills a thread in each requested folder would see, read from disk on every call (so
// `forceReload` has nothing to bypass). No folder means the server's default one.
import { SkillsList } from '../../protocol';
import { listSkills } from '../../core/skills/discovery';
import type { AppServer } from '../appServer';

export function registerSkillsHandlers(server: AppServer, home: string, defaultCwd: string): void {
  server.registry.register(SkillsList, {
    key: () => null,
    handle: async (params) => {
      const cwds = params.cwds?.length ? params.cwds : [defaultCwd];
      const data = await Promise.all(cwds.map(async (cwd) => ({ cwd, ...(await listSkills(cwd, { home })) })));
      return { data };
    },
  });
}
