// Where each statement of a TOML document sits in its text: table headers, and `key = value` pairs with the
// exact span of the value, however many lines it takes (arrays, inline tables, multi-line strings). Edits
// use it to change one value and leave every other character as it was; diagnostics use it to point at a
// value. It reads layout, not meaning: smol-toml still parses the result.

export interface TomlStatement {
  kind: 'table' | 'arrayTable' | 'value';
  /** The key path: a header's table, or a value's table followed by its own (dotted) key. */
  path: string[];
  /** The header a value sits under is `[[…]]`, so its path names no single table. */
  inArrayTable: boolean;
  /** Offset of the start of the statement's first line. */
  lineStart: number;
  /** Offsets of the value (end exclusive); a header's whole `[…]`. */
  valueStart: number;
  valueEnd: number;
  /** Offset of the end of the statement's last line, after any comment, before its line break. */
  lineEnd: number;
}

import { parseKeyPath } from './table';

const BARE_KEY = /[A-Za-z0-9_-]/;

export function scanToml(text: string): TomlStatement[] {
  const statements: TomlStatement[] = [];
  let table: string[] = [];
  let inArrayTable = false;
  let i = 0;
  while (i < text.length) {
    const lineStart = i;
    i = skipBlank(text, i);
    const ch = text[i];
    if (ch === '\n' || ch === '\r' || ch === '#' || ch === undefined) {
      i = endOfLine(text, i) + 1;
      continue;
    }
    if (ch === '[') {
      const array = text[i + 1] === '[';
      const key = readKey(text, i + (array ? 2 : 1));
      const close = text.indexOf(array ? ']]' : ']', key.end);
      const valueEnd = close === -1 ? key.end : close + (array ? 2 : 1);
      table = key.parts;
      inArrayTable = array;
      const lineEnd = endOfLine(text, valueEnd);
      statements.push({ kind: array ? 'arrayTable' : 'table', path: table, inArrayTable: array, lineStart, valueStart: i, valueEnd, lineEnd });
      i = lineEnd + 1;
      continue;
    }
    const key = readKey(text, i);
    const equals = skipBlank(text, key.end);
    if (key.parts.length === 0 || text[equals] !== '=') {
      // Not a statement this reader understands: leave the line alone.
      i = endOfLine(text, i) + 1;
      continue;
    }
    const valueStart = skipBlank(text, equals + 1);
    const valueEnd = skipValue(text, valueStart);
    const lineEnd = endOfLine(text, valueEnd);
    statements.push({ kind: 'value', path: [...table, ...key.parts], inArrayTable, lineStart, valueStart, valueEnd, lineEnd });
    i = lineEnd + 1;
  }
  return statements;
}

/** The `key = value` statement that sets a key (outside arrays of tables), if the text has one. */
export function findValue(statements: readonly TomlStatement[], keyPath: readonly string[]): TomlStatement | undefined {
  return statements.find((s) => s.kind === 'value' && !s.inArrayTable && samePath(s.path, keyPath));
}

export const samePath = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((part, i) => part === b[i]);

/** 1-based line and column of an offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** The offset of the line break ending the line at `from` (or the end of the text). */
export function endOfLine(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}

function skipBlank(text: string, i: number): number {
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}

/** A dotted key (bare, "basic" or 'literal' parts, blanks around the dots) starting at `i`. */
function readKey(text: string, start: number): { parts: string[]; end: number } {
  const parts: string[] = [];
  let i = skipBlank(text, start);
  for (;;) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      const end = skipString(text, i);
      parts.push(unquote(text.slice(i, end)));
      i = end;
    } else {
      const begin = i;
      while (i < text.length && BARE_KEY.test(text[i]!)) i++;
      if (i === begin) return { parts, end: i };
      parts.push(text.slice(begin, i));
    }
    const next = skipBlank(text, i);
    if (text[next] !== '.') return { parts, end: i };
    i = skipBlank(text, next + 1);
  }
}

function unquote(quoted: string): string {
  try {
    return parseKeyPath(quoted)[0]!;
  } catch {
    return quoted.slice(1, -1);
  }
}

/** The end (exclusive) of the value starting at `i`: a string, an array or inline table, or a bare scalar. */
function skipValue(text: string, i: number): number {
  const ch = text[i];
  if (ch === '"' || ch === "'") return skipString(text, i);
  if (ch === '[' || ch === '{') return skipBrackets(text, i);
  // Numbers, booleans and dates (which may hold a space) run to a comment or the end of the line.
  let end = i;
  while (end < text.length && text[end] !== '\n' && text[end] !== '#') end++;
  while (end > i && /\s/.test(text[end - 1]!)) end--;
  return end;
}

function skipBrackets(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      i = skipString(text, i);
      continue;
    }
    if (ch === '#') {
      i = endOfLine(text, i);
      continue;
    }
    if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return text.length;
}

/** The end (exclusive) of the string starting at `start`: basic or literal, on one line or several. */
function skipString(text: string, start: number): number {
  const quote = text[start]!;
  const escapes = quote === '"';
  const triple = text.startsWith(quote.repeat(3), start);
  let i = start + (triple ? 3 : 1);
  while (i < text.length) {
    const ch = text[i]!;
    if (escapes && ch === '\\') {
      i += 2;
      continue;
    }
    if (!triple && ch === '\n') return i;
    if (ch === quote && (!triple || text.startsWith(quote.repeat(3), i))) {
      if (!triple) return i + 1;
      // Up to two quotes right before the closing three belong to the string.
      let end = i + 3;
      while (end < text.length && text[end] === quote && end - i < 5) end++;
      return end;
    }
    i++;
  }
  return text.length;
}
