import { ExecPolicy } from '../../../../src/core/approvals/execPolicy';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ToolCallItem } from '../../../../src/core/model/responseItems';
import { APPLY_PATCH_GRAMMAR, applyPatchTool } from '../../../../src/core/tools/applyPatchTool';
import { ExecCommandArguments } from '../../../../src/core/tools/execToolSchemas';
import { ExecSessions, execTools, type ExecToolDeps } from '../../../../src/core/tools/execTools';
import type { ToolCallContext, ToolHandler } from '../../../../src/core/tools/registry';
import { parseToolArguments } from '../../../../src/core/tools/toolArguments';
import { updatePlanTool } from '../../../../src/core/tools/updatePlanTool';

const call = (name: string, args: unknown): ToolCallItem => ({ type: 'function_call', name, call_id: 'c1', arguments: JSON.stringify(args) });

const PATCH_DESCRIPTION = `Edit files with a patch. The patch starts with "*** Begin Patch" and ends with "*** End Patch". Each file section is one of:
*** Add File: <relative path>   followed by the whole new contents, every line starting with "+"
*** Delete File: <relative path>
*** Update File: <relative path>   optionally followed by "*** Move to: <new relative path>", then hunks.
A hunk starts with "@@" (optionally "@@ <a line near the change>", such as a function signature) and has lines starting with " " (unchanged context), "-" (removed) or "+" (added). Give about three lines of context around each change, do not repeat context between close changes, and use paths relative to the working directory. The whole patch is checked before anything is written; if a hunk does not match, nothing changes and the error says which hunk.`;

/** An object whose every member, other than the given values, records that it was touched. */
function recorder<T>(touched: string[], values: Record<string, unknown> = {}): T {
  return new Proxy({} as Record<string, unknown>, {
    get(_target, prop) {
      if (typeof prop === 'string' && prop in values) return values[prop];
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      touched.push(prop);
      return (...args: unknown[]) => {
        touched.push(`${prop}(${JSON.stringify(args)})`);
        return undefined;
      };
    },
  }) as T;
}

function harness(cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-tool-args-'))) {
  const touched: string[] = [];
  const context = recorder<ToolCallContext>(touched, {
    threadId: 't1',
    turnId: 'u1',
    cwd,
    home: path.join(cwd, 'home'),
    signal: new AbortController().signal,
    approvalPolicy: 'never',
    sandbox: { type: 'dangerFullAccess' },
  });
  const deps: ExecToolDeps = { processes: recorder(touched), execPolicy: ExecPolicy.empty(), environmentPolicy: () => recorder(touched), warnOnce: (m) => touched.push(`warnOnce ${m}`) };
  const sessions = new ExecSessions();
  const [execCommand, writeStdin] = execTools(deps, sessions) as [ToolHandler, ToolHandler];
  return { touched, context, sessions, execCommand, writeStdin, cwd };
}

/** Runs a call that must fail on its arguments: the model reads `message`, and nothing was touched. */
async function rejects(tool: ToolHandler, args: unknown, message: string) {
  const { context, touched } = harness();
  const result = await tool.handle(call(tool.name, args), context);
  assert.deepEqual(result, { output: message, success: false });
  assert.deepEqual(touched, [], 'nothing ran');
}

