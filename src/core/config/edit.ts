// Targeted edits of config.toml text: change the value of one key in place (keeping its comment), or add
// the key to its table (creating the table at the end if needed). Everything else — comments, order,
// blank lines, formatting, values that span lines — stays as the user wrote it. The result is re-parsed
// before it is accepted.
import { parse as parseToml, stringify } from 'smol-toml';
import { formatKey, formatKeyPath, getDotted, isTable, parseKeyPath } from './table';
import { findValue, samePath, scanToml, type TomlStatement } from './tomlLayout';

export type MergeStrategy = 'replace' | 'upsert';

/** The TOML text of a value (strings quoted, arrays and inline tables as TOML writes them). */
export function tomlValue(value: unknown): string {
  if (value === null || value === undefined) throw new Error('a config value cannot be null; remove the key instead');
  return stringify({ v: value }).replace(/^v = /, '').trim();
}

/**
 * Applies one edit to the text. The key path is read the TOML way (`projects."/a/b".trust_level`). Tables
 * written with `replace` drop the keys they no longer have.
 */
export function editConfigText(text: string, keyPath: string, value: unknown, strategy: MergeStrategy): string {
  return editAt(text, parseKeyPath(keyPath), value, strategy);
}

function editAt(text: string, path: string[], value: unknown, strategy: MergeStrategy): string {
  if (value === null) return removeKey(text, path);
  if (isTable(value)) {
    let result = text;
    if (strategy === 'replace') {
      const existing = getDotted(safeParse(result), formatKeyPath(path));
      if (isTable(existing)) for (const key of Object.keys(existing)) if (!(key in value)) result = removeKey(result, [...path, key]);
    }
    for (const [key, inner] of Object.entries(value)) result = editAt(result, [...path, key], inner, strategy);
    return result;
  }
  return setValue(text, path, value);
}

function setValue(text: string, path: string[], value: unknown): string {
  const statements = scanToml(text);
  const found = findValue(statements, path);
  if (found) return text.slice(0, found.valueStart) + valueText(text, found, value) + text.slice(found.valueEnd);
  const table = path.slice(0, -1);
  const line = `${formatKey(path[path.length - 1]!)} = ${tomlValue(value)}`;
  // A key goes after the last statement of its table (for the root, before the first header).
  const header = table.length === 0 ? -1 : statements.findIndex((s) => s.kind === 'table' && samePath(s.path, table));
  if (table.length > 0 && header === -1) {
    const trimmed = text.replace(/\s*$/, '');
    return `${trimmed}${trimmed ? '\n\n' : ''}[${formatKeyPath(table)}]\n${line}\n`;
  }
  let last: TomlStatement | undefined = statements[header];
  for (let i = header + 1; i < statements.length && statements[i]!.kind === 'value'; i++) last = statements[i];
  return last ? insertLineAfter(text, last, line) : `${line}${text === '' ? '\n' : newline(text)}${text}`;
}

/** The new value's text; an array that was written one element per line stays that way. */
function valueText(text: string, found: TomlStatement, value: unknown): string {
  const old = text.slice(found.valueStart, found.valueEnd);
  if (!Array.isArray(value) || value.length === 0 || !old.startsWith('[') || !old.includes('\n')) return tomlValue(value);
  const eol = newline(text);
  const indent = /\n([ \t]*)\S/.exec(old)?.[1] ?? '  ';
  const keyIndent = /^[ \t]*/.exec(text.slice(found.lineStart))![0];
  return `[${eol}${value.map((element) => `${indent}${tomlValue(element)},${eol}`).join('')}${keyIndent}]`;
}

function insertLineAfter(text: string, statement: TomlStatement, line: string): string {
  const eol = newline(text);
  if (statement.lineEnd >= text.length) return `${text}${eol}${line}`;
  const at = statement.lineEnd + 1;
  return `${text.slice(0, at)}${line}${eol}${text.slice(at)}`;
}

function removeKey(text: string, path: readonly string[]): string {
  const found = findValue(scanToml(text), path);
  if (!found) return text;
  // The whole statement goes, with its line break (or, on the last line, the one before it).
  if (found.lineEnd < text.length) return text.slice(0, found.lineStart) + text.slice(found.lineEnd + 1);
  return text.slice(0, Math.max(0, found.lineStart - 1)).replace(/\r$/, '');
}

const newline = (text: string) => (text.includes('\r\n') ? '\r\n' : '\n');

function safeParse(text: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Applies edits in order and checks that the result is still valid TOML holding the new values. */
export function applyEdits(text: string, edits: ReadonlyArray<{ keyPath: string; value: unknown; mergeStrategy: MergeStrategy }>): string {
  let result = text;
  for (const edit of edits) result = editConfigText(result, edit.keyPath, edit.value, edit.mergeStrategy);
  let parsed: Record<string, unknown>;
  try {
    parsed = parseToml(result) as Record<string, unknown>;
  } catch (error) {
    const keys = edits.map((e) => e.keyPath).join(', ');
    throw new Error(`could not write ${keys} without breaking the file (${(error as Error).message.split('\n')[0]}); the file's layout hides it (for example an inline table), so edit it by hand`, { cause: error });
  }
  for (const edit of edits) {
    if (edit.value === null || isTable(edit.value)) continue;
    if (JSON.stringify(getDotted(parsed, edit.keyPath)) !== JSON.stringify(edit.value)) {
      throw new Error(`could not write ${edit.keyPath}: the file's layout hides it (for example an inline table); edit it by hand`);
    }
  }
  return result;
}
