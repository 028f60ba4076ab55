// Config problems a person can fix: the file, line:column, the line itself and carets under the span.
// Sent to clients as `configWarning {summary, details, path, range}` so an editor can open the spot.
import { findValue, positionOf, scanToml } from './tomlLayout';

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

/** Where a key's value is in TOML text, as a range; null when the text does not set it itself. */
export function valueRange(text: string, keyPath: readonly string[]): TextRange | null {
  const found = findValue(scanToml(text), keyPath);
  return found ? { start: positionOf(text, found.valueStart), end: positionOf(text, found.valueEnd) } : null;
}
