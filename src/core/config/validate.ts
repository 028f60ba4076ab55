// Checks config values against the schema. A bad value is dropped and reported with its key path, so the
// rest of the file still applies; a table missing a required key is dropped whole. Keys Tandem does not use
// are kept, and the top-level ones are listed so a typo does not go unnoticed.
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { ConfigLayerSchema, ConfigSchema, keyDocs, type Config } from './schema';
import { formatKeyPath, isTable, parseKeyPath, type ConfigTable } from './table';

export interface ValueProblem {
  /** The key's segments. */
  path: string[];
  /** The same as a dotted key path, segments quoted where TOML needs it (as the message names it). */
  keyPath: string;
  message: string;
}

/** Removes bad values from a parsed layer and says what each was; lists unknown top-level keys. */
export function validateLayer(values: ConfigTable): { problems: ValueProblem[]; unknownKeys: string[] } {
  const problems: ValueProblem[] = [];
  checkTable(ConfigLayerSchema, values, [], problems);
  return { problems, unknownKeys: Object.keys(values).filter((key) => fieldOf(ConfigLayerSchema, key) === undefined) };
}

/** The effective config: the values that pass the schema, with every default filled in. */
export function effectiveConfig(values: ConfigTable): Config {
  const clean = structuredClone(values);
  validateLayer(clean);
  return ConfigSchema.parse(clean);
}

/** The first problem of the edited keys (their values, or a required key they remove) in edited config text. */
export function editProblem(text: string, keyPaths: readonly string[]): string | undefined {
  const { problems } = validateLayer(parseToml(text) as ConfigTable);
  const edited = keyPaths.map(parseKeyPath);
  return problems.find((p) => edited.some((k) => k.every((part, i) => p.path[i] === part)))?.message;
}

/** Checks a value where the schema expects `schema`; false when it must be dropped. */
function check(schema: z.ZodType, path: string[], value: unknown, problems: ValueProblem[]): boolean {
  const keyPath = formatKeyPath(path);
  if (isWalkable(schema)) {
    if (!isTable(value)) {
      problems.push({ path, keyPath, message: `${keyPath} ${keyDocs.get(schema)?.expects ?? 'must be a table'}; got ${describe(value)}` });
      return false;
    }
    return checkTable(schema, value, path, problems);
  }
  if (schema.safeParse(value).success) return true;
  problems.push({ path, keyPath, message: `${keyPath} ${keyDocs.get(schema)?.expects ?? 'has the wrong type'}; got ${describe(value)}` });
  return false;
}

function checkTable(schema: z.ZodType, table: ConfigTable, prefix: string[], problems: ValueProblem[]): boolean {
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
    if (field === undefined || check(field, [...prefix, name], value, problems)) continue;
    delete table[name];
    if (required.includes(name)) complete = false;
  }
  return complete;
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
