// AGENTS.md discovery: the global file in the home (AGENTS.override.md, else AGENTS.md), then the
// project's: from the project root (the nearest ancestor with .git) down to cwd, the first of
// AGENTS.override.md / AGENTS.md in each directory, joined root first, within a byte budget.
// Read synchronously: a handful of small files, and thread responses list them as they answer.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DEFAULT_PROJECT_DOC_MAX_BYTES = 32 * 1024;
const CANDIDATES = ['AGENTS.override.md', 'AGENTS.md'];
/** Between the global instructions and the project's, as codex joins them. */
const PROJECT_DOC_SEPARATOR = '\n\n--- project-doc ---\n\n';

export interface ProjectDocs {
  text: string;
  sources: string[];
  truncated: boolean;
}

/** What the model is told before the first turn: the joined text, and every file it came from. */
export interface Instructions {
  text: string;
  sources: string[];
  /** Whether project docs are part of it (the heading then names the cwd). */
  hasProjectDocs: boolean;
}

export function findProjectRootSync(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (exists(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export async function findProjectRoot(cwd: string): Promise<string | undefined> {
  return findProjectRootSync(cwd);
}

export async function discoverProjectDocs(cwd: string, maxBytes = DEFAULT_PROJECT_DOC_MAX_BYTES): Promise<ProjectDocs> {
  return discoverProjectDocsSync(cwd, maxBytes);
}

export function discoverProjectDocsSync(cwd: string, maxBytes = DEFAULT_PROJECT_DOC_MAX_BYTES): ProjectDocs {
  const empty = { text: '', sources: [], truncated: false };
  if (maxBytes <= 0) return empty;
  const resolvedCwd = path.resolve(cwd);
  const root = findProjectRootSync(resolvedCwd) ?? resolvedCwd;
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
    const found = firstNonEmpty(dir);
    if (found) {
      let text = found.text;
      if (Buffer.byteLength(text) > remaining) {
        text = Buffer.from(text).subarray(0, remaining).toString('utf8').replace(/\uFFFD+$/, '');
        truncated = true;
      }
      if (text) {
        parts.push(text);
        sources.push(found.file);
        remaining -= Buffer.byteLength(text);
      }
    }
    if (remaining <= 0) break;
  }
  return { text: parts.join('\n\n'), sources, truncated };
}

/** The user's own instructions for every project: `<home>/AGENTS.override.md`, else `<home>/AGENTS.md`. */
export function globalInstructions(home: string): { text: string; file: string } | undefined {
  return firstNonEmpty(home);
}

/** The global instructions, then the project's, as one text. */
export function loadInstructions(home: string, cwd: string, maxBytes = DEFAULT_PROJECT_DOC_MAX_BYTES): Instructions {
  const global = globalInstructions(home);
  const project = discoverProjectDocsSync(cwd, maxBytes);
  const texts = [global?.text, project.text].filter((t): t is string => !!t);
  return {
    text: texts.join(PROJECT_DOC_SEPARATOR),
    sources: [...(global ? [global.file] : []), ...project.sources],
    hasProjectDocs: project.text !== '',
  };
}

/** The first candidate in `dir` that has something besides whitespace, trimmed. */
function firstNonEmpty(dir: string): { text: string; file: string } | undefined {
  for (const name of CANDIDATES) {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8').trim();
    } catch {
      continue;
    }
    if (text !== '') return { text, file };
  }
  return undefined;
}

function exists(file: string): boolean {
  try {
    fs.statSync(file);
    return true;
  } catch {
    return false;
  }
}
