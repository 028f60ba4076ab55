// Checks config values against the schema. A bad value is dropped and reported with its key path, so the
// rest of the file still applies; a table missing a required key is dropped whole, and so is a table whose
// rule says so (one MCP server) when any value in it is bad. Keys Tandem does not use are kept; the top-level
// ones are listed, and those of a ruled table are reported one by one, so a typo does not go unnoticed.
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { BoundedMemo, valuesKey } from './memo';
import { checkMcpServers } from './mcpServers';
import { ConfigLayerSchema, ConfigSchema, keyDocs, tableRules, type Config } from './schema';
import { formatKeyPath, isTable, parseKeyPath, type ConfigTable } from './table';

export interface ValueProblem {
  /** The key's segments. */
  path: string[];
  /** The same as a dotted key path, segments quoted where TOML needs it (as the message names it). */
  keyPath: string;
  message: string;
  /** What else the problem cost, when its table went with it: `(the MCP server "a" was skipped)`. */
  skipped?: string;
}

/** What checking a layer found. */
export interface LayerCheck {
  /** Bad values, each removed (with its whole table where the table's rule says so). */
  problems: ValueProblem[];
  /** Keys of a ruled table that Tandem does not use: kept, and said to be ignored. */
  ignored: ValueProblem[];
  /** Top-level keys Tandem does not use. */
  unknownKeys: string[];
}

/** Removes bad values from a parsed layer and says what each was; lists the keys Tandem does not use. */
export function validateLayer(values: ConfigTable): LayerCheck {
  const found: Pick<LayerCheck, 'problems' | 'ignored'> = { problems: [], ignored: [] };
  checkTable(ConfigLayerSchema, values, [], found);
  return { ...found, unknownKeys: Object.keys(values).filter((key) => fieldOf(ConfigLayerSchema, key) === undefined) };
}

/** The effective config: the values that pass the schema and the MCP server rules, with every default filled in. */
export function effectiveConfig(values: ConfigTable): Config {
  const key = valuesKey(values);
  const known = effectiveConfigs.get(key);
  if (known) return known;
  const clean = structuredClone(values);
  validateLayer(clean);
  checkMcpServers(clean);
  const config = ConfigSchema.parse(clean);
  effectiveConfigs.set(key, config);
  return config;
}

/** A server sees a handful of distinct configs (one per thread's overrides). */
const effectiveConfigs = new BoundedMemo<Config>(16);

/** The first problem of the edited keys (their values, or a required key they remove) in edited config text. */
export function editProblem(text: string, keyPaths: readonly string[]): string | undefined {
  const { problems } = validateLayer(parseToml(text) as ConfigTable);
  const edited = keyPaths.map(parseKeyPath);
  return problems.find((p) => edited.some((k) => k.every((part, i) => p.path[i] === part)))?.message;
}

type Found = Pick<LayerCheck, 'problems' | 'ignored'>;

/** Checks a value where the schema expects `schema`; false when it must be dropped. */
function check(schema: z.ZodType, path: string[], value: unknown, found: Found): boolean {
  const keyPath = formatKeyPath(path);
  if (isWalkable(schema)) {
    if (!isTable(value)) {
      found.problems.push({ path, keyPath, message: `${keyPath} ${keyDocs.get(schema)?.expects ?? 'must be a table'}; got ${describe(value)}` });
      return false;
    }
    return checkTable(schema, value, path, found);
  }
  if (schema.safeParse(value).success) return true;
  found.problems.push({ path, keyPath, message: `${keyPath} ${keyDocs.get(schema)?.expects ?? 'has the wrong type'}; got ${describe(value)}` });
  return false;
}

function checkTable(schema: z.ZodType, table: ConfigTable, prefix: string[], found: Found): boolean {
  const { problems } = found;
  const before = problems.length;
  const required = requiredOf(schema);
  let complete = true;
  for (const name of required) {
    if (name in table) continue;
    const keyPath = formatKeyPath([...prefix, name]);
    problems.push({ path: [...prefix, name], keyPath, message: `${keyPath} is required` });
    complete = false;
  }
  for (const [name, value] of Object.entries(table)) {
    const field = fieldOf(schema, name);
    if (field === undefined || check(field, [...prefix, name], value, found)) continue;
    delete table[name];
    if (required.includes(name)) complete = false;
  }
  const rule = tableRules.get(bare(schema));
  if (!rule) return complete;
  for (const name of Object.keys(table)) {
    if (fieldOf(schema, name) !== undefined) continue;
    const path = [...prefix, name];
    const keyPath = formatKeyPath(path);
    const why = rule.codexOnly?.includes(name) ? 'is a codex setting Tandem does not support yet' : 'is not a setting Tandem knows';
    found.ignored.push({ path, keyPath, message: `${keyPath} ${why}; it was ignored` });
  }
  if (rule.skipsWhole === undefined || problems.length === before) return complete;
  for (const problem of problems.slice(before)) problem.skipped = `(the ${rule.skipsWhole} ${JSON.stringify(prefix[prefix.length - 1])} was skipped)`;
  return false;
}

/** The schema without its optional and default wrappers. */
function bare(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodPrefault) current = current.unwrap() as z.ZodType;
  return current;
}

/** Tables checked key by key: objects, and records of tables. Anything else is checked as one value. */
function isWalkable(schema: z.ZodType): boolean {
  const inner = bare(schema);
  return inner instanceof z.ZodObject || (inner instanceof z.ZodRecord && isWalkable(inner.valueType as z.ZodType));
}

/** The schema of a key inside a table, or undefined when Tandem does not use the key. */
function fieldOf(schema: z.ZodType, name: string): z.ZodType | undefined {
  const inner = bare(schema);
  if (inner instanceof z.ZodObject) return Object.hasOwn(inner.shape, name) ? (inner.shape[name] as z.ZodType) : undefined;
  if (inner instanceof z.ZodRecord) return inner.valueType as z.ZodType;
  return undefined;
}

function requiredOf(schema: z.ZodType): string[] {
  const inner = bare(schema);
  if (!(inner instanceof z.ZodObject)) return [];
  return Object.entries(inner.shape as Record<string, z.ZodType>)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([name]) => name);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return 'a date';
  if (Array.isArray(value)) {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 59)}…` : text;
  }
  return typeof value === 'object' && value !== null ? 'a table' : String(value);
}
