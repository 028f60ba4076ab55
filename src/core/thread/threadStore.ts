// Threads on disk: finding, reading back and listing rollouts (through the rollout index, a cache that is
// reconciled with the files), moving them in and out of the archive, and their names.
import * as fs from 'node:fs/promises';
import { invalidRequest, type Thread, type ThreadListParams } from '../../protocol';
import type { Logger } from '../log';
import { archiveRollout, unarchiveRollout } from '../rollout/archive';
import { findRollout, listRollouts, scanRollouts, summarizeRollout } from '../rollout/listing';
import { reconcileIndex } from '../rollout/indexReconcile';
import { RolloutIndex } from '../rollout/rolloutIndex';
import { appendThreadName, readThreadNames } from '../rollout/nameIndex';
import { readRolloutWithBase } from '../rollout/historyBase';
import { settleInterruptedPatches } from '../rollout/interrupted';
import { reconstructThread, type ReconstructedThread } from '../rollout/reconstruct';
import type { RolloutSummary } from '../rollout/records';
import { threadFromRebuilt } from './storedThread';

export class ThreadStore {
  /** Summaries of every rollout, so listing does not open each file. */
  private readonly index: RolloutIndex;

  constructor(
    private readonly home: string,
    private readonly logger: Logger,
    /** Tells every client about a damaged rollout line that was skipped. */
    private readonly broadcastWarning: (message: string, threadId: string) => void,
  ) {
    this.index = new RolloutIndex(home, () => scanRollouts(home), (index) => reconcileIndex(index, home));
  }

  /** The thread's rollout file (the archived one too when asked), or -32600. */
  async find(threadId: string, archivedToo = false): Promise<string> {
    const file = (await findRollout(this.home, threadId, false, this.index)) ?? (archivedToo ? await findRollout(this.home, threadId, true, this.index) : undefined);
    if (!file) throw invalidRequest(`thread not found: ${threadId}`);
    return file;
  }

  /** Where a thread's rollout is, archived or not: a codex fork reads its source's from there. */
  private readonly locate = async (threadId: string) => (await findRollout(this.home, threadId, false, this.index)) ?? findRollout(this.home, threadId, true, this.index);

  /** Reads a stored thread back; what a crash cut off is settled honestly (see rollout/interrupted.ts). */
  async read(threadId: string, archivedToo = false): Promise<{ file: string; rebuilt: ReconstructedThread }> {
    return this.readAt(await this.find(threadId, archivedToo), threadId);
  }

  /** Reads the rollout at `file` (thread/resume by path); `threadId` names it in warnings and errors. */
  async readAt(file: string, threadId: string): Promise<{ file: string; rebuilt: ReconstructedThread }> {
    const { lines, warnings } = await readRolloutWithBase(file, this.locate);
    for (const warning of warnings) {
      this.logger.warn(warning, { threadId });
      this.broadcastWarning(warning, threadId);
    }
    let rebuilt: ReconstructedThread;
    try {
      rebuilt = reconstructThread(lines, file);
    } catch (error) {
      throw invalidRequest(`cannot read thread ${threadId}: ${(error as Error).message}`);
    }
    await settleInterruptedPatches(rebuilt.turns, rebuilt.interruptedItems ?? new Set(), rebuilt.patchIntents ?? new Map(), rebuilt.recoveredHistory);
    return { file, rebuilt };
  }

  /** A page of stored threads' summaries, newest first, and every thread's name. */
  async list(params: ThreadListParams): Promise<{ page: { data: RolloutSummary[]; nextCursor: string | null }; names: Map<string, string | null> }> {
    const names = await this.names();
    let page;
    try {
      page = await listRollouts(this.index, params, names);
    } catch (error) {
      throw invalidRequest((error as Error).message);
    }
    return { page, names };
  }

  names(): Promise<Map<string, string | null>> {
    return readThreadNames(this.home);
  }

  /** Remembers a thread's name outside its rollout (listing reads names from there). Best effort. */
  async saveName(threadId: string, name: string | null): Promise<void> {
    await appendThreadName(this.home, threadId, name).catch(() => undefined);
  }

  async archive(threadId: string, file: string): Promise<void> {
    let archived: string;
    try {
      archived = await archiveRollout(this.home, threadId, file);
    } catch (error) {
      throw invalidRequest((error as Error).message);
    }
    await this.indexFile(archived, true);
  }

  async unarchive(threadId: string): Promise<Thread> {
    const file = await findRollout(this.home, threadId, true, this.index);
    if (!file) throw invalidRequest(`archived thread not found: ${threadId}`);
    let restored: string;
    try {
      restored = await unarchiveRollout(this.home, threadId, file);
    } catch (error) {
      throw invalidRequest((error as Error).message);
    }
    await this.indexFile(restored, false);
    const { lines } = await readRolloutWithBase(restored, this.locate);
    return threadFromRebuilt(reconstructThread(lines, restored), restored, false);
  }

  /** Deletes a thread's rollout (archived or not) and forgets it. */
  async delete(threadId: string): Promise<void> {
    const file = await this.find(threadId, true);
    try {
      await fs.rm(file);
    } catch (error) {
      throw invalidRequest(`cannot delete thread ${threadId}: ${(error as Error).message}`);
    }
    await this.index.remove(threadId).catch((error: unknown) => this.logger.warn('could not update the rollout index', { error: String(error) }));
  }

  /** Records a thread's current summary once its rollout is on disk. The index is a cache: failures only warn. */
  async put(summary: RolloutSummary): Promise<void> {
    await this.index.put(summary).catch((error: unknown) => this.logger.warn('could not update the rollout index', { error: String(error) }));
  }

  private async indexFile(file: string, archived: boolean): Promise<void> {
    const summary = await summarizeRollout(file, archived);
    if (summary) await this.put(summary);
  }
}
