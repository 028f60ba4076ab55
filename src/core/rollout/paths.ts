// Where rollouts live: $TANDEM_HOME/sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<id>.jsonl (local time),
// and archived ones flat in $TANDEM_HOME/archived_sessions/.
import * as path from 'node:path';

export const sessionsDir = (home: string) => path.join(home, 'sessions');
export const archivedSessionsDir = (home: string) => path.join(home, 'archived_sessions');

const pad = (n: number) => String(n).padStart(2, '0');

export function rolloutFileName(createdAt: Date, threadId: string): string {
  const d = createdAt;
  const stamp = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}`;
  return `rollout-${stamp}-${threadId}.jsonl`;
}

export function rolloutPath(home: string, createdAt: Date, threadId: string): string {
  const d = createdAt;
  return path.join(sessionsDir(home), String(d.getFullYear()), pad(d.getMonth() + 1), pad(d.getDate()), rolloutFileName(createdAt, threadId));
}

const FILE_PATTERN = /^rollout-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})-([0-9a-f-]{36})\.jsonl$/i;

/** The thread id and the date folder a rollout file name encodes, or undefined for other files. */
export function parseRolloutFileName(name: string): { threadId: string; year: string; month: string; day: string } | undefined {
  const match = FILE_PATTERN.exec(name);
  if (!match) return undefined;
  return { threadId: match[7]!.toLowerCase(), year: match[1]!, month: match[2]!, day: match[3]! };
}

/** The home a rollout file lives in: the folder above its `sessions` or `archived_sessions` folder. */
export function homeOfRollout(file: string): string | undefined {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const name = path.basename(dir);
    if (name === 'sessions' || name === 'archived_sessions') return path.dirname(dir);
  }
  return undefined;
}
