// AGENTS.md discovery: from the project root (the nearest ancestor with .git) down to cwd, the first of
// AGENTS.override.md / AGENTS.md in each directory, joined root first, within a byte budget.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export const DEFAULT_PROJECT_DOC_MAX_BYTES = 32 * 1024;
const CANDIDATES = ['AGENTS.override.md', 'AGENTS.md'];

export interface ProjectDocs {
  text: string;
  sources: string[];
  truncated: boolean;
}

export async function findProjectRoot(cwd: string): Promise<string | undefined> {
  let dir = path.resolve(cwd);
  while (true) {
    if (await exists(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export async function discoverProjectDocs(cwd: string, maxBytes = DEFAULT_PROJECT_DOC_MAX_BYTES): Promise<ProjectDocs> {
  const empty = { text: '', sources: [], truncated: false };
  if (maxBytes <= 0) return empty;
  const resolvedCwd = path.resolve(cwd);
  const root = (await findProjectRoot(resolvedCwd)) ?? resolvedCwd;
  const dirs: string[] = [];
  for (let dir = resolvedCwd; ; dir = path.dirname(dir)) {
    dirs.unshift(dir);
    if (dir === root || path.dirname(dir) === dir) break;
  }
  const parts: string[] = [];
  const sources: string[] = [];
  let remaining = maxBytes;
  let truncated = false;
  for (const dir of dirs) {
    for (const name of CANDIDATES) {
      const file = path.join(dir, name);
      let text: string;
      try {
        text = (await fs.readFile(file, 'utf8')).trim();
      } catch {
        continue;
      }
      if (text === '') continue;
      const bytes = Buffer.byteLength(text);
      if (bytes > remaining) {
        text = Buffer.from(text).subarray(0, remaining).toString('utf8').replace(/\uFFFD+$/, '');
        truncated = true;
      }
      if (text) {
        parts.push(text);
        sources.push(file);
        remaining -= Buffer.byteLength(text);
      }
      break;
    }
    if (remaining <= 0) break;
  }
  return { text: parts.join('\n\n'), sources, truncated };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}
