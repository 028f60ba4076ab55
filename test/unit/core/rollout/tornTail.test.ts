import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseRollout } from '../../../../src/core/rollout/reader';
import { RolloutRecorder, repairTornTail } from '../../../../src/core/rollout/recorder';

describe('core/rollout: a torn last line is repaired before anything is appended', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-torn-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const whole = JSON.stringify({ timestamp: '2026-01-01T00:00:00Z', type: 'session_meta', payload: { id: 'x' } });

  it('cuts a torn line, so the next record is not glued onto it', async () => {
    const file = path.join(dir, 'r.jsonl');
    fs.writeFileSync(file, `${whole}\n{"timestamp":"2026-01-01T00:00:01Z","type":"event_msg","payload":{"ty`);
    const repairs: string[] = [];
    const recorder = new RolloutRecorder(file, (m) => repairs.push(m));
    recorder.record('event_msg', { type: 'thread_name_updated', thread_name: 'renamed' });
    await recorder.close();
    const { lines, warnings } = parseRollout(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(warnings, []);
    assert.deepEqual(lines.map((l) => l.type), ['session_meta', 'event_msg']);
    assert.deepEqual(lines[1]!.payload, { type: 'thread_name_updated', thread_name: 'renamed' }, 'the record written after the crash survives');
    assert.equal(repairs.length, 1);
    assert.match(repairs[0]!, /cut a torn last line of \d+ bytes/);
  });

  it('keeps a whole last record that only lost its line end', async () => {
    const file = path.join(dir, 'r.jsonl');
    fs.writeFileSync(file, `${whole}\n${whole}`);
    assert.match((await repairTornTail(file))!, /added it/);
    assert.equal(fs.readFileSync(file, 'utf8'), `${whole}\n${whole}\n`);
  });

  it('leaves a clean file, an empty file and a missing one alone', async () => {
    const clean = path.join(dir, 'clean.jsonl');
    fs.writeFileSync(clean, `${whole}\n`);
    assert.equal(await repairTornTail(clean), undefined);
    assert.equal(fs.readFileSync(clean, 'utf8'), `${whole}\n`);
    const empty = path.join(dir, 'empty.jsonl');
    fs.writeFileSync(empty, '');
    assert.equal(await repairTornTail(empty), undefined);
    assert.equal(await repairTornTail(path.join(dir, 'missing.jsonl')), undefined);
  });

  it('cuts a file that is one torn line back to nothing', async () => {
    const file = path.join(dir, 'r.jsonl');
    fs.writeFileSync(file, '{"timestamp":"2026');
    assert.match((await repairTornTail(file))!, /cut a torn last line of 18 bytes/);
    assert.equal(fs.readFileSync(file, 'utf8'), '');
  });
});
