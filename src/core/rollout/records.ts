// The payloads Tandem writes into rollout lines. Field names follow Codex's rollout format (snake_case).
import type { DynamicToolSpec, SandboxPolicy, SessionSource, ThreadItem, ThreadTokenUsage, TurnError, TurnStatus } from '../../protocol';

export interface SessionMeta {
  id: string;
  forked_from_id: string | null;
  timestamp: string;
  cwd: string;
  originator: string;
  cli_version: string;
  source: SessionSource;
  model_provider: string;
  model: string;
  reasoning_effort: string | null;
  base_instructions: { text: string };
  git: { commit_hash: string | null; branch: string | null; repository_url: string | null } | null;
  dynamic_tools?: DynamicToolSpec[];
}

export interface TurnContextRecord {
  turn_id: string;
  cwd: string;
  approval_policy: string;
  sandbox_policy: SandboxPolicy;
  model: string;
  model_provider: string;
  effort: string | null;
  summary: string;
}

export type EventRecord =
  | { type: 'task_started'; turn_id: string; started_at: number }
  /** A turn cut off by a host restart picked up again by the next process (Tandem only). */
  | { type: 'turn_continued'; turn_id: string }
  | { type: 'item_completed'; turn_id: string; item: ThreadItem }
  | { type: 'task_complete'; turn_id: string; status: Exclude<TurnStatus, 'inProgress'>; error: TurnError | null; completed_at: number; duration_ms: number }
  | { type: 'token_count'; turn_id: string; info: ThreadTokenUsage }
  | { type: 'thread_name_updated'; thread_name: string | null };

/** A compaction checkpoint: the summary and the history that replaced everything before it. */
export interface CompactedRecord {
  message: string;
  replacement_history?: unknown[];
}
