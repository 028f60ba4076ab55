// Every notification and server request Tandem sends has a descriptor; each descriptor's params must have
// the shape codex's schema gives the same method: no field codex lacks, every field codex requires.
import { strict as assert } from 'node:assert';
import { z } from 'zod';
import { SERVER_NOTIFICATIONS, SERVER_REQUESTS } from '../../../src/protocol';
import { SchemaConformance } from '../../support/schemaConformance';

function shapeOf(schema: z.ZodType): { properties: string[]; required: string[] } {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as { properties?: Record<string, unknown>; required?: string[] };
  return { properties: Object.keys(json.properties ?? {}).sort(), required: [...(json.required ?? [])].sort() };
}

describe('protocol: server messages against the codex schema', function () {
  this.timeout(60_000);
  let conformance: SchemaConformance;
  before(() => {
    conformance = new SchemaConformance();
  });

  const cases = [
    ...SERVER_NOTIFICATIONS.map((d) => ({ kind: 'notification' as const, descriptor: d as { method: string; params: z.ZodType } })),
    ...SERVER_REQUESTS.map((d) => ({ kind: 'serverRequest' as const, descriptor: d as { method: string; params: z.ZodType } })),
  ];
  for (const { kind, descriptor } of cases) {
    it(`${kind} ${descriptor.method}`, () => {
      const codex = conformance.paramsShape(kind, descriptor.method);
      assert.ok(codex, `codex has no ${kind} ${descriptor.method}`);
      const ours = shapeOf(descriptor.params);
      const invented = ours.properties.filter((p) => !codex.properties.includes(p));
      assert.deepEqual(invented, [], `fields codex does not have in ${descriptor.method}`);
      const missing = codex.required.filter((p) => !ours.properties.includes(p));
      assert.deepEqual(missing, [], `fields codex requires in ${descriptor.method}`);
    });
  }

  it('lists each method once', () => {
    const methods = cases.map((c) => `${c.kind} ${c.descriptor.method}`);
    assert.equal(new Set(methods).size, methods.length);
  });
});
