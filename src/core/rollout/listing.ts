// Finds rollouts on disk and pages through them for `thread/list`: filter, sort, then cut at an opaque
// cursor (the last row's sort value and id), so pages stay stable while new threads arrive.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ThreadListParams } from '../../protocol';
import { historyBaseOf } from './historyBase';
import { homeOfRollout, parseRolloutFileName, sessionsDir, archivedSessionsDir } from './paths';
import { readRolloutHead } from './reader';
import type { RolloutLine } from './recorder';
import type { EventRecord, RolloutSummary, SessionMeta } from './records';
import { userInputText } from './reconstruct';
import type { RolloutIndex } from './rolloutIndex';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 200;
const INTERACTIVE_SOURCES = new Set(['cli', 'vscode']);

export type { RolloutSummary } from './records';

export async function rolloutFiles(home: string, archived: boolean): Promise<string[]> {
  const root = archived ? archivedSessionsDir(home) : sessionsDir(home);
  const files: string[] = [];
  async function walk(dir: string, depth: number): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth < 3) await walk(full, depth + 1);
      else if (entry.isFile() && parseRolloutFileName(entry.name)) files.push(full);
    }
  }
  await walk(root, 0);
  return files;
}

/** The rollout of a thread: from the index when it knows the file, else by walking the folders. */
export async function findRollout(home: string, threadId: string, archived: boolean, index?: RolloutIndex): Promise<string | undefined> {
  const wanted = threadId.toLowerCase();
  const indexed = (await index?.all())?.get(wanted);
  if (indexed && indexed.archived === archived && (await exists(indexed.path))) return indexed.path;
  return (await rolloutFiles(home, archived)).find((file) => parseRolloutFileName(path.basename(file))?.threadId === wanted);
}

/** Summaries of every rollout, active and archived: what the index is rebuilt from. */
export async function scanRollouts(home: string): Promise<RolloutSummary[]> {
  const summaries: RolloutSummary[] = [];
  for (const archived of [false, true]) {
    const files = await rolloutFiles(home, archived);
    for (const summary of await Promise.all(files.map((file) => summarizeRollout(file, archived)))) if (summary) summaries.push(summary);
  }
  return summaries;
}

const exists = (file: string) => fs.stat(file).then(() => true, () => false);

export async function summarizeRollout(file: string, archived: boolean, depth = 0): Promise<RolloutSummary | undefined> {
  try {
    const [{ lines }, stat] = await Promise.all([readRolloutHead(file), fs.stat(file)]);
    const first = lines[0];
    if (!first || first.type !== 'session_meta') return undefined;
    const meta = first.payload as SessionMeta;
    return {
      threadId: meta.id,
      path: file,
      meta,
      preview: firstUserText(lines) ?? (await previewBeyondHead(file, lines, stat.size, depth)),
      createdAt: Math.floor(Date.parse(meta.timestamp) / 1000),
      updatedAt: Math.floor(stat.mtimeMs / 1000),
      archived,
    };
  } catch {
    return undefined;
  }
}

/** The first message, as completed, or as recorded when its turn started (a crash can leave only that). */
function firstUserText(lines: readonly RolloutLine[]): string | undefined {
  for (const line of lines) {
    const event = line.payload as EventRecord;
    const item = line.type === 'event_msg' && (event.type === 'item_completed' || event.type === 'turn_input') ? event.item : undefined;
    if (item?.type === 'userMessage') return userInputText(item.content);
  }
  return undefined;
}

/**
 * codex puts long context (skills, instructions) before the first message, which can push it past the head;
 * and a thread codex forked starts from its source's lines, so its first message is there.
 */
async function previewBeyondHead(file: string, head: readonly RolloutLine[], size: number, depth: number): Promise<string> {
  if (size > HEAD_BYTES) {
    const text = firstUserText((await readRolloutHead(file, LONG_HEAD_BYTES)).lines);
    if (text !== undefined) return text;
  }
  const base = historyBaseOf(head);
  const home = homeOfRollout(file);
  if (!base || !home || depth >= MAX_FORK_DEPTH) return '';
  const source = (await findRollout(home, base.thread_id, false)) ?? (await findRollout(home, base.thread_id, true));
  return source ? ((await summarizeRollout(source, false, depth + 1))?.preview ?? '') : '';
}

const HEAD_BYTES = 64 * 1024;
const LONG_HEAD_BYTES = 1024 * 1024;
/** Forks of forks followed for a preview; a base that names itself stops here. */
const MAX_FORK_DEPTH = 16;

