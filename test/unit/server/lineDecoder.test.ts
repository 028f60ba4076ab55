import { strict as assert } from 'node:assert';
import { LineDecoder } from '../../../src/server/transports/lineDecoder';

function collect(max?: number) {
  const lines: Array<[string, number]> = [];
  const oversized: number[] = [];
  const decoder = new LineDecoder(
    { onLine: (line, bytes) => lines.push([line, bytes]), onOversizedLine: (bytes) => oversized.push(bytes) },
    max,
  );
  return { decoder, lines, oversized };
}

describe('server/transports/lineDecoder', () => {
  it('joins lines split across chunks and splits several lines in one chunk', () => {
    const { decoder, lines } = collect();
    decoder.push(Buffer.from('{"a":'));
    decoder.push(Buffer.from('1}\n{"b":2}\n{"c"'));
    decoder.push(Buffer.from(':3}\n'));
    assert.deepEqual(lines.map(([l]) => l), ['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('strips CR before LF and counts bytes, not characters', () => {
    const { decoder, lines } = collect();
    decoder.push(Buffer.from('é\r\n'));
    assert.deepEqual(lines, [['é', 3]]);
  });

  it('keeps multi-byte characters whole when a chunk boundary splits them', () => {
    const { decoder, lines } = collect();
    const bytes = Buffer.from('"日本"\n');
    decoder.push(bytes.subarray(0, 2));
    decoder.push(bytes.subarray(2));
    assert.equal(lines[0]![0], '"日本"');
  });

  it('skips an oversized line whole and carries on with the next', () => {
    const { decoder, lines, oversized } = collect(10);
    decoder.push(Buffer.from('0123456789ABCDEF'));
    decoder.push(Buffer.from('GHI\nok\n'));
    assert.deepEqual(oversized, [19]);
    assert.deepEqual(lines.map(([l]) => l), ['ok']);
  });

  it('delivers a last line without newline at end of stream', () => {
    const { decoder, lines } = collect();
    decoder.push(Buffer.from('tail'));
    assert.equal(lines.length, 0);
    decoder.end();
    assert.deepEqual(lines.map(([l]) => l), ['tail']);
  });
});
