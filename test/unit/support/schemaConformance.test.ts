import { strict as assert } from 'node:assert';
import { SchemaConformance } from '../../support/schemaConformance';

describe('test support: schema conformance against codex', function () {
  this.timeout(60_000);
  let conformance: SchemaConformance;
  before(() => {
    conformance = new SchemaConformance();
  });

  it('accepts a valid notification and response', () => {
    conformance.check({ method: 'thread/name/updated', params: { threadId: 't', threadName: 'n' } }, undefined);
    conformance.check({ id: 1, result: {} }, 'thread/archive');
    assert.deepEqual(conformance.violations, []);
  });

  it('reports the path and rule of a message that does not validate', () => {
    conformance.check({ method: 'turn/completed', params: { threadId: 't', turn: { id: 'x', items: [], status: 'done' } } }, undefined);
    conformance.check({ id: 2, result: { turnId: 5 } }, 'turn/steer');
    conformance.check({ method: 'no/such/notification', params: {} }, undefined);
    assert.equal(conformance.violations.length, 3);
    assert.match(conformance.violations[0]!.problem, /\/turn\/status/);
    assert.match(conformance.violations[1]!.problem, /\/turnId must be string/);
    assert.match(conformance.violations[2]!.problem, /codex has no notification named no\/such\/notification/);
    conformance.violations.length = 0;
  });

  it('checks the responses of methods only the experimental schema has against it', () => {
    conformance.check({ id: 3, result: { data: [{ name: 'Plan', mode: 'plan', model: null, reasoning_effort: 'medium' }] } }, 'collaborationMode/list');
    assert.equal(conformance.violations.length, 0, JSON.stringify(conformance.violations));
    conformance.check({ id: 4, result: { data: [{ mode: 'plan' }] } }, 'collaborationMode/list');
    assert.equal(conformance.violations.length, 1);
    assert.match(conformance.violations[0]!.problem, /must have required property 'name'/);
    conformance.violations.length = 0;
  });

  it('knows the client methods of the core subset', () => {
    for (const method of ['thread/start', 'turn/start', 'thread/list', 'model/list']) assert.ok(conformance.clientMethods.includes(method), method);
  });
});
