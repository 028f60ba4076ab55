// A test-only tool for turn-loop tests: it answers with its arguments, after an optional delay.
import type { ToolHandler } from '../../src/core/tools/registry';
import { parseArguments } from '../../src/core/tools/registry';

export const testLookupTool: ToolHandler = {
  name: 'test_lookup',
  parallel: true,
  spec: {
    type: 'function',
    name: 'test_lookup',
    description: 'Test-only: returns what it was given.',
    strict: false,
    parameters: { type: 'object', properties: { key: { type: 'string' }, delayMs: { type: 'number' } }, required: ['key'], additionalProperties: false },
  },
  async handle(call, context) {
    const args = parseArguments(call);
    if (!args.ok) return { output: args.message, success: false };
    const delay = Number(args.value.delayMs ?? 0);
    if (delay > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, delay);
        context.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('aborted'));
        });
      });
    }
    return { output: `value-of-${String(args.value.key)}`, success: true };
  },
};
