// What a model that searches its tools is told of the namespaces it can search: their names and the first
// line of their descriptions, in a `<tools>` section of the developer context (as codex tells it). The
// first turn lists them all; a later turn tells only what was added, changed or removed since the history
// last said. The section stays within 4 KiB: every name is kept before any description, descriptions share
// what is left (short ones whole, long ones cut evenly), and names are left out only when they alone do
// not fit.
import { modelSearchesTools } from '../model/modelInfo';
import type { ResponseItem } from '../model/responseItems';
import type { ToolRegistry } from '../tools/registry';
import type { ThreadSession } from './threadSession';
import { compareCodeUnits } from '../codeUnitOrder';

const OPEN = '<tools>\n';
const CLOSE = '</tools>';
const ALL = 'Deferred tool namespaces:';
const ADDED = 'Added deferred tool namespaces:';
const REMOVED = 'Removed deferred tool namespaces:';
const NONE_LEFT = 'No deferred tool namespaces remain.';
/** The most a description may say: its first line, up to this many characters. */
const MAX_DESCRIPTION_CHARS = 250;
/** The whole section, in UTF-8 bytes: the model reads the namespaces in every request. */
const MAX_SECTION_BYTES = 4096;
const ELLIPSIS = '...';

/** Namespace name → description (normalized), in name order. */
export type DeferredNamespaces = Map<string, string>;

/**
 * The namespaces the thread's model would search this turn (none for a model given its tools upfront),
 * with the tools they were read from, for the turn to use rather than build again. Waits for the tools'
 * sources (MCP servers) only for a model that searches.
 */
export async function deferredNamespacesFor(session: ThreadSession, signal: AbortSignal): Promise<{ namespaces: DeferredNamespaces; tools?: ToolRegistry }> {
  if (!modelSearchesTools(session.settings.model)) return { namespaces: new Map() };
  await session.services.prepareTools(session, signal);
  const tools = session.services.toolsFor(session);
  return { namespaces: normalizeNamespaces(tools.deferredNamespaces()), tools };
}

/** Tells the model what changed in its deferred namespaces since the history last said (a developer message). */
export function announceDeferredTools(session: ThreadSession, current: DeferredNamespaces): void {
  const text = deferredToolsText(current, toldDeferredTools(session.history.snapshot()));
  if (text !== null) session.appendHistory({ type: 'message', role: 'developer', content: [{ type: 'input_text', text }] });
}

/** The first line, trimmed, capped at 250 characters (the cut ends in "..."). */
export function normalizeDescription(description: string): string {
  const firstLine = description.trim().split('\n', 1)[0]!.trim();
  const chars = [...firstLine];
  return chars.length <= MAX_DESCRIPTION_CHARS ? firstLine : chars.slice(0, MAX_DESCRIPTION_CHARS - ELLIPSIS.length).join('') + ELLIPSIS;
}

export function normalizeNamespaces(namespaces: ReadonlyMap<string, string>): DeferredNamespaces {
  return new Map([...namespaces].sort(([a], [b]) => compareCodeUnits(a, b)).map(([name, description]) => [name, normalizeDescription(description)]));
}

interface Group {
  label: string;
  entries: Array<[string, string]>;
}

/**
 * The `<tools>` section for `current`, or null when there is nothing to tell: the whole list when the
 * history has said nothing yet (`told` null) or last said none remain, else what changed since `told`.
 */
export function deferredToolsText(current: DeferredNamespaces, told: DeferredNamespaces | null): string | null {
  // After "none remain" the list starts over, as at the start.
  if (told === null || told.size === 0) return current.size === 0 ? null : render([{ label: ALL, entries: [...current] }], false);
  const added = [...current].filter(([name, description]) => !sameDescription(told.get(name), description));
  const removed = [...told].filter(([name]) => !current.has(name));
  if (added.length === 0 && removed.length === 0) return null;
  const groups = [
    ...(added.length > 0 ? [{ label: ADDED, entries: added }] : []),
    ...(removed.length > 0 ? [{ label: REMOVED, entries: removed }] : []),
  ];
  return render(groups, current.size === 0);
}

/** What the history last told of the deferred namespaces, or null when it never did. */
export function toldDeferredTools(history: readonly ResponseItem[]): DeferredNamespaces | null {
  let told: DeferredNamespaces | null = null;
  for (const item of history) {
    if (item.type !== 'message' || item.role !== 'developer') continue;
    for (const part of item.content) {
      if (part.type === 'input_text' && part.text.startsWith(OPEN)) told = applySection(told ?? new Map(), part.text);
    }
  }
  return told;
}

/** A told description cut for space still stands for the full one it begins; a name told alone, for any. */
function sameDescription(told: string | undefined, current: string): boolean {
  if (told === undefined) return false;
  // A name told alone (its description left out for space, or empty) is not told again for its description.
  if (told === '') return true;
  return told === current || (told.endsWith(ELLIPSIS) && current.startsWith(told.slice(0, -ELLIPSIS.length)));
}

