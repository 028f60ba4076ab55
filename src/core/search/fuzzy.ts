// Fuzzy matching of a query against file paths: the query's characters must appear in order
// (case-insensitive). The score rewards matches in the file name, at the start of a path segment or
// word, and runs of consecutive characters; it costs a little per gap. Indices are the matched
// character positions in the path, for highlighting.

export interface FuzzyMatch {
  score: number;
  indices: number[];
}

/** A query split into its lowercased terms once, for matching many paths. */
export interface CompiledQuery {
  terms: string[];
  /** Each term's characters (code points), in order. */
  chars: string[][];
  /**
   * Most paths match no term: this regular expression (each term's characters in order, case-insensitive)
   * turns them away without lowercasing them. It agrees with the lowercased scan on ASCII paths; a path
   * with other characters that it turns away gets the full scan.
   */
  prefilter: RegExp | undefined;
  /** Per term, per count of its characters a directory's path has matched: the rest as such an expression. */
  rests: RegExp[][];
  /** Scratch space for `scoreDirectory`. */
  filters: RegExp[];
}

/** Any code unit outside ASCII. */
const NON_ASCII = /[\u0080-\uffff]/;

export function compileQuery(query: string): CompiledQuery {
  const terms = query.split(/\s+/).filter(Boolean).map((term) => term.toLowerCase());
  const prefilter = terms.length === 0 ? undefined : new RegExp(`^${terms.map((term) => `(?=${inOrder(term)})`).join('')}`, 'i');
  return { terms, chars: terms.map((term) => [...term]), prefilter, rests: terms.map(() => []), filters: [] };
}

/** The term's characters (code units), in order with anything between, as regex source. */
function inOrder(term: string): string {
  let source = '';
  for (let i = 0; i < term.length; i++) {
    const unit = `\\u${term.charCodeAt(i).toString(16).padStart(4, '0')}`;
    source += `[^${unit}]*${unit}`;
  }
  return source;
}

/**
 * Whitespace separates terms (as in codex): every term must match, anywhere in the path; scores add up and
 * indices are merged.
 */
export function fuzzyMatch(query: string, path: string): FuzzyMatch | undefined {
  return matchPath(compileQuery(query), path);
}

/** `lowerPath` is `path.toLowerCase()` when the caller has it already. */
export function matchPath(query: CompiledQuery, path: string, lowerPath = path.toLowerCase()): FuzzyMatch | undefined {
  const { terms, chars } = query;
  if (terms.length === 0) return undefined;
  // Most paths fail: a plain in-order scan rejects them before any scoring.
  for (const term of terms) if (!isSubsequence(term, lowerPath)) return undefined;
  if (terms.length === 1) return matchTerm(chars[0]!, terms[0]!, lowerPath, path, true) as FuzzyMatch | undefined;
  let score = 0;
  const indices = new Set<number>();
  for (let t = 0; t < terms.length; t++) {
    const match = matchTerm(chars[t]!, terms[t]!, lowerPath, path, true) as FuzzyMatch | undefined;
    if (!match) return undefined;
    score += match.score;
    for (const index of match.indices) indices.add(index);
  }
  return { score, indices: [...indices].sort((a, b) => a - b) };
}

/** `matchPath(query, path)?.score`, for ranking many paths: cheap for paths that do not match. */
export function scorePath(query: CompiledQuery, path: string): number | undefined {
  const { prefilter } = query;
  if (!prefilter || (!prefilter.test(path) && !NON_ASCII.test(path))) return undefined;
  return scoreFiltered(query, path);
}

/**
 * Scores the files of one directory (`paths[i]` is the directory's path, separator included, followed by
 * `names[i]`): `onMatch` gets each file that matches, with `scorePath`'s score. Cheaper than `scorePath` per
 * file: the directory's part of the paths is scanned once, and most files are turned away by their names.
 */
