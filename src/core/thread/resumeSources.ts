// Where thread/resume and thread/fork find a thread's past, the way codex does: a thread that never had a
// turn has no rollout to read, and a resume by path reads the file whatever the id says.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { invalidRequest } from '../../protocol';
import { toResponseItem, type ResponseItem } from '../model/responseItems';
import type { ReconstructedThread } from '../rollout/reconstruct';
import { isContextMessage } from './history';
import type { ThreadSession } from './threadSession';

export const noRolloutFound = (threadId: string) => invalidRequest(`no rollout found for thread id ${threadId}`);

/** No turn ran and no history was given: codex has written no rollout for it then. */
export function neverWritten(session: ThreadSession): boolean {
  return session.turns.length === 0 && !session.activeTurn && session.history.snapshot().every(isContextMessage);
}

/** A stored thread with only its metadata (written when the server stopped): codex would have no rollout. */
export function nothingStored(rebuilt: ReconstructedThread): boolean {
  return rebuilt.turns.length === 0 && rebuilt.history.every(isContextMessage);
}

/** `path` as thread/resume takes it: relative to the home, and it must exist. */
export function resolveRolloutPath(home: string, requested: string): string {
  const file = path.resolve(home, requested);
  if (!fs.existsSync(file)) throw invalidRequest(`failed to resolve rollout path \`${file}\`: file does not exist`);
  return file;
}

/** A loaded thread may be resumed by path only at the rollout it is writing. */
export function checkActivePath(session: ThreadSession, requested: string, file: string): void {
  const active = session.rolloutPath;
  if (active && path.resolve(active) !== file) {
    throw invalidRequest(`cannot resume running thread ${session.id} with stale path: requested \`${requested}\`, active \`${active}\``);
  }
}

/** thread/resume's `history`: Responses API items a new thread starts from. */
export function historyItems(raw: readonly unknown[]): ResponseItem[] {
  if (raw.length === 0) throw invalidRequest('history must not be empty');
  return raw.map((value, index) => {
    const item = toResponseItem(value);
    if (!item) throw invalidRequest(`history[${index}] is not a Responses API item Tandem can send to the model`);
    return item;
  });
}
