// Lines in the shapes codex 0.169 writes (see test/integration/codexRollouts.test.ts for rollouts codex
// really wrote), read into Tandem's: the cases a short scripted codex run does not produce.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readRolloutWithBase } from '../../../../src/core/rollout/historyBase';
import { parseRollout } from '../../../../src/core/rollout/reader';
import { reconstructThread } from '../../../../src/core/rollout/reconstruct';

const THREAD = '01a22e95-3bfa-7ad0-a712-3cd26b2f4b2f';
const TURN = '01a22e95-3c08-7ef0-9c2d-8580a5560727';
const line = (type: string, payload: unknown, ordinal?: number) => JSON.stringify({ timestamp: '2026-05-01T10:00:05.000Z', ordinal, type, payload });
const meta = (extra: Record<string, unknown> = {}) =>
  line('session_meta', { id: THREAD, timestamp: '2026-05-01T10:00:00.000Z', cwd: '/w', originator: 'codex_cli_rs', cli_version: '0.169.0', source: 'mcp', model_provider: 'openai', base_instructions: { text: 'b' }, ...extra }, 0);
const started = (turn = TURN) => line('event_msg', { type: 'task_started', turn_id: turn, started_at: 1 });
const completedItem = (item: unknown, turn = TURN) => line('event_msg', { type: 'item_completed', thread_id: THREAD, turn_id: turn, item });

