// Parsed TOML as plain objects, and dotted key paths into them.

export type ConfigTable = Record<string, unknown>;

/** A TOML table: an object that is not an array or a date. */
export function isTable(value: unknown): value is ConfigTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;
const BLANK = /[ \t]/;
const ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };

/**
 * A dotted key path read the TOML way: bare segments, "basic" segments (with TOML's escapes) and 'literal'
 * segments, blanks around the dots ignored, and dots inside quotes part of the key. So
 * `projects."/tmp/a.b".trust_level` is ["projects", "/tmp/a.b", "trust_level"]. As in codex, a bare segment
 * may hold any character but blanks, dots and quotes (`sample@catalog`).
 */
export function parseKeyPath(keyPath: string): string[] {
  const fail = (why: string): never => {
    throw new Error(`invalid key ${JSON.stringify(keyPath)}: ${why}`);
  };
  const parts: string[] = [];
  let i = 0;
  const skipBlank = () => {
    while (i < keyPath.length && BLANK.test(keyPath[i]!)) i++;
  };
  for (;;) {
    skipBlank();
    const ch = keyPath[i];
    if (ch === '"') {
      let part = '';
      for (i++; ; i++) {
        const c = keyPath[i];
        if (c === undefined || c === '\n') fail('a quoted key is not closed');
        if (c === '"') break;
        if (c !== '\\') {
          part += c;
          continue;
        }
        const escape = keyPath[++i] ?? '';
        if (escape in ESCAPES) part += ESCAPES[escape];
        else if (escape === 'u' || escape === 'U' || escape === 'x') {
          const digits = keyPath.slice(i + 1, i + 1 + { u: 4, U: 8, x: 2 }[escape]);
          const code = /^[0-9A-Fa-f]+$/.test(digits) && digits.length === { u: 4, U: 8, x: 2 }[escape] ? Number.parseInt(digits, 16) : NaN;
          if (!(code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) fail(`\\${escape}${digits} is not a character`);
          part += String.fromCodePoint(code);
          i += digits.length;
        } else fail(`\\${escape} is not an escape`);
      }
      i++;
      parts.push(part);
    } else if (ch === "'") {
      const close = keyPath.indexOf("'", i + 1);
      if (close === -1 || keyPath.slice(i + 1, close).includes('\n')) fail('a quoted key is not closed');
      parts.push(keyPath.slice(i + 1, close));
      i = close + 1;
    } else {
      const begin = i;
      while (i < keyPath.length && !/[.\s"']/.test(keyPath[i]!)) i++;
      if (i === begin) fail(ch === undefined || ch === '.' ? 'a key is empty' : `${JSON.stringify(ch)} cannot start a key`);
      parts.push(keyPath.slice(begin, i));
    }
    skipBlank();
    if (i === keyPath.length) return parts;
    if (keyPath[i] !== '.') fail(`${JSON.stringify(keyPath[i])} after a key (quote the whole key)`);
    i++;
  }
}

/** One key as TOML writes it: bare when it can be, else a basic string. */
export const formatKey = (key: string): string => (BARE_KEY.test(key) ? key : JSON.stringify(key).replaceAll('\u007f', '\\u007f'));

/** Segments as a dotted key path that `parseKeyPath` reads back. */
export const formatKeyPath = (parts: readonly string[]): string => parts.map(formatKey).join('.');

export function getDotted(values: ConfigTable, keyPath: string): unknown {
  let current: unknown = values;
  for (const part of parseKeyPath(keyPath)) {
    if (!isTable(current)) return undefined;
    current = current[part];
  }
  return current;
}

export function setDotted(values: ConfigTable, dottedKey: string, value: unknown): void {
  const parts = parseKeyPath(dottedKey);
  let table = values;
  for (const part of parts.slice(0, -1)) {
    const next = table[part];
    if (!isTable(next)) table[part] = {};
    table = table[part] as ConfigTable;
  }
  table[parts[parts.length - 1]!] = value;
}
