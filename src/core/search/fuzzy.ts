// Fuzzy matching of a query against file paths: the query's characters must appear in order
// (case-insensitive). The score rewards matches in the file name, at the start of a path segment or
// word, and runs of consecutive characters; it costs a little per gap. Indices are the matched
// character positions in the path, for highlighting.

export interface FuzzyMatch {
  score: number;
  indices: number[];
}

const SEPARATORS = new Set(['/', '\\', '_', '-', '.', ' ']);

/**
 * Whitespace separates terms (as in codex): every term must match, anywhere in the path; scores add up and
 * indices are merged.
 */
export function fuzzyMatch(query: string, path: string): FuzzyMatch | undefined {
  const terms = query.split(/\s+/).filter(Boolean);
  if (terms.length <= 1) return matchTerm(terms[0] ?? '', path);
  let score = 0;
  const indices = new Set<number>();
  for (const term of terms) {
    const match = matchTerm(term, path);
    if (!match) return undefined;
    score += match.score;
    for (const index of match.indices) indices.add(index);
  }
  return { score, indices: [...indices].sort((a, b) => a - b) };
}

function matchTerm(query: string, path: string): FuzzyMatch | undefined {
  const q = query.toLowerCase();
  if (q.length === 0) return undefined;
  const p = path.toLowerCase();
  const nameStart = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1;
  // Prefer a match inside the file name: try from the name first, then from the start of the path.
  const attempts = [greedyFrom(q, p, nameStart, path), greedyFrom(q, p, 0, path)].filter((m): m is FuzzyMatch => m !== undefined);
  return attempts.sort((a, b) => b.score - a.score)[0];
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
