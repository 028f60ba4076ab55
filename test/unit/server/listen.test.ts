import { strict as assert } from 'node:assert';
import { isLoopback, parseListenUrl } from '../../../src/server/listen';

describe('server/listen', () => {
  it('parses stdio and ws URLs with IP literals', () => {
    assert.deepEqual(parseListenUrl('stdio://'), { kind: 'stdio' });
    assert.deepEqual(parseListenUrl('ws://127.0.0.1:4500'), { kind: 'ws', host: '127.0.0.1', port: 4500 });
    assert.deepEqual(parseListenUrl('ws://[::1]:0'), { kind: 'ws', host: '::1', port: 0 });
  });

  it('refuses hostnames and other schemes, naming the accepted forms', () => {
    assert.throws(() => parseListenUrl('ws://localhost:4500'), /IP literal.*stdio:\/\/ or ws:\/\/IP:PORT/);
    assert.throws(() => parseListenUrl('http://127.0.0.1:4500'), /expected stdio:\/\/ or ws:\/\/IP:PORT/);
    assert.throws(() => parseListenUrl('unix:///tmp/sock'), /expected stdio:\/\//);
    assert.throws(() => parseListenUrl('ws://127.0.0.1:70000'), /out of range/);
  });

  it('knows loopback addresses', () => {
    assert.ok(isLoopback('127.0.0.1'));
    assert.ok(isLoopback('::1'));
    assert.ok(!isLoopback('0.0.0.0'));
    assert.ok(!isLoopback('192.168.1.2'));
  });
});
