// What the model is told when a thread's settings change between turns: the collaboration mode, the
// permissions it runs under (approval policy and sandbox) and the folder it works in. Without it the model
// would go on believing the first turn's settings — trying writes a read-only thread refuses, or asking for
// what it may now do. Each is compared with what the history last said, so it is told once per change.
import type { ResponseItem } from '../model/responseItems';
import { currentEnvironment, environmentContextText, escapeXml, permissionsText } from './environmentContext';
import type { ThreadSession } from './threadSession';
import { collaborationModeMessage, modeToldInHistory } from './collaborationMode';

const PERMISSIONS = '<permissions instructions>';
const ENVIRONMENT = '<environment_context>';

/** The text of the last message part in `history` that starts with `prefix`. */
function lastPart(history: readonly ResponseItem[], role: 'developer' | 'user', prefix: string): string | undefined {
  for (let i = history.length - 1; i >= 0; i -= 1) {
    const item = history[i]!;
    if (item.type !== 'message' || item.role !== role) continue;
    const part = item.content.find((c) => c.type === 'input_text' && c.text.startsWith(prefix));
    if (part && part.type === 'input_text') return part.text;
  }
  return undefined;
}

/** Appends the mode, the permissions and the environment again where they differ from what the history last said. */
export function announceSettingsChanges(session: ThreadSession): void {
  const history = session.history.snapshot();
  const { approvalPolicy, sandbox, cwd, collaborationMode } = session.settings;
  if (modeToldInHistory(history) !== collaborationMode) session.appendHistory(collaborationModeMessage(collaborationMode));
  const permissions = permissionsText(approvalPolicy, sandbox);
  const told = lastPart(history, 'developer', PERMISSIONS);
  if (told !== undefined && told !== permissions) {
    session.appendHistory({ type: 'message', role: 'developer', content: [{ type: 'input_text', text: permissions }] });
  }
  const environment = lastPart(history, 'user', ENVIRONMENT);
  // Only a new folder is news: the date in it changes daily without the model needing to hear of it.
  if (environment !== undefined && !environment.includes(`<cwd>${escapeXml(cwd)}</cwd>`)) {
    session.appendHistory({ type: 'message', role: 'user', content: [{ type: 'input_text', text: environmentContextText(currentEnvironment(cwd, [cwd])) }] });
  }
}