describe('core/rollout: rollouts codex wrote', () => {
  it('ends an aborted turn as interrupted and skips item and line kinds Tandem has no shape for', () => {
    const text = [
      meta(),
      started(),
      line('turn_context', { turn_id: TURN, cwd: '/w', approval_policy: 'on-failure', sandbox_policy: { type: 'workspace-write', writable_roots: ['/x'], network_access: true }, model: 'gpt-5.5', collaboration_mode: { mode: 'default', settings: { reasoning_effort: 'high' } }, summary: 'auto' }),
      line('world_state', { full: true }),
      line('token_usage_record', { usage: {} }),
      completedItem({ type: 'UserMessage', id: 'u1', content: [{ type: 'text', text: 'hello', text_elements: [{ byte_range: { start: 0, end: 5 }, placeholder: null }] }, { type: 'image', image_url: 'data:x' }] }),
      completedItem({ type: 'WebSearch', id: 'w1', query: 'q', action: { type: 'search' } }),
      completedItem({ type: 'Plan', id: 'p1', text: 'a plan' }),
      completedItem({ type: 'AgentMessage', id: 'm1', content: [{ type: 'Text', text: 'part one, ' }, { type: 'Text', text: 'part two' }], phase: 'final_answer' }),
      line('event_msg', { type: 'token_count', info: null }),
      line('event_msg', { type: 'token_count', info: { total_token_usage: { input_tokens: 7, output_tokens: 3, total_tokens: 10 }, last_token_usage: { input_tokens: 7, output_tokens: 3, total_tokens: 10 }, model_context_window: 1000 } }),
      line('event_msg', { type: 'some_future_event', turn_id: TURN }),
      line('event_msg', { type: 'turn_aborted', turn_id: TURN, reason: 'interrupted' }),
    ].join('\n');
    const { lines, warnings } = parseRollout(text);
    assert.deepEqual(warnings, []);
    const thread = reconstructThread(lines);
    assert.equal(thread.meta.model, 'gpt-5.5', 'from the turn context');
    assert.equal(thread.meta.source, 'appServer');
    assert.equal(thread.meta.forked_from_id, null);
    assert.deepEqual(thread.lastContext?.sandbox_policy, { type: 'workspaceWrite', writableRoots: ['/x'], networkAccess: true });
    assert.equal(thread.lastContext?.approval_policy, 'on-request');
    assert.equal(thread.lastContext?.effort, 'high');
    assert.equal(thread.turns.length, 1);
    assert.equal(thread.turns[0]!.status, 'interrupted');
    assert.equal(thread.unfinishedTurnId, null, 'an interrupted turn is finished');
    assert.deepEqual(thread.turns[0]!.items, [
      { type: 'userMessage', id: 'u1', content: [{ type: 'text', text: 'hello', text_elements: [{ byteRange: { start: 0, end: 5 }, placeholder: null }] }, { type: 'image', url: 'data:x', detail: null }] },
      { type: 'agentMessage', id: 'm1', text: 'part one, part two', phase: 'final_answer' },
    ]);
    assert.equal(thread.preview, 'hello');
    assert.deepEqual(thread.tokenUsage, {
      total: { totalTokens: 10, inputTokens: 7, cachedInputTokens: 0, outputTokens: 3, reasoningOutputTokens: 0 },
      last: { totalTokens: 10, inputTokens: 7, cachedInputTokens: 0, outputTokens: 3, reasoningOutputTokens: 0 },
      modelContextWindow: 1000,
    });
  });

  it('reads a failed turn’s error, a declined command and an updated file', () => {
    const text = [
      meta(),
      started(),
      completedItem({ type: 'CommandExecution', id: 'c1', command: ['/bin/bash', '-lc', "echo 'hi there'"], cwd: 'file:///w/a%20b', parsed_cmd: [{ type: 'list_files', cmd: 'ls', path: null }], source: 'agent', status: 'declined', duration: { secs: 1, nanos: 500_000_000 } }),
      completedItem({ type: 'FileChange', id: 'p1', changes: { '/w/f.txt': { type: 'update', unified_diff: '@@ -1 +1 @@\n-a\n+b\n', move_path: '/w/g.txt' } }, status: 'failed' }),
      line('event_msg', { type: 'task_complete', turn_id: TURN, last_agent_message: null, error: { message: 'too long', codex_error_info: 'context_window_exceeded' }, started_at: 1, completed_at: 2, duration_ms: 1000 }),
    ].join('\n');
    const thread = reconstructThread(parseRollout(text).lines);
    const turn = thread.turns[0]!;
    assert.equal(turn.status, 'failed');
    assert.deepEqual(turn.error, { message: 'too long', codexErrorInfo: 'contextWindowExceeded', additionalDetails: null });
    assert.deepEqual(turn.items[0], {
      type: 'commandExecution',
      id: 'c1',
      command: `/bin/bash -lc 'echo '"'"'hi there'"'"''`,
      cwd: '/w/a b',
      processId: null,
      source: 'agent',
      status: 'declined',
      commandActions: [{ type: 'listFiles', command: 'ls', path: null }],
      aggregatedOutput: null,
      exitCode: null,
      durationMs: 1500,
    });
    assert.deepEqual(turn.items[1], { type: 'fileChange', id: 'p1', changes: [{ path: '/w/f.txt', kind: { type: 'update', move_path: '/w/g.txt' }, diff: '@@ -1 +1 @@\n-a\n+b\n' }], status: 'failed' });
  });

  it('reads a codex fork with the part of its source it starts from, and warns when the source is gone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-codex-fork-'));
    const source = path.join(dir, 'source.jsonl');
    const kept = [meta(), started(), completedItem({ type: 'UserMessage', id: 'u1', content: [{ type: 'text', text: 'first' }] }), line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'first' }] })].join('\n') + '\n';
    const after = [started('t2'), completedItem({ type: 'UserMessage', id: 'u2', content: [{ type: 'text', text: 'not in the fork' }] }, 't2')].join('\n') + '\n';
    fs.writeFileSync(source, kept + after);
    const forkId = '01a22e9b-bad8-7f91-a7f1-25893a23dfc3';
    const fork = path.join(dir, 'fork.jsonl');
    const forkMeta = (base: unknown) => JSON.stringify({ timestamp: 't', type: 'session_meta', payload: { id: forkId, forked_from_id: THREAD, timestamp: '2026-05-01T11:00:00.000Z', cwd: '/w', source: 'vscode', model_provider: 'openai', history_base: base } });
    fs.writeFileSync(fork, forkMeta({ thread_id: THREAD, end_ordinal_exclusive: 4, end_byte_offset: Buffer.byteLength(kept) }) + '\n');

    const { lines, warnings } = await readRolloutWithBase(fork, async (id) => (id === THREAD ? source : undefined));
    assert.deepEqual(warnings, []);
    const thread = reconstructThread(lines);
    assert.equal(thread.meta.id, forkId);
    assert.equal(thread.meta.forked_from_id, THREAD);
    assert.deepEqual(thread.turns.map((t) => t.items.map((i) => (i.type === 'userMessage' ? i.content[0] : undefined))), [[{ type: 'text', text: 'first', text_elements: [] }]]);
    assert.equal(thread.history.length, 1);

    const missing = await readRolloutWithBase(fork, async () => undefined);
    assert.equal(reconstructThread(missing.lines).turns.length, 0);
    assert.match(missing.warnings[0] ?? '', /forked from, is gone/);

    fs.writeFileSync(fork, forkMeta({ thread_id: forkId }) + '\n');
    const loop = await readRolloutWithBase(fork, async () => fork);
    assert.ok(loop.warnings.some((w) => /refers back to itself/.test(w)), loop.warnings.join('\n'));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
