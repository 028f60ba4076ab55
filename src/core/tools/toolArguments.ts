// A built-in tool's arguments are one zod schema: it gives the JSON schema the model is shown and checks
// what the model sends before the tool runs, so a bad call comes back as one error the model can act on.
import { z } from 'zod';
import type { ToolCallItem } from '../model/responseItems';
import { parseArguments } from './registry';

/**
 * The `{type: "function"}` spec for a tool whose arguments are `schema`. Its JSON schema is made when the
 * spec is first read (a model request), not when the tool's module loads: that would slow every start.
 */
export function functionSpec(name: string, description: string, schema: z.ZodObject): Record<string, unknown> {
  let parameters: Record<string, unknown> | undefined;
  return {
    type: 'function',
    name,
    description,
    strict: false,
    get parameters() {
      return (parameters ??= parametersOf(schema));
    },
  };
}

/**
 * The JSON schema of a tool's arguments. The output view is used because it marks objects
 * `additionalProperties: false`; parsing itself drops unknown keys rather than failing on them.
 */
export function parametersOf(schema: z.ZodObject): Record<string, unknown> {
  const { $schema: _dialect, ...parameters } = z.toJSONSchema(schema, { io: 'output' });
  return parameters;
}

export type ParsedArguments<S extends z.ZodObject> = { ok: true; value: z.output<S> } | { ok: false; message: string };

/** Reads a call's arguments against the tool's schema; a mismatch becomes a message naming each bad field. */
export function parseToolArguments<S extends z.ZodObject>(call: ToolCallItem, tool: string, schema: S): ParsedArguments<S> {
  const raw = parseArguments(call);
  if (!raw.ok) return raw;
  // Models often send null for an optional field they mean to leave out.
  const given = Object.fromEntries(Object.entries(raw.value).filter(([, value]) => value !== null));
  const parsed = schema.safeParse(given);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues.map((issue) => describeIssue(issue, given));
  return { ok: false, message: `${tool}: invalid arguments: ${problems.join('; ')}` };
}

function describeIssue(issue: z.core.$ZodIssue, given: Record<string, unknown>): string {
  const field = fieldName(issue.path);
  // The value as the model sent it: coercion may have turned it into NaN already.
  const sent = valueAt(given, issue.path);
  if (issue.code === 'invalid_type') {
    const expected = EXPECTED[issue.expected] ?? issue.expected;
    return sent === undefined ? `${field}: required, expected ${expected}` : `${field}: expected ${expected}, got ${shown(sent)}`;
  }
  if (issue.code === 'invalid_value') {
    const choices = issue.values.map((v) => JSON.stringify(v)).join(', ');
    return sent === undefined ? `${field}: required, expected one of ${choices}` : `${field}: expected one of ${choices}, got ${shown(sent)}`;
  }
  return `${field}: ${issue.message}`;
}

const EXPECTED: Record<string, string> = { string: 'a string', number: 'a number', boolean: 'a boolean', array: 'an array', object: 'an object' };

/** `plan[0].status` for the path ["plan", 0, "status"]. */
function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'arguments';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join('');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
