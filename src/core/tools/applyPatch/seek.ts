// Finds a run of lines in a file, at the first matching level: exact, then ignoring trailing whitespace,
// then ignoring surrounding whitespace, then also treating typographic punctuation as ASCII.

export type MatchLevel = 'exact' | 'trailing-whitespace' | 'whitespace' | 'punctuation';

const LEVELS: Array<[MatchLevel, (line: string) => string]> = [
  ['exact', (l) => l],
  ['trailing-whitespace', (l) => l.trimEnd()],
  ['whitespace', (l) => l.trim()],
  ['punctuation', (l) => normalizePunctuation(l.trim())],
];

export function normalizePunctuation(text: string): string {
  return text
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u2018-\u201B]/g, "'")
    .replace(/[\u201C-\u201F]/g, '"')
    .replace(/[\u00A0\u2002-\u200A\u202F\u205F\u3000]/g, ' ');
}

/** Index of the first match at or after `from` (or only at the end with `atEnd`), and the level used. */
export function seekSequence(lines: readonly string[], pattern: readonly string[], from: number, atEnd = false): { index: number; level: MatchLevel } | undefined {
  if (pattern.length === 0) return { index: from, level: 'exact' };
  if (pattern.length > lines.length) return undefined;
  const start = atEnd ? Math.max(from, lines.length - pattern.length) : from;
  for (const [level, normalize] of LEVELS) {
    const wanted = pattern.map(normalize);
    for (let i = start; i + pattern.length <= lines.length; i++) {
      let ok = true;
      for (let j = 0; j < pattern.length; j++) {
        if (normalize(lines[i + j]!) !== wanted[j]) {
          ok = false;
          break;
        }
      }
      if (ok) return { index: i, level };
    }
  }
  return undefined;
}
