// The context a thread's model history starts with (developer message with the skills, AGENTS.md,
// environment), built fresh from the thread's settings; compaction rebuilds it the same way.
import type { ResponseItem } from '../model/responseItems';
import { discoverSkills } from '../skills/discovery';
import { renderSkillsInstructions } from '../skills/render';
import { loadInstructions } from './agentsMd';
import { currentEnvironment, initialContextItems } from './environmentContext';
import type { ThreadSession } from './threadSession';
import { collaborationModeText } from './collaborationMode';
import { deferredToolsText, type DeferredNamespaces } from './deferredTools';

/** `deferred`: the namespaces a model that searches its tools can find (named in the developer context). */
export async function buildInitialContext(session: ThreadSession, deferred?: DeferredNamespaces): Promise<ResponseItem[]> {
  const settings = session.settings;
  const docs = instructionsOf(session);
  const skills = await discoverSkills(settings.cwd, { home: session.services.home });
  return initialContextItems({
    approvalPolicy: settings.approvalPolicy,
    sandbox: settings.sandbox,
    developerInstructions: settings.developerInstructions,
    collaborationModeText: settings.collaborationMode === 'plan' ? collaborationModeText('plan') : undefined,
    skillsInstructions: renderSkillsInstructions(skills),
    deferredToolsText: deferred ? (deferredToolsText(deferred, null) ?? undefined) : undefined,
    projectDocs: docs.text,
    instructionsNameCwd: docs.hasProjectDocs,
    environment: currentEnvironment(settings.cwd, [settings.cwd]),
  });
}

/** The AGENTS.md files a thread's model is given (global, then the project's), as thread responses list them. */
export function instructionsOf(session: ThreadSession) {
  return loadInstructions(session.services.home, session.settings.cwd, session.services.projectDocMaxBytes());
}

/** Puts the initial context at the head of a thread's history if it is not there yet. */
export async function ensureInitialContext(session: ThreadSession, deferred?: DeferredNamespaces): Promise<void> {
  if (!session.contextInjected) session.injectContext(await buildInitialContext(session, deferred));
}
