import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ConfigSchema, keyDocs, type KeyDoc } from '../../../../src/core/config/schema';

// The README's config table is the schema, written out: one row per documented key, in the schema's order.

interface Row {
  key: string;
  doc: KeyDoc;
  defaultValue: unknown;
}

function bare(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodPrefault) current = current.unwrap() as z.ZodType;
  return current;
}

/** Documented keys are rows; undocumented tables are walked (a table of tables names its entries `<id>`). */
function rowsOf(schema: z.ZodType, prefix: string): Row[] {
  const inner = bare(schema);
  if (inner instanceof z.ZodRecord) return rowsOf(inner.valueType as z.ZodType, `${prefix}<id>.`);
  assert.ok(inner instanceof z.ZodObject, `${prefix} is neither a documented key nor a table`);
  return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([name, field]) => {
    const doc = keyDocs.get(field);
    if (!doc) return rowsOf(field, `${prefix}${name}.`);
    return [{ key: `${prefix}${name}`, doc, defaultValue: field instanceof z.ZodDefault ? (field.def.defaultValue as unknown) : undefined }];
  });
}

function defaultText(row: Row): string | undefined {
  if (row.doc.defaultText) return row.doc.defaultText;
  const value = row.defaultValue;
  if (value === undefined) return undefined;
  return typeof value === 'number' ? String(value) : `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

const rendered = (row: Row) => {
  const fallback = defaultText(row);
  return `| \`${row.key}\` | ${row.doc.description}${fallback ? ` (${fallback})` : ''} |`;
};

/** The table under "## Configuration" whose header is `| key | meaning (default) |`. */
function readmeTable(): string[] {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8').split('\n');
  const section = readme.indexOf('## Configuration');
  const header = readme.indexOf('| key | meaning (default) |', section);
  assert.ok(section !== -1 && header !== -1, 'the README has a configuration table');
  const end = readme.findIndex((line, i) => i > header && !line.startsWith('|'));
  return readme.slice(header, end);
}

describe("README: the config table and the schema", () => {
  const rows = rowsOf(ConfigSchema, '');
  const expected = ['| key | meaning (default) |', '|---|---|', ...rows.map(rendered)];

  it('names every key of the schema, and only those', () => {
    const named = readmeTable()
      .slice(2)
      .map((line) => /^\| `([^`]+)` \|/.exec(line)?.[1] ?? line);
    assert.deepEqual(named, rows.map((row) => row.key), `the README's config table should read:\n${expected.join('\n')}`);
  });

  it("gives each key the schema's description and default", () => {
    assert.deepEqual(readmeTable(), expected, `the README's config table should read:\n${expected.join('\n')}`);
  });

  it('documents every key with one line that says what a wrong value must be', () => {
    for (const row of rows) {
      assert.doesNotMatch(row.doc.description, /\n|\|/, row.key);
      assert.match(row.doc.expects, /^must be /, row.key);
    }
    const approval = rows.find((row) => row.key === 'approval_policy')!;
    assert.equal(
      approval.doc.description,
      'when Tandem asks before it acts: `untrusted`, `on-request` or `never`, or `{ granular = { sandbox_approval = …, rules = …, mcp_elicitations = … } }` (on-request with those questions turned off when false)',
    );
    assert.match(approval.doc.expects, /^must be one of .*, or a \{ granular = \{ … \} \} table$/);
    assert.equal(approval.defaultValue, 'on-request');
  });
});
