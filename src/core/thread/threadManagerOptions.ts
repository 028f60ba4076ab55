// What a ThreadManager is built with: its home, its services and how it treats turns across restarts.
import type { SessionSource } from '../../protocol';
import type { ProcessManager } from '../exec/processManager';
import type { Logger } from '../log';
import type { ModelAuth } from '../model/responsesClient';
import type { ResponseHeaders } from '../net/httpRequest';
import type { ToolHandler } from '../tools/registry';
import type { ThreadEventSink } from './events';
import type { ThreadSession } from './threadSession';

export interface ThreadManagerOptions {
  home: string;
  logger: Logger;
  events: ThreadEventSink;
  auth: ModelAuth;
  configOverrides?: readonly string[];
  /** Where a thread without `cwd` runs. */
  defaultCwd: string;
  /** `review_file_changes` when the config does not set it (the extension: true). */
  reviewFileChangesByDefault?: boolean;
  source: SessionSource;
  /** Extra tools every thread offers besides the built-ins (a turn waits for `prepareTools` first). */
  tools?: (session: ThreadSession) => ToolHandler[];
  prepareTools?: (session: ThreadSession, signal: AbortSignal) => Promise<void>;
  /** Record per-turn checkpoints of the files turns change (default true). */
  checkpoints?: boolean;
  processes?: ProcessManager;
  /**
   * Keep a turn going across a restart of the hosting process (the extension host reloads with the
   * window): shutdown leaves running turns unfinished, and loading such a thread continues its last turn.
   */
  continueUnfinishedTurns?: boolean;
  /** Sees the headers of every model response (rate limits). */
  onResponseHeaders?: (headers: ResponseHeaders) => void;
}