describe('core/tools: argument schemas', () => {
  describe('exec_command', () => {
    it('offers the same spec as before', () => {
      assert.deepEqual(harness().execCommand.spec, {
        type: 'function',
        name: 'exec_command',
        description:
          'Run a shell command in the workspace and return its output. Returns after the command exits or after yield_time_ms; a command still running gets a session_id for write_stdin. Set workdir instead of using cd. Set sandbox_permissions to "require_escalated" (with a justification) only when the command must run outside the sandbox.',
        strict: false,
        parameters: {
          type: 'object',
          properties: {
            cmd: { type: 'string', description: 'The shell command to run.' },
            workdir: { type: 'string', description: 'Working directory, relative to the thread cwd or absolute.' },
            yield_time_ms: { type: 'number', description: 'How long to wait for output before returning (default 10000).' },
            max_output_tokens: { type: 'number', description: 'Cap on the output returned (default 10000 tokens).' },
            tty: { type: 'boolean', description: 'Run in a pseudo-terminal (default false).' },
            shell: { type: 'string', description: 'An installed shell, by path or name (default: the user shell).' },
            login: { type: 'boolean', description: 'Run as a login shell (default true).' },
            sandbox_permissions: { type: 'string', enum: ['use_default', 'require_escalated'] },
            justification: { type: 'string', description: 'Why escalation is needed, shown to the user.' },
          },
          required: ['cmd'],
          additionalProperties: false,
        },
      });
    });

    it('turns bad arguments into one error naming each field, and runs nothing', async () => {
      const { execCommand } = harness();
      await rejects(execCommand, {}, 'exec_command: invalid arguments: cmd: required, expected a string');
      await rejects(execCommand, { cmd: 3 }, 'exec_command: invalid arguments: cmd: expected a string, got 3');
      await rejects(
        execCommand,
        { cmd: 'touch x', yield_time_ms: 'soon', tty: 'yes', sandbox_permissions: 'sudo' },
        'exec_command: invalid arguments: yield_time_ms: expected a number, got "soon"; tty: expected a boolean, got "yes"; sandbox_permissions: expected one of "use_default", "require_escalated", got "sudo"',
      );
      await rejects(execCommand, { cmd: 'touch x', workdir: ['a'] }, 'exec_command: invalid arguments: workdir: expected a string, got ["a"]');
    });

    it('keeps its leniency: numbers as strings, null for a field left out, unknown fields ignored', () => {
      const parsed = parseToolArguments(
        call('exec_command', { cmd: 'ls', yield_time_ms: '300', max_output_tokens: '20', workdir: null, justification: null, with_escalated_permissions: false }),
        'exec_command',
        ExecCommandArguments,
      );
      assert.deepEqual(parsed, { ok: true, value: { cmd: 'ls', yield_time_ms: 300, max_output_tokens: 20 } });
    });

    it('still refuses a blank command before anything runs', async () => {
      await rejects(harness().execCommand, { cmd: '   ' }, 'exec_command needs a non-empty "cmd"');
    });
  });

  describe('write_stdin', () => {
    it('offers the same spec as before', () => {
      assert.deepEqual(harness().writeStdin.spec, {
        type: 'function',
        name: 'write_stdin',
        description: 'Write characters to a running exec_command session (or send "" to poll) and return the output since the last read.',
        strict: false,
        parameters: {
          type: 'object',
          properties: {
            session_id: { type: 'number' },
            chars: { type: 'string', description: 'Characters to write; include "\\n" to submit a line. Empty to just read.' },
            yield_time_ms: { type: 'number' },
            max_output_tokens: { type: 'number' },
          },
          required: ['session_id'],
          additionalProperties: false,
        },
      });
    });

    it('turns bad arguments into one error naming each field, and touches no process', async () => {
      const { writeStdin } = harness();
      await rejects(writeStdin, { chars: 'x' }, 'write_stdin: invalid arguments: session_id: required, expected a number');
      await rejects(writeStdin, { session_id: 'one', chars: 5 }, 'write_stdin: invalid arguments: session_id: expected a number, got "one"; chars: expected a string, got 5');
    });

    it('reads a session id sent as a string', async () => {
      const { writeStdin, context, sessions } = harness();
      sessions.add(7, { itemId: 'call-7', command: 'cat', cwd: '/w' });
      const result = await writeStdin.handle(call('write_stdin', { session_id: '7', chars: 'x' }), context);
      assert.deepEqual(result, { output: 'Unknown session ID 7; the process may have exited already.', success: false });
    });
  });

  describe('apply_patch', () => {
    it('offers the same function spec as before', () => {
      assert.deepEqual(applyPatchTool('function').spec, {
        type: 'function',
        name: 'apply_patch',
        description: PATCH_DESCRIPTION,
        strict: false,
        parameters: {
          type: 'object',
          properties: { input: { type: 'string', description: 'The entire patch, from *** Begin Patch to *** End Patch.' } },
          required: ['input'],
          additionalProperties: false,
        },
      });
    });

    it('keeps the freeform variant a grammar', () => {
      assert.deepEqual(applyPatchTool('freeform').spec, {
        type: 'custom',
        name: 'apply_patch',
        description: `${PATCH_DESCRIPTION}\nThis is a FREEFORM tool: send the patch text itself, not JSON.`,
        format: { type: 'grammar', syntax: 'lark', definition: APPLY_PATCH_GRAMMAR },
      });
    });

    it('turns bad arguments into one error and writes nothing', async () => {
      const tool = applyPatchTool('function');
      await rejects(tool, {}, 'apply_patch: invalid arguments: input: required, expected a string');
      await rejects(tool, { input: { patch: 'x' } }, 'apply_patch: invalid arguments: input: expected a string, got {"patch":"x"}');
    });

    it('reads the freeform text as its input', async () => {
      const { context, touched } = harness();
      const custom: ToolCallItem = { type: 'custom_tool_call', name: 'apply_patch', call_id: 'c1', input: 'not a patch' };
      const result = await applyPatchTool('freeform').handle(custom, context);
      assert.equal(result.success, false);
      assert.match(String(result.output), /^apply_patch verification failed: /);
      assert.deepEqual(touched, []);
    });
  });

  describe('update_plan', () => {
    it('offers the same spec as before', () => {
      assert.deepEqual(updatePlanTool.spec, {
        type: 'function',
        name: 'update_plan',
        description:
          'Record the plan for this task as a short list of steps, each pending, in_progress or completed. At most one step is in_progress. Call it again as steps finish.',
        strict: false,
        parameters: {
          type: 'object',
          properties: {
            explanation: { type: 'string' },
            plan: {
              type: 'array',
              items: {
                type: 'object',
                properties: { step: { type: 'string' }, status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] } },
                required: ['step', 'status'],
                additionalProperties: false,
              },
            },
          },
          required: ['plan'],
          additionalProperties: false,
        },
      });
    });

    it('turns bad arguments into one error naming each entry, and publishes nothing', async () => {
      await rejects(updatePlanTool, {}, 'update_plan: invalid arguments: plan: required, expected an array');
      await rejects(
        updatePlanTool,
        { explanation: 7, plan: [{ step: 'read', status: 'done' }, 'write', { status: 'pending' }] },
        'update_plan: invalid arguments: explanation: expected a string, got 7; plan[0].status: expected one of "pending", "in_progress", "completed", got "done"; plan[1]: expected an object, got "write"; plan[2].step: required, expected a string',
      );
      await rejects(updatePlanTool, { plan: [{ step: 'a', status: 'in_progress' }, { step: 'b', status: 'in_progress' }] }, 'at most one step may be in_progress');
    });

    it('publishes a good plan, null explanation read as none', async () => {
      const { context, touched } = harness();
      const result = await updatePlanTool.handle(call('update_plan', { explanation: null, plan: [{ step: 'read', status: 'in_progress', note: 'ignored' }] }), context);
      assert.deepEqual(result, { output: 'Plan updated', success: true });
      assert.deepEqual(touched, ['publishPlan', 'publishPlan([null,[{"step":"read","status":"inProgress"}]])']);
    });
  });

  it('keeps the messages for arguments that are not a JSON object', async () => {
    const bad: ToolCallItem = { type: 'function_call', name: 'update_plan', call_id: 'c1', arguments: '{plan' };
    const { context } = harness();
    const result = await updatePlanTool.handle(bad, context);
    assert.match(String(result.output), /^failed to parse function arguments: /);
    await rejects(updatePlanTool, [1], 'arguments must be a JSON object');
  });
});
