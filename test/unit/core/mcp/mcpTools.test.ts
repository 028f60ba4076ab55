// Model-facing names and schemas of MCP tools, and when a call asks first.
import { strict as assert } from 'node:assert';
import { modelNamespaces, modelSafeName, modelSchema, modelToolNames } from '../../../../src/core/mcp/mcpTools';
import { mayAsk, requiresApproval } from '../../../../src/core/mcp/mcpToolCall';

describe('mcp tools: names, schemas, approval rules', () => {
  it('makes names the model accepts, unique and within 128 characters with the namespace, as codex names them', () => {
    assert.equal(modelSafeName('get-sum'), 'get_sum');
    assert.equal(modelSafeName('a.b/c@d'), 'a_b_c_d');
    assert.equal(modelSafeName('über'), '_ber');
    assert.equal(modelSafeName(''), '_');
    // The hashes are the ones codex 0.169 gives the same servers and tools.
    const names = modelToolNames('raw', 'mcp__raw', ['dotted.name', 'dotted_name', 'ok', 'x'.repeat(118)]);
    assert.equal(names.get('dotted.name'), 'dotted_name_f08c7aa8f182', 'every name of a clash gets a hash of its own');
    assert.equal(names.get('dotted_name'), 'dotted_name_ed9e216a207b');
    assert.equal(names.get('ok'), 'ok');
    assert.equal(names.get('x'.repeat(118)), 'x'.repeat(118), 'mcp__raw__ and 118 characters fit');
    assert.equal(modelToolNames('other', 'mcp__other', ['L'.repeat(130)]).get('L'.repeat(130)), `${'L'.repeat(103)}_75e1ee363ad0`);
    assert.deepEqual(
      [...modelNamespaces(['my-server', 'my_server', 'tests'])],
      [['my-server', 'mcp__my_server_497a8b629ad2'], ['my_server', 'mcp__my_server_b7840dcbfd2d'], ['tests', 'mcp__tests']],
    );
  });

  it('keeps the schema subset the model takes', () => {
    const schema = modelSchema({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        n: { type: 'number', minimum: 1, default: 3, description: 'count' },
        tags: { type: 'array', items: { type: 'string', format: 'uri' }, minItems: 1, maxItems: 3 },
        kind: { enum: ['a', 'b'] },
        fixed: { const: 3 },
        maybe: { type: ['string', 'null'] },
        either: { oneOf: [{ format: 'date' }, { type: 'null' }], title: 'Either' },
        anything: { description: 'says nothing of its type' },
        thing: { $ref: '#/$defs/thing', description: 'a thing', title: 'Thing' },
      },
      required: ['n'],
      additionalProperties: false,
      $defs: { thing: { enum: ['x'], format: 'f' }, unused: { type: 'string' } },
    });
    assert.deepEqual(schema, {
      type: 'object',
      properties: {
        anything: {},
        either: { oneOf: [{ type: 'string' }, { type: 'null' }] },
        fixed: { type: 'string', enum: [3] },
        kind: { type: 'string', enum: ['a', 'b'] },
        maybe: { type: ['string', 'null'] },
        n: { type: 'number', description: 'count' },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1 },
        thing: { $ref: '#/$defs/thing', description: 'a thing' },
      },
      required: ['n'],
      additionalProperties: false,
      $defs: { thing: { type: 'string', enum: ['x'] } },
    });
    assert.deepEqual(modelSchema(undefined), { type: 'object', properties: {} });
    assert.deepEqual(modelSchema({ type: 'object' }), { type: 'object', properties: {} });
    assert.equal(modelSchema({ type: 'object', properties: { pair: { type: 'array', items: [{ type: 'string' }, { type: 'number' }] } } }), undefined, 'a tuple cannot be offered');
  });

  it('asks for destructive and open-world tools, not for read-only or closed ones', () => {
    assert.equal(requiresApproval({ destructiveHint: true, readOnlyHint: true }), true);
    assert.equal(requiresApproval({ readOnlyHint: true }), false);
    assert.equal(requiresApproval({ readOnlyHint: false, destructiveHint: false, openWorldHint: false }), false);
    assert.equal(requiresApproval({ readOnlyHint: false, destructiveHint: false, openWorldHint: true }), true);
    assert.equal(requiresApproval({ destructiveHint: false }), true, 'an unknown world counts as open');
    assert.equal(requiresApproval({}), true);
  });

  it('asks nobody under never, or when a granular policy turns MCP questions off', () => {
    assert.equal(mayAsk('on-request'), true);
    assert.equal(mayAsk('never'), false);
    assert.equal(mayAsk({ granular: { sandbox_approval: true, rules: true, skill_approval: true, request_permissions: true, mcp_elicitations: false } }), false);
  });
});
