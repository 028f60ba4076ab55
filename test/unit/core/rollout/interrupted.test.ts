import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INTERRUPTED_OUTPUT, PATCH_LANDED_OUTPUT, missingOutputs, settleInterruptedPatches, sha256 } from '../../../../src/core/rollout/interrupted';
import { reconstructThread } from '../../../../src/core/rollout/reconstruct';
import type { RolloutLine } from '../../../../src/core/rollout/recorder';
import type { ThreadItem } from '../../../../src/protocol';

const at = '2026-11-30T00:00:00.000Z';
const line = (type: RolloutLine['type'], payload: unknown): RolloutLine => ({ timestamp: at, type, payload });
const meta = line('session_meta', { id: 't', timestamp: at, cwd: '/w', source: 'cli', model: 'm', model_provider: 'p' });
const user = (text: string) => line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const event = (payload: Record<string, unknown>) => line('event_msg', payload);

describe('core/rollout/interrupted', () => {
  it('answers only the calls without an output, from the given point on, in call order', () => {
    const history = [
      { type: 'function_call' as const, name: 'exec_command', arguments: '{}', call_id: 'old' },
      { type: 'message' as const, role: 'user' as const, content: [{ type: 'input_text' as const, text: 'go' }] },
      { type: 'function_call' as const, name: 'exec_command', arguments: '{}', call_id: 'done' },
      { type: 'function_call_output' as const, call_id: 'done', output: 'ok' },
      { type: 'custom_tool_call' as const, name: 'apply_patch', input: '*** Begin Patch', call_id: 'patch' },
      { type: 'function_call' as const, name: 'exec_command', arguments: '{}', call_id: 'cmd' },
    ];
    assert.deepEqual(missingOutputs(history, 1), [
      { type: 'custom_tool_call_output', call_id: 'patch', output: INTERRUPTED_OUTPUT },
      { type: 'function_call_output', call_id: 'cmd', output: INTERRUPTED_OUTPUT },
    ]);
    assert.equal(missingOutputs(history).length, 3);
    // An output kept early (ready while the model still streamed) is the one the call gets.
    const early = { type: 'function_call_output' as const, call_id: 'cmd', output: 'Process exited with code 0' };
    assert.deepEqual(missingOutputs(history, 1, new Map([['cmd', early]]))[1], early);
    assert.deepEqual(missingOutputs([]), []);
  });

  it('rebuilds a crashed turn: started items fail honestly, the last turn’s open calls get an output, plans and diffs come back', () => {
    const command: ThreadItem = { type: 'commandExecution', id: 'cmd-1', command: 'make', cwd: '/w', processId: null, source: 'agent', status: 'inProgress', commandActions: [], aggregatedOutput: null, exitCode: null, durationMs: null };
    const done: ThreadItem = { type: 'commandExecution', id: 'cmd-0', command: 'ls', cwd: '/w', processId: null, source: 'agent', status: 'completed', commandActions: [], aggregatedOutput: 'a', exitCode: 0, durationMs: 1 };
    const rebuilt = reconstructThread([
      meta,
      event({ type: 'task_started', turn_id: 'turn-1', started_at: 1 }),
      user('first'),
      event({ type: 'plan_updated', turn_id: 'turn-1', explanation: null, plan: [{ step: 'a', status: 'completed' }] }),
      event({ type: 'turn_diff', turn_id: 'turn-1', diff: 'diff one' }),
      event({ type: 'task_complete', turn_id: 'turn-1', status: 'completed', error: null, completed_at: 2, duration_ms: 1 }),
      event({ type: 'task_started', turn_id: 'turn-2', started_at: 3 }),
      user('second'),
      line('response_item', { type: 'function_call', name: 'exec_command', arguments: '{}', call_id: 'c0' }),
      event({ type: 'item_started', turn_id: 'turn-2', item: { ...done, status: 'inProgress' } }),
      event({ type: 'item_completed', turn_id: 'turn-2', item: done }),
      line('response_item', { type: 'function_call_output', call_id: 'c0', output: 'a' }),
      line('response_item', { type: 'function_call', name: 'exec_command', arguments: '{}', call_id: 'c1' }),
      event({ type: 'item_started', turn_id: 'turn-2', item: command }),
      event({ type: 'plan_updated', turn_id: 'turn-2', explanation: 'now', plan: [{ step: 'b', status: 'inProgress' }] }),
    ]);
    const [first, second] = rebuilt.turns;
    assert.equal(first!.status, 'completed');
    assert.equal(second!.status, 'interrupted');
    assert.deepEqual(
      second!.items.map((i) => [i.id, 'status' in i ? i.status : null]),
      [
        ['cmd-0', 'completed'],
        ['cmd-1', 'failed'],
      ],
      'one item per id: the completion replaced the start',
    );
    assert.match((second!.items[1] as { aggregatedOutput: string }).aggregatedOutput, /interrupted: Tandem stopped before this finished/);
    assert.deepEqual([...rebuilt.interruptedItems!], ['cmd-1']);
    assert.deepEqual(rebuilt.recoveredHistory, [{ type: 'function_call_output', call_id: 'c1', output: INTERRUPTED_OUTPUT }]);
    assert.deepEqual(rebuilt.history.at(-1), rebuilt.recoveredHistory![0]);
    assert.deepEqual(rebuilt.plans?.get('turn-2'), { explanation: 'now', plan: [{ step: 'b', status: 'inProgress' }] });
    assert.equal(rebuilt.diffs?.get('turn-1'), 'diff one');
  });

  it('reads a patch cut off mid-write as completed only when every file it wrote is on disk as written', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-interrupted-'));
    const written = path.join(dir, 'written.txt');
    const removed = path.join(dir, 'removed.txt');
    fs.writeFileSync(written, 'new content\n');
    const patchItem = (id: string): ThreadItem => ({ type: 'fileChange', id, changes: [], status: 'inProgress' });
    const rebuilt = reconstructThread([
      meta,
      event({ type: 'task_started', turn_id: 'turn-1', started_at: 1 }),
      event({ type: 'item_started', turn_id: 'turn-1', item: patchItem('landed') }),
      event({ type: 'patch_writing', turn_id: 'turn-1', item_id: 'landed', files: [{ path: written, sha256: sha256('new content\n') }, { path: removed, sha256: null }] }),
      event({ type: 'item_started', turn_id: 'turn-1', item: patchItem('not-landed') }),
      event({ type: 'patch_writing', turn_id: 'turn-1', item_id: 'not-landed', files: [{ path: written, sha256: sha256('other content\n') }] }),
      event({ type: 'item_started', turn_id: 'turn-1', item: patchItem('never-wrote') }),
      event({ type: 'item_completed', turn_id: 'turn-1', item: { ...patchItem('failed-for-real'), status: 'failed' } }),
      event({ type: 'patch_writing', turn_id: 'turn-1', item_id: 'failed-for-real', files: [{ path: written, sha256: sha256('new content\n') }] }),
    ]);
    const recovered = [
      { type: 'custom_tool_call_output' as const, call_id: 'landed', output: INTERRUPTED_OUTPUT },
      { type: 'custom_tool_call_output' as const, call_id: 'not-landed', output: INTERRUPTED_OUTPUT },
    ];
    await settleInterruptedPatches(rebuilt.turns, rebuilt.interruptedItems!, rebuilt.patchIntents!, recovered);
    assert.deepEqual(recovered.map((r) => r.output), [PATCH_LANDED_OUTPUT, INTERRUPTED_OUTPUT], 'the model is told what landed');
    const status = Object.fromEntries(rebuilt.turns[0]!.items.map((i) => [i.id, (i as { status: string }).status]));
    assert.deepEqual(status, { landed: 'completed', 'not-landed': 'failed', 'never-wrote': 'failed', 'failed-for-real': 'failed' });
  });
});