interface Cursor {
  v: number;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (typeof parsed.v === 'number' && typeof parsed.id === 'string') return parsed;
  } catch {
    // fall through
  }
  throw new Error(`invalid cursor: ${text}`);
}

type SortKey = 'createdAt' | 'updatedAt';
const sortedCache = new WeakMap<RolloutIndex, Map<string, { version: number; sorted: RolloutSummary[] }>>();

/** Page order: by the sort key, then by thread id; `b` is a summary's position or a cursor. */
function pageOrder(key: SortKey, descending: boolean): (a: RolloutSummary, b: { v: number; id: string }) => number {
  return (a, b) => {
    const diff = a[key] - b.v || (a.threadId < b.id ? -1 : a.threadId > b.id ? 1 : 0);
    return descending ? -diff : diff;
  };
}

/**
 * Every summary in page order, sorted once per change of the index: sorting 10,000 summaries for each page
 * was most of a thread/list's time.
 */
function sortedSummaries(index: RolloutIndex, entries: ReadonlyMap<string, RolloutSummary>, key: SortKey, descending: boolean): RolloutSummary[] {
  let byOrder = sortedCache.get(index);
  if (!byOrder) sortedCache.set(index, (byOrder = new Map()));
  const name = `${key}:${descending}`;
  const cached = byOrder.get(name);
  if (cached && cached.version === index.version) return cached.sorted;
  const order = pageOrder(key, descending);
  const sorted = [...entries.values()].sort((a, b) => order(a, { v: b[key], id: b.threadId }));
  byOrder.set(name, { version: index.version, sorted });
  return sorted;
}

/**
 * `names` are the threads' names: like codex, `searchTerm` is a case-sensitive substring of a thread's name
 * or of its first message.
 */
export async function listRollouts(
  index: RolloutIndex,
  params: ThreadListParams,
  names: ReadonlyMap<string, string | null> = new Map(),
): Promise<{ data: RolloutSummary[]; nextCursor: string | null }> {
  // Tandem keeps no sections: every thread is unsectioned, so a section holds none. codex refuses to sort
  // by section position without a section to sort within.
  if (params.sortKey === 'section_position' && (params.sectionId === undefined || params.sectionId === null)) {
    throw new Error('section-position sorting requires a section filter');
  }
  if (params.sectionId !== undefined && params.sectionId !== null) return { data: [], nextCursor: null };
  const archived = params.archived ?? false;
  const limit = Math.min(MAX_PAGE_SIZE, params.limit || DEFAULT_PAGE_SIZE);
  const key = params.sortKey === 'updated_at' || params.sortKey === 'recency_at' ? 'updatedAt' : 'createdAt';
  const descending = (params.sortDirection ?? 'desc') === 'desc';
  const cursor = params.cursor ? decodeCursor(params.cursor) : undefined;
  const cwds = params.cwd === undefined || params.cwd === null ? undefined : new Set(Array.isArray(params.cwd) ? params.cwd : [params.cwd]);
  const providers = params.modelProviders?.length ? new Set(params.modelProviders) : undefined;
  const sources = params.sourceKinds?.length ? new Set(params.sourceKinds) : INTERACTIVE_SOURCES;

  const order = pageOrder(key, descending);
  const afterCursor: RolloutSummary[] = [];
  for (const s of sortedSummaries(index, await index.all(), key, descending)) {
    if (
      (!cursor || order(s, cursor) > 0) &&
      s.archived === archived &&
      (!providers || providers.has(s.meta.model_provider)) &&
      (!cwds || cwds.has(s.meta.cwd)) &&
      sources.has(typeof s.meta.source === 'string' ? s.meta.source : 'subAgent') &&
      (!params.searchTerm || s.preview.includes(params.searchTerm) || names.get(s.threadId)?.includes(params.searchTerm) === true)
    ) {
      afterCursor.push(s);
    }
  }
  // A rollout deleted behind Tandem's back is skipped (and forgotten) rather than listed. The page's
  // candidates are checked side by side: one after another, 25 stats were most of a page's time.
  const data: RolloutSummary[] = [];
  let taken = 0;
  while (taken < afterCursor.length && data.length < limit) {
    const candidates = afterCursor.slice(taken, taken + (limit - data.length));
    const present = await Promise.all(candidates.map((summary) => exists(summary.path)));
    taken += candidates.length;
    for (let i = 0; i < candidates.length; i++) {
      if (present[i]) data.push(candidates[i]!);
      else await index.remove(candidates[i]!.threadId).catch(() => undefined);
    }
  }
  const last = data[data.length - 1];
  const nextCursor = taken < afterCursor.length && last ? encodeCursor({ v: last[key], id: last.threadId }) : null;
  return { data, nextCursor };
}
