import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { archiveRollout, unarchiveRollout } from '../../../../src/core/rollout/archive';
import { decodeCursor, listRollouts, scanRollouts } from '../../../../src/core/rollout/listing';
import { RolloutIndex } from '../../../../src/core/rollout/rolloutIndex';
import { appendThreadName, readThreadNames } from '../../../../src/core/rollout/nameIndex';
import { parseRolloutFileName, rolloutFileName } from '../../../../src/core/rollout/paths';
import { parseRollout } from '../../../../src/core/rollout/reader';
import { reconstructThread } from '../../../../src/core/rollout/reconstruct';
import { writeRollout } from '../../../support/rollouts';

const tempHome = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-rollout-'));

describe('core/rollout', () => {
  it('names files by local time and id, and parses them back', () => {
    const id = '01a20060-1574-7de7-ab4e-ec8555dfa8bf';
    const name = rolloutFileName(new Date(2026, 0, 2, 3, 4, 5), id);
    assert.equal(name, `rollout-2026-01-02T03-04-05-${id}.jsonl`);
    assert.deepEqual(parseRolloutFileName(name), { threadId: id, year: '2026', month: '01', day: '02' });
    assert.equal(parseRolloutFileName('notes.txt'), undefined);
  });

  it('skips a truncated last line and names unreadable lines', () => {
    const text = '{"timestamp":"t","type":"session_meta","payload":{}}\nnot json\n{"timestamp":"t","type":"event_msg","payload":{}}\n{"timestamp":"t","ty';
    const { lines, warnings } = parseRollout(text, 'f.jsonl');
    assert.equal(lines.length, 2);
    assert.deepEqual(warnings, ['f.jsonl: skipped an unreadable line 2', 'f.jsonl: skipped a truncated last line (line 4); the session was probably interrupted while writing']);
  });

  it('rebuilds turns, history, name and usage; an unfinished turn reads as interrupted', () => {
    const meta = { timestamp: 't', type: 'session_meta', payload: { id: 'x', timestamp: '2026-01-01T00:00:00Z' } };
    const line = (type: string, payload: unknown) => ({ timestamp: 't', type, payload }) as never;
    const rebuilt = reconstructThread([
      meta as never,
      line('event_msg', { type: 'task_started', turn_id: 't1', started_at: 1 }),
      line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }], id: 'dropped' }),
      line('event_msg', { type: 'item_completed', turn_id: 't1', item: { type: 'userMessage', id: 'u', clientId: null, content: [{ type: 'text', text: 'hello' }] } }),
      line('event_msg', { type: 'task_complete', turn_id: 't1', status: 'completed', error: null, completed_at: 2, duration_ms: 5 }),
      line('event_msg', { type: 'thread_name_updated', thread_name: 'Named' }),
      line('event_msg', { type: 'task_started', turn_id: 't2', started_at: 3 }),
    ]);
    assert.deepEqual(rebuilt.history, [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] }]);
    assert.deepEqual(rebuilt.turns.map((t) => t.status), ['completed', 'interrupted']);
    assert.equal(rebuilt.name, 'Named');
    assert.equal(rebuilt.preview, 'hello');
    assert.throws(() => reconstructThread([line('event_msg', {})]), /does not start with session_meta/);
  });

  it('pages with stable cursors and refuses a bad one', async () => {
    const home = tempHome();
    for (let i = 0; i < 5; i++) await writeRollout(home, { createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)), preview: `p${i}` });
    const index = new RolloutIndex(home, () => scanRollouts(home));
    const first = await listRollouts(index, { limit: 2 });
    assert.deepEqual(first.data.map((s) => s.preview), ['p4', 'p3']);
    await writeRollout(home, { createdAt: new Date(Date.UTC(2026, 0, 2)), preview: 'newer' });
    const second = await listRollouts(index, { limit: 2, cursor: first.nextCursor });
    assert.deepEqual(second.data.map((s) => s.preview), ['p2', 'p1'], 'a new thread does not shift later pages');
    assert.throws(() => decodeCursor('!!'), /invalid cursor/);
  });

  it('moves rollouts on archive and refuses files that are not the thread’s own', async () => {
    const home = tempHome();
    const { id, path: file } = await writeRollout(home, { createdAt: new Date(Date.UTC(2026, 4, 6, 7, 8, 9)), preview: 'x' });
    const other = await writeRollout(home, { createdAt: new Date(Date.UTC(2026, 4, 6)), preview: 'y' });
    await assert.rejects(archiveRollout(home, id, other.path), /not the rollout of thread/);
    const outside = path.join(os.tmpdir(), path.basename(file));
    fs.copyFileSync(file, outside);
    await assert.rejects(archiveRollout(home, id, outside), /not inside/);
    const archived = await archiveRollout(home, id, file);
    assert.equal(archived, path.join(home, 'archived_sessions', path.basename(file)));
    const restored = await unarchiveRollout(home, id, archived);
    assert.equal(restored, file);
  });

  it('keeps thread names in an append-only index, last entry winning', async () => {
    const home = tempHome();
    await appendThreadName(home, 'a', 'first');
    await appendThreadName(home, 'a', 'second');
    fs.appendFileSync(path.join(home, 'session_index.jsonl'), '{"id":"torn');
    const names = await readThreadNames(home);
    assert.equal(names.get('a'), 'second');
  });
});
