// The payloads Tandem writes into rollout lines. Field names follow Codex's rollout format (snake_case).
import type { DynamicToolSpec, TurnPlanStep, SandboxPolicy, SessionSource, ThreadItem, ThreadTokenUsage, TurnError, TurnStatus } from '../../protocol';

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
  /** The project a client assigned the thread to (`thread/start.projectId`). */
  project_id?: string | null;
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
  /** Absent in records written before Tandem had modes: Default. */
  collaboration_mode?: string;
  /** Tandem only; absent before it had the setting (the config's default applies). */
  review_file_changes?: boolean;
}

export type EventRecord =
  | { type: 'task_started'; turn_id: string; started_at: number; root_turn_id?: string }
  /** A turn cut off by a host restart picked up again by the next process (Tandem only). */
  | { type: 'turn_continued'; turn_id: string }
  /** A tool's item as it starts, written before the tool does anything (Tandem only; codex has its own begin events). */
  | { type: 'item_started'; turn_id: string; item: ThreadItem }
  | { type: 'item_completed'; turn_id: string; item: ThreadItem }
  /** A regular turn's user message, recorded as the turn starts, before the model or the context (Tandem only). */
  | { type: 'turn_input'; turn_id: string; item: ThreadItem; message: unknown }
  /** What a patch is about to write: each real path and the SHA-256 of its new content (null: removed). Tandem only. */
  | { type: 'patch_writing'; turn_id: string; item_id: string; files: PatchIntentFile[] }
  /** A call's output, ready while the model still streamed; the history records it after the stream (Tandem only). */
  | { type: 'tool_output'; turn_id: string; item: unknown }
  /** `thread/revert`: the turns from this one on left the thread and its history (Tandem only). */
  | { type: 'thread_reverted'; before_turn_id: string }
  /** The model's latest step list for the turn (Tandem only). */
  | { type: 'plan_updated'; turn_id: string; explanation: string | null; plan: PlanStep[] }
  /** The turn's aggregate diff, at its end (Tandem only). */
  | { type: 'turn_diff'; turn_id: string; diff: string }
  | { type: 'task_complete'; turn_id: string; status: Exclude<TurnStatus, 'inProgress'>; error: TurnError | null; completed_at: number; duration_ms: number }
  | { type: 'token_count'; turn_id: string; info: ThreadTokenUsage }
  | { type: 'thread_name_updated'; thread_name: string | null };

export type PlanStep = TurnPlanStep;

export interface PatchIntentFile {
  path: string;
  sha256: string | null;
}

/** A compaction checkpoint: the summary and the history that replaced everything before it. */
export interface CompactedRecord {
  message: string;
  replacement_history?: unknown[];
}

/** What listing needs of a rollout, read from its head (and cached in the rollout index). */
export interface RolloutSummary {
  threadId: string;
  path: string;
  meta: SessionMeta;
  preview: string;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}
