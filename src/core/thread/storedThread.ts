// Protocol views of threads that are on disk but not loaded (status `notLoaded`).
import type { Thread, Turn } from '../../protocol';
import type { RolloutSummary } from '../rollout/listing';
import type { ReconstructedThread } from '../rollout/reconstruct';
import { localThreadFields } from './threadView';

export function threadFromRebuilt(rebuilt: ReconstructedThread, file: string, includeTurns: boolean): Thread {
  return threadFromSummary(
    {
      threadId: rebuilt.meta.id,
      path: file,
      meta: rebuilt.meta,
      preview: rebuilt.preview,
      createdAt: Math.floor(Date.parse(rebuilt.meta.timestamp) / 1000),
      updatedAt: Math.floor(Date.parse(rebuilt.meta.timestamp) / 1000),
      archived: false,
    },
    rebuilt.name,
    includeTurns ? rebuilt.turns : [],
  );
}

export function threadFromSummary(summary: RolloutSummary, name: string | null, turns: Turn[] = []): Thread {
  const meta = summary.meta;
  return {
    ...localThreadFields(meta.cwd, false),
    id: summary.threadId,
    sessionId: summary.threadId,
    forkedFromId: meta.forked_from_id,
    parentThreadId: null,
    preview: summary.preview,
    ephemeral: false,
    model: meta.model ?? null,
    modelProvider: meta.model_provider,
    reasoningEffort: meta.reasoning_effort ?? null,
    createdAt: summary.createdAt,
    updatedAt: summary.updatedAt,
    recencyAt: summary.updatedAt,
    status: { type: 'notLoaded' },
    path: summary.path,
    cwd: meta.cwd,
    cliVersion: meta.cli_version,
    originator: meta.originator,
    source: meta.source,
    threadSource: null,
    agentNickname: null,
    agentRole: null,
    gitInfo: meta.git ? { sha: meta.git.commit_hash, branch: meta.git.branch, originUrl: meta.git.repository_url } : null,
    name,
    projectId: meta.project_id ?? null,
    turns,
  };
}
