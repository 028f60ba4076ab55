// The fuzzy matcher as it was before scoring learned to skip work (prefilter, scores without indices): the
// oracle the faster one must agree with, result for result.
export interface FuzzyMatch {
  score: number;
  indices: number[];
}

const SEPARATORS = new Set(['/', '\\', '_', '-', '.', ' ']);

/** A query split into its lowercased terms once, for matching many paths. */
export interface CompiledQuery {
  terms: string[];
}

export function compileQuery(query: string): CompiledQuery {
  return { terms: query.split(/\s+/).filter(Boolean).map((term) => term.toLowerCase()) };
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
  const { terms } = query;
  if (terms.length === 0) return undefined;
  // Most paths fail: a plain in-order scan rejects them before any scoring.
  for (const term of terms) if (!isSubsequence(term, lowerPath)) return undefined;
  if (terms.length === 1) return matchTerm(terms[0]!, lowerPath, path);
  let score = 0;
  const indices = new Set<number>();
  for (const term of terms) {
    const match = matchTerm(term, lowerPath, path)!;
    score += match.score;
    for (const index of match.indices) indices.add(index);
  }
  return { score, indices: [...indices].sort((a, b) => a - b) };
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

/** The term matches `p` (checked by the caller); the better of a match inside the file name and one from the start. */
function matchTerm(q: string, p: string, original: string): FuzzyMatch | undefined {
  const nameStart = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1;
  // Prefer a match inside the file name: try from the name first, then from the start of the path.
  const inName = greedyFrom(q, p, nameStart, original);
  const fromStart = greedyFrom(q, p, 0, original);
  if (!inName) return fromStart;
  if (!fromStart) return inName;
  return fromStart.score > inName.score ? fromStart : inName;
}

function greedyFrom(q: string, p: string, start: number, original: string): FuzzyMatch | undefined {
  const indices: number[] = [];
  let position = start;
  for (const ch of q) {
    const found = p.indexOf(ch, position);
    if (found === -1) return undefined;
    indices.push(found);
    position = found + 1;
  }
  const nameStart = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1;
  let score = 1000;
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i]!;
    const previous = indices[i - 1];
    if (index >= nameStart) score += 10;
    if (index === 0 || SEPARATORS.has(p[index - 1]!) || (original[index] !== p[index] && original[index - 1] === p[index - 1])) score += 15;
    if (previous !== undefined && index === previous + 1) score += 20;
    if (previous !== undefined) score -= Math.min(10, index - previous - 1);
  }
  if (p.slice(nameStart).startsWith(q)) score += 50;
  score -= Math.min(100, Math.floor(p.length / 4));
  return { score: Math.max(1, score), indices };
}
