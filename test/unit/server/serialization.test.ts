import { strict as assert } from 'node:assert';
import { KeyedSerializer, exclusive, sharedRead } from '../../../src/server/serialization';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('server/serialization', () => {
  it('runs tasks with the same key one at a time, in order', async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const gates = [deferred(), deferred(), deferred()];
    const runs = gates.map((gate, i) =>
      serializer.run(exclusive('thread-1'), async () => {
        log.push(`start ${i}`);
        await gate.promise;
        log.push(`end ${i}`);
      }),
    );
    await Promise.resolve();
    assert.deepEqual(log, ['start 0']);
    gates[2]!.resolve();
    gates[1]!.resolve();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log, ['start 0'], 'later tasks wait for the first even when ready');
    gates[0]!.resolve();
    await Promise.all(runs);
    assert.deepEqual(log, ['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
    assert.equal(serializer.activeKeys, 0);
  });

  it('runs different keys and unkeyed tasks concurrently', async () => {
    const serializer = new KeyedSerializer();
    const started: string[] = [];
    const gate = deferred();
    const a = serializer.run(exclusive('a'), async () => (started.push('a'), gate.promise));
    const b = serializer.run(exclusive('b'), async () => (started.push('b'), gate.promise));
    const c = serializer.run(null, async () => (started.push('none'), gate.promise));
    await Promise.resolve();
    assert.deepEqual(started.sort(), ['a', 'b', 'none']);
    gate.resolve();
    await Promise.all([a, b, c]);
  });

  it('runs consecutive shared reads together, and an exclusive task after them alone', async () => {
    const serializer = new KeyedSerializer();
    const log: string[] = [];
    const readGate = deferred();
    const r1 = serializer.run(sharedRead('config'), async () => (log.push('r1'), readGate.promise));
    const r2 = serializer.run(sharedRead('config'), async () => (log.push('r2'), readGate.promise));
    const w = serializer.run(exclusive('config'), async () => void log.push('w'));
    const r3 = serializer.run(sharedRead('config'), async () => void log.push('r3'));
    await Promise.resolve();
    assert.deepEqual(log, ['r1', 'r2']);
    readGate.resolve();
    await Promise.all([r1, r2, w, r3]);
    assert.deepEqual(log, ['r1', 'r2', 'w', 'r3']);
  });

  it('keeps going after a task fails, even synchronously', async () => {
    const serializer = new KeyedSerializer();
    const failing = serializer.run(exclusive('k'), () => {
      throw new Error('boom');
    });
    const next = serializer.run(exclusive('k'), async () => 'ok');
    await assert.rejects(failing, /boom/);
    assert.equal(await next, 'ok');
  });
});