export function scoreDirectory(query: CompiledQuery, names: readonly string[], paths: readonly string[], onMatch: (path: string, score: number) => void): void {
  const { terms, rests, filters } = query;
  if (terms.length === 0 || paths.length === 0) return;
  const dir = paths[0]!.slice(0, paths[0]!.length - names[0]!.length);
  // What each term still needs from a name, once the directory's path has matched what it can.
  let count = 0;
  // Outside ASCII, lowercasing may change lengths or depend on neighbours: the full scan decides.
  const filtering = !NON_ASCII.test(dir);
  if (filtering) {
    const lowerDir = dir.toLowerCase();
    for (let t = 0; t < terms.length; t++) {
      const term = terms[t]!;
      let matched = 0;
      for (let position = 0; matched < term.length; matched++) {
        const found = lowerDir.indexOf(term[matched]!, position);
        if (found === -1) break;
        position = found + 1;
      }
      if (matched < term.length) filters[count++] = rests[t]![matched] ??= new RegExp(`^${inOrder(term.slice(matched))}`, 'i');
    }
  }
  for (let i = 0; i < names.length; i++) {
    if (filtering && !nameMayMatch(filters, count, names[i]!)) continue;
    const score = scoreFiltered(query, paths[i]!);
    if (score !== undefined) onMatch(paths[i]!, score);
  }
}

/** The filters agree with the lowercased scan on an ASCII name; a name with other characters gets the full scan. */
function nameMayMatch(filters: RegExp[], count: number, name: string): boolean {
  for (let i = 0; i < count; i++) if (!filters[i]!.test(name)) return NON_ASCII.test(name);
  return true;
}

/** The score of a path a filter let through (`scorePath` without the filter): undefined if it does not match. */
function scoreFiltered(query: CompiledQuery, path: string): number | undefined {
  const { terms, chars } = query;
  if (terms.length === 0) return undefined;
  const lowerPath = path.toLowerCase();
  let score = 0;
  for (let t = 0; t < terms.length; t++) {
    const termScore = matchTerm(chars[t]!, terms[t]!, lowerPath, path, false) as number | undefined;
    if (termScore === undefined) return undefined;
    score += termScore;
  }
  return score;
}

function isSubsequence(q: string, p: string): boolean {
  let position = 0;
  for (let i = 0; i < q.length; i++) {
    const found = p.indexOf(q[i]!, position);
    if (found === -1) return false;
    position = found + 1;
  }
  return true;
}

/**
 * The better of the term's match inside the file name and its match from the start of the path; undefined if
 * it does not match at all. With `withIndices` false only the score is worked out, without allocating.
 */
function matchTerm(chars: string[], q: string, p: string, original: string, withIndices: boolean): FuzzyMatch | number | undefined {
  const nameStart = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1;
  const fromStart = greedyFrom(chars, q, p, 0, nameStart, original, undefined);
  if (fromStart === undefined) return undefined;
  // Prefer a match inside the file name: it wins unless the one from the start scores higher.
  const inName = nameStart === 0 ? fromStart : greedyFrom(chars, q, p, nameStart, nameStart, original, undefined);
  const best = inName === undefined || fromStart > inName ? 0 : nameStart;
  const score = best === 0 ? fromStart : inName!;
  if (!withIndices) return score;
  const indices: number[] = [];
  greedyFrom(chars, q, p, best, nameStart, original, indices);
  return { score, indices };
}

function greedyFrom(chars: string[], q: string, p: string, start: number, nameStart: number, original: string, indices: number[] | undefined): number | undefined {
  let position = start;
  let previous = -1;
  let score = 1000;
  for (let c = 0; c < chars.length; c++) {
    const index = p.indexOf(chars[c]!, position);
    if (index === -1) return undefined;
    indices?.push(index);
    position = index + 1;
    if (index >= nameStart) score += 10;
    if (index === 0 || isSeparator(p.charCodeAt(index - 1)) || (original.charCodeAt(index) !== p.charCodeAt(index) && original.charCodeAt(index - 1) === p.charCodeAt(index - 1))) score += 15;
    if (previous !== -1) {
      if (index === previous + 1) score += 20;
      score -= Math.min(10, index - previous - 1);
    }
    previous = index;
  }
  if (p.startsWith(q, nameStart)) score += 50;
  score -= Math.min(100, Math.floor(p.length / 4));
  return Math.max(1, score);
}

/** `/ \ _ - .` and space. */
function isSeparator(code: number): boolean {
  return code === 47 || code === 92 || code === 95 || code === 45 || code === 46 || code === 32;
}
