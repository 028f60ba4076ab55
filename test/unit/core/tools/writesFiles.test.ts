import { strict as assert } from 'node:assert';
import { applyPatchTool } from '../../../../src/core/tools/applyPatchTool';
import { ToolRegistry, type ToolHandler } from '../../../../src/core/tools/registry';

describe('core/tools: calls that change files whatever their arguments', () => {
  it('names apply_patch (either form) and nothing that depends on its arguments', () => {
    const command: ToolHandler = { name: 'exec_command', parallel: true, spec: { type: 'function', name: 'exec_command' }, handle: async () => ({ output: '', success: true }) };
    const namespace: ToolHandler = { name: 'mcp__files', namespace: true, parallel: true, spec: {}, handle: async () => ({ output: '', success: true }) };
    for (const variant of ['freeform', 'function'] as const) {
      const registry = new ToolRegistry([applyPatchTool(variant), command, namespace]);
      assert.equal(registry.writesFiles('apply_patch'), true, variant);
      assert.equal(registry.writesFiles('exec_command'), false);
      assert.equal(registry.writesFiles('apply_patch', 'mcp__files'), false, "a namespace's member of the same name is the namespace's");
      assert.equal(registry.writesFiles('unknown'), false);
    }
  });
});
