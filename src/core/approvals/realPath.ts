// Where a path really lands on disk. A patch names paths lexically, but a symlink anywhere on the way (a
// parent folder, the file itself, even a dangling one) can carry the write out of the workspace, so every
// check works on the path after the file system has resolved it.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** The kernel gives up on longer symlink chains (ELOOP); so do we. */
const MAX_SYMLINK_HOPS = 40;

/**
 * The absolute real path `file` refers to: existing parents resolved with realpath, a final symlink
 * followed (also when its target does not exist yet), missing trailing parts appended as they are.
 */
export async function resolveRealPath(file: string, hops = 0): Promise<string> {
  const absolute = path.resolve(file);
  if (hops > MAX_SYMLINK_HOPS) throw new Error(`too many levels of symbolic links at ${absolute}`);
  try {
    return await fs.realpath(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
  }
  const parent = path.dirname(absolute);
  if (parent === absolute) return absolute;
  const realParent = await resolveRealPath(parent, hops + 1);
  const here = path.join(realParent, path.basename(absolute));
  const link = await fs.readlink(here).catch(() => undefined);
  // A dangling symlink: writing "through" it creates its target, so the target is where the write lands.
  if (link !== undefined) return resolveRealPath(path.resolve(realParent, link), hops + 1);
  return here;
}

/** Where the directory entry itself lives (parents resolved, the last part not followed): what an unlink removes. */
export async function resolveEntryPath(file: string): Promise<string> {
  const absolute = path.resolve(file);
  return path.join(await resolveRealPath(path.dirname(absolute)), path.basename(absolute));
}

export function isInside(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}
