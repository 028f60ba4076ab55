// Targeted edits of config.toml text: change the value of one key in place (keeping its comment), or add
// the key to its table (creating the table at the end if needed). Everything else — comments, order,
// blank lines, formatting — stays as the user wrote it. The result is re-parsed before it is accepted.
import { parse as parseToml, stringify } from 'smol-toml';
import { locateKey, stripComment } from './diagnostics';
import { isTable } from './load';

export type MergeStrategy = 'replace' | 'upsert';

const TABLE_HEADER = /^\s*\[\s*([^\][]+?)\s*\]\s*(#.*)?$/;

/** The TOML text of a value (strings quoted, arrays and inline tables as TOML writes them). */
export function tomlValue(value: unknown): string {
  if (value === null || value === undefined) throw new Error('a config value cannot be null; remove the key instead');
  return stringify({ v: value }).replace(/^v = /, '').trim();
}

const bareKey = (key: string) => (/^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key));

/** Applies one edit to the text. Tables written with `replace` drop the keys they no longer have. */
export function editConfigText(text: string, keyPath: string, value: unknown, strategy: MergeStrategy): string {
  if (value === null) return removeKey(text, keyPath);
  if (isTable(value)) {
    let result = text;
    if (strategy === 'replace') {
      const current = safeParse(result);
      const existing = getDotted(current, keyPath);
      if (isTable(existing)) for (const key of Object.keys(existing)) if (!(key in value)) result = removeKey(result, `${keyPath}.${key}`);
    }
    for (const [key, inner] of Object.entries(value)) result = editConfigText(result, `${keyPath}.${key}`, inner, strategy);
    return result;
  }
  return setScalar(text, keyPath, tomlValue(value));
}

function setScalar(text: string, keyPath: string, valueText: string): string {
  const lines = text.split('\n');
  const found = locateKey(text, keyPath);
  if (found) {
    const line = lines[found.line - 1]!;
    lines[found.line - 1] = line.slice(0, found.valueStart - 1) + valueText + line.slice(found.valueEnd - 1);
    return lines.join('\n');
  }
  const parts = keyPath.split('.');
  const leaf = bareKey(parts[parts.length - 1]!);
  const table = parts.slice(0, -1).join('.');
  if (table === '') {
    // Root keys go before the first table header, after the last root assignment.
    const firstHeader = lines.findIndex((l) => TABLE_HEADER.test(l));
    const end = firstHeader === -1 ? lines.length : firstHeader;
    let insertAt = 0;
    for (let i = 0; i < end; i++) if (/^\s*[^#\s].*=/.test(lines[i]!)) insertAt = i + 1;
    lines.splice(insertAt, 0, `${leaf} = ${valueText}`);
    return lines.join('\n');
  }
  const headerIndex = lines.findIndex((l) => {
    const match = TABLE_HEADER.exec(l);
    return match !== null && match[1]!.replace(/\s*\.\s*/g, '.').replace(/"/g, '') === table;
  });
  if (headerIndex === -1) {
    const trimmed = text.replace(/\s*$/, '');
    return `${trimmed}${trimmed ? '\n\n' : ''}[${table}]\n${leaf} = ${valueText}\n`;
  }
  let insertAt = headerIndex + 1;
  for (let i = headerIndex + 1; i < lines.length && !TABLE_HEADER.test(lines[i]!); i++) if (/^\s*[^#\s].*=/.test(lines[i]!)) insertAt = i + 1;
  lines.splice(insertAt, 0, `${leaf} = ${valueText}`);
  return lines.join('\n');
}

function removeKey(text: string, keyPath: string): string {
  const found = locateKey(text, keyPath);
  if (!found) return text;
  const lines = text.split('\n');
  lines.splice(found.line - 1, 1);
  return lines.join('\n');
}

function safeParse(text: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function getDotted(values: Record<string, unknown>, keyPath: string): unknown {
  let current: unknown = values;
  for (const part of keyPath.split('.')) {
    if (!isTable(current)) return undefined;
    current = current[part];
  }
  return current;
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

export { stripComment };
