// When a thread is compacted: a share of the model's context window, or less when config says so.
import { CONTEXT_WINDOWS } from '../model/catalog';

export const DEFAULT_CONTEXT_WINDOW = 272_000;
/** Compaction starts when a request would pass this share of the context window. */
const AUTO_COMPACT_SHARE = 0.9;

export interface CompactionLimits {
  contextWindow: number;
  autoCompactLimit: number;
}

export function compactionLimits(model: string, configured: { modelContextWindow: number | null; autoCompactTokenLimit: number | null }): CompactionLimits {
  const contextWindow = configured.modelContextWindow ?? CONTEXT_WINDOWS[model] ?? DEFAULT_CONTEXT_WINDOW;
  const share = Math.floor(contextWindow * AUTO_COMPACT_SHARE);
  return { contextWindow, autoCompactLimit: Math.min(configured.autoCompactTokenLimit ?? share, share) };
}
