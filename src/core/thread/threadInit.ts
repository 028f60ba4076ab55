// What a loaded thread starts from: a new thread's settings, or everything its rollout recorded.
import type { DynamicToolSpec, GitInfo, SessionSource, ThreadTokenUsage, Turn } from '../../protocol';
import type { ResponseItem } from '../model/responseItems';
import type { TurnPlan } from '../rollout/reconstruct';
import type { RolloutRecorder } from '../rollout/recorder';
import type { ClientIdentity, ThreadSettings } from './threadSettings';

export interface ThreadInit {
  id: string;
  createdAt: number;
  updatedAt: number;
  forkedFromId: string | null;
  source: SessionSource;
  ephemeral: boolean;
  gitInfo: GitInfo | null;
  cliVersion: string;
  originator: string;
  name: string | null;
  turns: Turn[];
  history: ResponseItem[];
  contextInjected: boolean;
  tokenUsage: ThreadTokenUsage | undefined;
  /** Each turn's latest plan and final diff, as recorded. */
  plans?: Map<string, TurnPlan>;
  diffs?: Map<string, string>;
  recorder: RolloutRecorder | undefined;
  settings: ThreadSettings;
  identity: ClientIdentity;
  dynamicTools?: DynamicToolSpec[];
}
