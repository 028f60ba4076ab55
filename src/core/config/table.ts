// Parsed TOML as plain objects, and dotted key paths into them.

export type ConfigTable = Record<string, unknown>;

/** A TOML table: an object that is not an array or a date. */
export function isTable(value: unknown): value is ConfigTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function getDotted(values: ConfigTable, keyPath: string): unknown {
  let current: unknown = values;
  for (const part of keyPath.split('.')) {
    if (!isTable(current)) return undefined;
    current = current[part];
  }
  return current;
}

export function setDotted(values: ConfigTable, dottedKey: string, value: unknown): void {
  const parts = dottedKey.split('.').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new Error(`invalid key ${JSON.stringify(dottedKey)}`);
  let table = values;
  for (const part of parts.slice(0, -1)) {
    const next = table[part];
    if (!isTable(next)) table[part] = {};
    table = table[part] as ConfigTable;
  }
  table[parts[parts.length - 1]!] = value;
}
