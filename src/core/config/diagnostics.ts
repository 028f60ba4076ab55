// Config problems a person can fix: the file, line:column, the line itself and carets under the span.
// Sent to clients as `configWarning {summary, details, path, range}` so an editor can open the spot.

export interface TextRange {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

export interface ConfigDiagnostic {
  summary: string;
  details: string | null;
  path: string | null;
  range: TextRange | null;
}

/** `file:line:col: message`, the line, and carets under the range (1-based lines and columns). */
export function renderDiagnostic(file: string, text: string, range: TextRange, message: string): string {
  const lines = text.split('\n');
  const line = (lines[range.start.line - 1] ?? '').replace(/\r$/, '');
  const width = String(range.start.line).length;
  const endColumn = range.end.line === range.start.line ? range.end.column : line.length + 1;
  const carets = '^'.repeat(Math.max(1, endColumn - range.start.column));
  return [
    `${file}:${range.start.line}:${range.start.column}: ${message}`,
    `${' '.repeat(width)} |`,
    `${range.start.line} | ${line}`,
    `${' '.repeat(width)} | ${' '.repeat(range.start.column - 1)}${carets}`,
  ].join('\n');
}

export interface KeyLocation {
  /** 1-based line of `key = value`. */
  line: number;
  /** 1-based columns of the value text, end exclusive. */
  valueStart: number;
  valueEnd: number;
}

const TABLE_HEADER = /^\s*\[\s*([^\][]+?)\s*\]\s*(#.*)?$/;

/** Finds where a dotted key is assigned in TOML text: in its `[table]` section or as a dotted key at the root. */
export function locateKey(text: string, dottedKey: string): KeyLocation | undefined {
  const parts = dottedKey.split('.');
  const leaf = parts[parts.length - 1]!;
  const table = parts.slice(0, -1).join('.');
  let section = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    const header = TABLE_HEADER.exec(raw);
    if (header) {
      section = header[1]!.replace(/\s*\.\s*/g, '.').replace(/"/g, '');
      continue;
    }
    const assignment = /^(\s*)("?)([A-Za-z0-9_.-]+)\2\s*=\s*/.exec(raw);
    if (!assignment) continue;
    const key = assignment[3]!;
    const full = section ? `${section}.${key}` : key;
    if (full !== dottedKey && !(section === table && key === leaf)) continue;
    const valueStart = assignment[0].length + 1;
    const valueText = stripComment(raw.slice(assignment[0].length));
    return { line: i + 1, valueStart, valueEnd: valueStart + valueText.trimEnd().length };
  }
  return undefined;
}

/** The value part of a line without a trailing `# comment` (outside quotes). */
export function stripComment(text: string): string {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\' && quote === '"') i += 1;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '#') {
      return text.slice(0, i);
    }
  }
  return text;
}
