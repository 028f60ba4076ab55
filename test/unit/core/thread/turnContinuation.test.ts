import { strict as assert } from 'node:assert';
import { CUT_OFF_OUTPUT, outputsForCutOffCalls } from '../../../../src/core/thread/turnContinuation';

describe('core/thread/turnContinuation', () => {
  it('answers only the tool calls that have no output, in call order', () => {
    const outputs = outputsForCutOffCalls([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'go' }] },
      { type: 'function_call', name: 'exec_command', arguments: '{}', call_id: 'done' },
      { type: 'function_call_output', call_id: 'done', output: 'ok' },
      { type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch', call_id: 'patch' },
      { type: 'function_call', name: 'exec_command', arguments: '{}', call_id: 'cmd' },
    ]);
    assert.deepEqual(outputs, [
      { type: 'custom_tool_call_output', call_id: 'patch', output: CUT_OFF_OUTPUT },
      { type: 'function_call_output', call_id: 'cmd', output: CUT_OFF_OUTPUT },
    ]);
    assert.deepEqual(outputsForCutOffCalls([]), []);
  });
});
