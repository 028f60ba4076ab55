// Brings the rollout index in line with the rollout files, once per process: a crash between writing a
// rollout and indexing it, lost or truncated index lines, or a file moved by hand must never hide a thread.
// Cheap: one directory walk and a stat per rollout; only new, moved or changed rollouts are read.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { rolloutFiles, summarizeRollout } from './listing';
import { parseRolloutFileName } from './paths';
import type { RolloutIndex } from './rolloutIndex';

/** Past this many stale entries a full rebuild is cheaper than one appended line each. */
const REBUILD_AFTER_STALE = 200;
/** An index with this many lines per thread is rewritten with one line per thread. */
const COMPACT_AT_LINES_PER_THREAD = 4;

export async function reconcileIndex(index: RolloutIndex, home: string): Promise<void> {
  const indexed = new Map(await index.loaded());
  const onDisk = new Map<string, { file: string; archived: boolean }>();
  for (const archived of [false, true]) {
    for (const file of await rolloutFiles(home, archived)) {
      const id = parseRolloutFileName(path.basename(file))?.threadId;
      if (id) onDisk.set(id, { file, archived });
    }
  }
  // The stats run side by side (libuv's thread pool bounds them): this is on the way to the first thread/list.
  const checked = await Promise.all(
    [...onDisk].map(async ([id, found]) => {
      const entry = indexed.get(id);
      const mtime = await fs.stat(found.file).then((s) => Math.floor(s.mtimeMs / 1000), () => undefined);
      return !entry || entry.path !== found.file || entry.archived !== found.archived || (mtime !== undefined && mtime > entry.updatedAt) ? [found] : [];
    }),
  );
  const stale = checked.flat();
  const gone = [...indexed.keys()].filter((id) => !onDisk.has(id));
  if (stale.length > REBUILD_AFTER_STALE) {
    await index.rebuild();
    return;
  }
  for (const id of gone) await index.remove(id);
  for (const { file, archived } of stale) {
    const summary = await summarizeRollout(file, archived);
    if (summary) await index.put(summary);
  }
  if (index.linesPerEntry > COMPACT_AT_LINES_PER_THREAD) await index.compact();
}
