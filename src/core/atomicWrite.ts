// Writes a file so that readers see the old content or the new, never half of it: write a temp file
// beside the target, then rename it over the target.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export async function writeFileAtomic(target: string, content: string, mode: number): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.tandem-${randomBytes(4).toString('hex')}.tmp`);
  try {
    // On disk before the rename, so a crash leaves the old content or the new, never an empty file.
    const handle = await fs.open(temp, 'w', mode);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** The permission bits of a file, or `fallback` when it does not exist. */
export async function modeOf(file: string, fallback: number): Promise<number> {
  return fs.stat(file).then((s) => s.mode & 0o7777, () => fallback);
}
