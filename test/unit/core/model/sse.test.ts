import { strict as assert } from 'node:assert';
import { SseParser } from '../../../../src/core/model/sse';

describe('core/model/sse', () => {
  it('parses events split anywhere across chunks', () => {
    const parser = new SseParser();
    const text = 'event: response.created\ndata: {"a":1}\n\nevent: x\ndata: {"b":2}\n\n';
    const events = [];
    for (const ch of text) events.push(...parser.push(ch));
    assert.deepEqual(events.map((e) => [e.event, e.data]), [['response.created', '{"a":1}'], ['x', '{"b":2}']]);
  });

  it('handles CRLF and CR line ends, including a CRLF split between chunks', () => {
    const parser = new SseParser();
    const events = [...parser.push('data: one\r'), ...parser.push('\n\r\ndata: two\r\r')];
    assert.deepEqual(events.map((e) => e.data), ['one', 'two']);
  });

  it('joins multi-line data, ignores comments and unknown fields, strips one leading space', () => {
    const parser = new SseParser();
    const events = parser.push(': keep-alive\ndata: first\ndata:  second\nretry: 10\nfoo: bar\n\n');
    assert.deepEqual(events.map((e) => e.data), ['first\n second']);
    assert.equal(events[0]!.event, 'message');
  });

  it('dispatches nothing for a block without data, nor for an event not yet terminated', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('event: lonely\n\n'), []);
    assert.deepEqual(parser.push('data: unfinished'), []);
  });
});