function applySection(state: DeferredNamespaces, text: string): DeferredNamespaces {
  const next = new Map(state);
  let mode: 'set' | 'delete' | null = null;
  for (const line of text.slice(OPEN.length).split('\n')) {
    if (line === ALL) {
      next.clear();
      mode = 'set';
    } else if (line === ADDED) mode = 'set';
    else if (line === REMOVED) mode = 'delete';
    else if (line === NONE_LEFT) next.clear();
    else if (line.startsWith('- ') && mode !== null) {
      const [name, description] = splitEntry(line.slice(2));
      if (mode === 'set') next.set(name, description);
      else next.delete(name);
    }
  }
  return next;
}

function splitEntry(entry: string): [string, string] {
  const at = entry.indexOf(': ');
  return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 2)];
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

function render(groups: Group[], noneLeft: boolean): string {
  const fixed = bytes(OPEN) + bytes(CLOSE) + groups.reduce((sum, g) => sum + bytes(g.label) + 1, 0) + (noneLeft ? bytes(NONE_LEFT) + 1 : 0);
  const rows = groups.flatMap((g) => g.entries.map(([name]) => bytes(`- ${name}\n`)));
  const namesBytes = rows.reduce((sum, n) => sum + n, 0);
  let lines: string[];
  if (fixed + namesBytes <= MAX_SECTION_BYTES) {
    const descriptions = shareDescriptions(
      groups.flatMap((g) => g.entries.map(([, d]) => d)),
      MAX_SECTION_BYTES - fixed - namesBytes,
    );
    let i = 0;
    lines = groups.flatMap((g) => [g.label, ...g.entries.map(([name]) => entryLine(name, descriptions[i++]!))]);
  } else {
    lines = namesOnly(groups, MAX_SECTION_BYTES - fixed);
  }
  if (noneLeft) lines.push(NONE_LEFT);
  return `${OPEN}${lines.map((l) => `${l}\n`).join('')}${CLOSE}`;
}

const entryLine = (name: string, description: string | null): string => (description === null ? `- ${name}` : `- ${name}: ${description}`);

/**
 * The descriptions that fit in `budget` bytes (each costs ": " and its text; a cut one also "..."): the
 * short ones whole, then what is left cut evenly among the rest. Null for an empty description, or for all
 * of them when not even the cut marks fit.
 */
function shareDescriptions(descriptions: string[], budget: number): Array<string | null> {
  const result: Array<string | null> = descriptions.map((d) => (d === '' ? null : d));
  const open = descriptions.map((d, i) => ({ i, cost: 2 + bytes(d) })).filter(({ i }) => descriptions[i] !== '');
  open.sort((a, b) => a.cost - b.cost || a.i - b.i);
  let left = budget;
  let k = 0;
  // Whole, cheapest first, while each fits within an even share of what is left.
  for (; k < open.length; k += 1) {
    const share = Math.floor(left / (open.length - k));
    if (open[k]!.cost > share) break;
    left -= open[k]!.cost;
  }
  const cut = open.slice(k).sort((a, b) => a.i - b.i);
  if (cut.length === 0) return result;
  const textBudget = left - cut.length * (2 + ELLIPSIS.length);
  if (textBudget < 0) return descriptions.map(() => null);
  const each = Math.floor(textBudget / cut.length);
  const extra = textBudget - each * cut.length;
  cut.forEach(({ i }, n) => {
    result[i] = prefixWithin(descriptions[i]!, each + (n < extra ? 1 : 0)) + ELLIPSIS;
  });
  return result;
}

/** The longest prefix of whole characters within `limit` UTF-8 bytes. */
function prefixWithin(text: string, limit: number): string {
  let used = 0;
  let out = '';
  for (const char of text) {
    const size = bytes(char);
    if (used + size > limit) break;
    used += size;
    out += char;
  }
  return out;
}

/** Names alone, in order, leaving out those that do not fit (each group then says how many it left out). */
function namesOnly(groups: Group[], budget: number): string[] {
  const lines: string[] = [];
  let left = budget;
  for (const group of groups) {
    lines.push(group.label);
    let omitted = 0;
    const notice = (n: number) => bytes(`... ${n} additional namespaces omitted.\n`);
    group.entries.forEach(([name], index) => {
      const row = bytes(`- ${name}\n`);
      const laterOmissions = omitted > 0 || index < group.entries.length - 1 ? notice(group.entries.length) : 0;
      if (row + laterOmissions <= left) {
        lines.push(`- ${name}`);
        left -= row;
      } else omitted += 1;
    });
    if (omitted > 0) {
      lines.push(`... ${omitted} additional namespaces omitted.`);
      left -= notice(omitted);
    }
  }
  return lines;
}
