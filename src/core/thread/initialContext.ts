// The context a thread's model history starts with (developer message, AGENTS.md, environment), built
// fresh from the thread's settings; compaction rebuilds it the same way.
import type { ResponseItem } from '../model/responseItems';
import { discoverProjectDocs } from './agentsMd';
import { currentEnvironment, initialContextItems } from './environmentContext';
import type { ThreadSession } from './threadSession';

export async function buildInitialContext(session: ThreadSession): Promise<ResponseItem[]> {
  const settings = session.settings;
  const docs = await discoverProjectDocs(settings.cwd, session.services.projectDocMaxBytes());
  return initialContextItems({
    approvalPolicy: settings.approvalPolicy,
    sandbox: settings.sandbox,
    developerInstructions: settings.developerInstructions,
    projectDocs: docs.text,
    environment: currentEnvironment(settings.cwd, [settings.cwd]),
  });
}
