// Config problems a person can fix: the file, line:column, the line itself and carets under the span.
// Sent to clients as `configWarning {summary, details, path, range}` so an editor can open the spot.
import { findValue, positionOf, samePath, scanToml } from './tomlLayout';

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

/** Keys whose values are secrets: their diagnostics name the place but never show the line. */
const SECRET_KEYS = new Set(['bearer_token', 'client_secret']);

/** `renderDiagnostic` for the value at `keyPath`, or only its first line when the value is a secret. */
export function renderKeyDiagnostic(file: string, text: string, range: TextRange, message: string, keyPath: readonly string[]): string {
  const rendered = renderDiagnostic(file, text, range, message);
  return SECRET_KEYS.has(keyPath[keyPath.length - 1] ?? '') ? rendered.split('\n')[0]! : rendered;
}

/** Where a key's value is in TOML text, as a range; null when the text does not set it itself. */
export function valueRange(text: string, keyPath: readonly string[]): TextRange | null {
  const found = findValue(scanToml(text), keyPath);
  return found ? { start: positionOf(text, found.valueStart), end: positionOf(text, found.valueEnd) } : null;
}

/**
 * Where a key is set in TOML text, as a range: its value; else its `[table]` header; else the inline table
 * that holds it (`oauth = { client_id = 1 }`); else the first statement inside it. Null when the text has none.
 */
export function keyRange(text: string, keyPath: readonly string[]): TextRange | null {
  const statements = scanToml(text).filter((s) => !s.inArrayTable);
  const startsWith = (path: readonly string[], prefix: readonly string[]) => path.length >= prefix.length && samePath(path.slice(0, prefix.length), prefix);
  const found =
    findValue(statements, keyPath) ??
    statements.find((s) => s.kind === 'table' && samePath(s.path, keyPath)) ??
    statements.find((s) => s.kind === 'value' && s.path.length < keyPath.length && startsWith(keyPath, s.path)) ??
    statements.find((s) => startsWith(s.path, keyPath));
  return found ? { start: positionOf(text, found.valueStart), end: positionOf(text, found.valueEnd) } : null;
}
