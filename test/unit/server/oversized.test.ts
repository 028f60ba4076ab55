import { strict as assert } from 'node:assert';
import { LineDecoder } from '../../../src/server/transports/lineDecoder';
import { recoverEnvelope } from '../../../src/server/transports/oversized';

describe('server/transports: answering an oversized message', () => {
  it('finds the top-level id and method at either end, not ids nested in params', () => {
    assert.deepEqual(recoverEnvelope('{"id": 7, "method": "turn/start", "params": {"input": [', ''), { id: 7, method: 'turn/start' });
    assert.deepEqual(recoverEnvelope('{"method":"turn/start","params":{"id":"nested","x":"', 'AAA"}]}, "id" : "a\\"b"}\r'), { id: 'a"b', method: 'turn/start' });
    assert.deepEqual(recoverEnvelope('{"params":{"threadId":"t","items":[{"id":"nested"', '}]},"jsonrpc":"2.0","method":"m","id":-3}'), { id: -3, method: 'm' });
    assert.equal(recoverEnvelope('{"params":{"id":1,"x":"', '"}]}}'), undefined);
    assert.equal(recoverEnvelope('not json', 'at all'), undefined);
  });

  it('keeps the head and tail of a skipped line across chunks', () => {
    const seen: Array<[number, string, string]> = [];
    const decoder = new LineDecoder({ onLine: () => undefined, onOversizedLine: (bytes, head, tail) => seen.push([bytes, head, tail]) }, 50);
    decoder.push(Buffer.from('{"id":1,"method":"x","params":"'));
    decoder.push(Buffer.from('y'.repeat(100)));
    decoder.push(Buffer.from('"}\n'));
    assert.equal(seen.length, 1);
    assert.equal(seen[0]![0], 133);
    assert.ok(seen[0]![1].startsWith('{"id":1,"method":"x"'));
    assert.ok(seen[0]![2].endsWith('yy"}'));
  });
});
