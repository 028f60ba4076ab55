// Loads $TANDEM_HOME/config.toml, selects the active profile and applies `-c key=value` overrides.
// A file that does not parse is reported and skipped: the server never exits over config.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';

export type ConfigTable = Record<string, unknown>;

export interface ConfigProblem {
  summary: string;
  details: string | null;
  path: string | null;
}

export interface LoadedConfig {
  values: ConfigTable;
  problems: ConfigProblem[];
}

export function loadConfig(home: string, overrides: readonly string[] = []): LoadedConfig {
  const problems: ConfigProblem[] = [];
  const file = path.join(home, 'config.toml');
  let values: ConfigTable = {};
  let text: string | undefined;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      problems.push({ summary: `Could not read ${file}: ${(error as Error).message}`, details: null, path: file });
    }
  }
  if (text !== undefined) {
    try {
      values = parseToml(text) as ConfigTable;
    } catch (error) {
      problems.push({ summary: `${file} is not valid TOML; it was ignored.`, details: (error as Error).message, path: file });
    }
  }
  for (const override of overrides) {
    try {
      applyOverride(values, override);
    } catch (error) {
      problems.push({ summary: `Ignored the override ${JSON.stringify(override)}: ${(error as Error).message}`, details: null, path: null });
    }
  }
  return { values: withProfile(values, problems), problems };
}

/** `key.path=value`: the value is read as TOML, or taken as a plain string when it is not TOML. */
export function applyOverride(values: ConfigTable, override: string): void {
  const eq = override.indexOf('=');
  if (eq <= 0) throw new Error('expected key=value');
  const key = override.slice(0, eq).trim();
  const raw = override.slice(eq + 1).trim();
  setDotted(values, key, parseOverrideValue(raw));
}

export function parseOverrideValue(raw: string): unknown {
  try {
    return (parseToml(`value = ${raw}`) as { value: unknown }).value;
  } catch {
    return raw;
  }
}

export function setDotted(values: ConfigTable, dottedKey: string, value: unknown): void {
  const parts = dottedKey.split('.').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new Error(`invalid key ${JSON.stringify(dottedKey)}`);
  let table = values;
  for (const part of parts.slice(0, -1)) {
    const next = table[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) table[part] = {};
    table = table[part] as ConfigTable;
  }
  table[parts[parts.length - 1]!] = value;
}

/** `profile = "x"` lays `[profiles.x]` over the top level. */
function withProfile(values: ConfigTable, problems: ConfigProblem[]): ConfigTable {
  const profileName = values.profile;
  if (typeof profileName !== 'string') return values;
  const profiles = values.profiles as Record<string, unknown> | undefined;
  const profile = profiles?.[profileName];
  if (typeof profile !== 'object' || profile === null) {
    problems.push({ summary: `The profile "${profileName}" is not defined under [profiles]; it was ignored.`, details: null, path: null });
    return values;
  }
  return { ...values, ...(profile as ConfigTable) };
}
