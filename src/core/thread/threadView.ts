// A loaded thread as the protocol shows it (\`Thread\`), and its preview: the first thing the user typed.
import type { GitInfo, SessionSource, Thread, ThreadStatus, Turn, UserInput } from '../../protocol';
import { userInputText } from '../rollout/reconstruct';
import type { ThreadSettings } from './threadSettings';

/** What the view reads of a loaded thread. */
export interface ViewedThread {
  readonly id: string;
  readonly forkedFromId: string | null;
  readonly ephemeral: boolean;
  readonly settings: ThreadSettings;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly recencyAt: number | null;
  readonly status: ThreadStatus;
  readonly rolloutPath: string | null;
  readonly cliVersion: string;
  readonly originator: string;
  readonly source: SessionSource;
  readonly gitInfo: GitInfo | null;
  readonly name: string | null;
  readonly turns: readonly Turn[];
  readonly activeTurn: { snapshot(): Turn; readonly input: UserInput[] } | undefined;
}

export function previewOf(thread: ViewedThread): string {
  for (const turn of [...thread.turns, ...(thread.activeTurn ? [thread.activeTurn.snapshot()] : [])]) {
    for (const item of turn.items) {
      if (item.type === 'userMessage') return userInputText(item.content);
    }
  }
  return userInputText(thread.activeTurn?.input ?? []);
}

export function threadView(thread: ViewedThread, includeTurns: boolean): Thread {
  const turns = includeTurns ? [...thread.turns.map((t) => ({ ...t, items: [...t.items] })), ...(thread.activeTurn ? [thread.activeTurn.snapshot()] : [])] : [];
  const { settings } = thread;
  return {
    id: thread.id,
    sessionId: thread.id,
    forkedFromId: thread.forkedFromId,
    parentThreadId: null,
    preview: previewOf(thread),
    ephemeral: thread.ephemeral,
    model: settings.model,
    modelProvider: settings.modelProvider,
    reasoningEffort: settings.reasoningEffort,
    createdAt: thread.createdAt,
    updatedAt: thread.updatedAt,
    recencyAt: thread.recencyAt,
    status: thread.status,
    path: thread.rolloutPath,
    cwd: settings.cwd,
    cliVersion: thread.cliVersion,
    originator: thread.originator,
    source: thread.source,
    threadSource: null,
    agentNickname: null,
    agentRole: null,
    gitInfo: thread.gitInfo,
    name: thread.name,
    projectId: null,
    turns,
  };
}
