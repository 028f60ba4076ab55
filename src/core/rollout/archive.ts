// Archive moves a rollout from sessions/YYYY/MM/DD/ to archived_sessions/ (flat); unarchive moves it back.
// Both refuse a file that is not a rollout of that thread inside the expected folder.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { archivedSessionsDir, parseRolloutFileName, sessionsDir } from './paths';

function checkRollout(file: string, threadId: string, expectedRoot: string): void {
  const resolved = path.resolve(file);
  const root = path.resolve(expectedRoot) + path.sep;
  if (!resolved.startsWith(root)) throw new Error(`refusing to move ${file}: it is not inside ${expectedRoot}`);
  const parsed = parseRolloutFileName(path.basename(resolved));
  if (!parsed || parsed.threadId !== threadId.toLowerCase()) throw new Error(`refusing to move ${file}: it is not the rollout of thread ${threadId}`);
}

export async function archiveRollout(home: string, threadId: string, file: string): Promise<string> {
  checkRollout(file, threadId, sessionsDir(home));
  const target = path.join(archivedSessionsDir(home), path.basename(file));
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.rename(file, target);
  return target;
}

export async function unarchiveRollout(home: string, threadId: string, file: string): Promise<string> {
  checkRollout(file, threadId, archivedSessionsDir(home));
  const parsed = parseRolloutFileName(path.basename(file))!;
  const target = path.join(sessionsDir(home), parsed.year, parsed.month, parsed.day, path.basename(file));
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.rename(file, target);
  return target;
}
