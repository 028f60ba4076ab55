import { strict as assert } from 'node:assert';
import { PassThrough, Writable } from 'node:stream';
import type { ConnectionHost, MessageSink } from '../../../src/server/connection';
import { serveStdio, STDIO_BACKLOG_BYTES } from '../../../src/server/transports/stdio';
import { startInProcess } from '../../../src/server/transports/inProcess';
import { settle, testServer } from '../../support/recordingSink';

/** A stdout whose reader has stopped: writes stay queued until `read()` lets them through. */
class StalledOutput extends Writable {
  private readonly waiting: Array<() => void> = [];
  private reading = false;
  constructor() {
    super({ highWaterMark: 16 * 1024 });
  }
  override _write(_chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    if (this.reading) done();
    else this.waiting.push(done);
  }
  read(): void {
    this.reading = true;
    for (const done of this.waiting.splice(0)) done();
  }
}

/** Serves stdio and hands back the sink the server writes through. */
function stdioSink(output: Writable): { sink: MessageSink; input: PassThrough } {
  const server = testServer();
  let sink: MessageSink | undefined;
  const host: ConnectionHost = {
    logger: server.logger,
    openConnection: (s, label) => ((sink = s), server.openConnection(s, label)),
    receive: (connection, message, size) => server.receive(connection, message, size),
    closeConnection: (connection) => server.closeConnection(connection),
  };
  const input = new PassThrough();
  serveStdio(host, input, output);
  return { sink: sink!, input };
}

describe('backpressure towards clients', () => {
  it('stdio: producers wait once the unread backlog passes its bound, and go on when the client reads', async () => {
    const output = new StalledOutput();
    const { sink } = stdioSink(output);
    const payload = 'x'.repeat(64 * 1024);
    assert.equal(sink.whenWritable!(), undefined, 'nothing is behind yet');
    while (output.writableLength <= STDIO_BACKLOG_BYTES) sink.send({ method: 'test/tick', params: { payload } });
    const behind = sink.whenWritable!();
    assert.ok(behind, 'a stalled reader past the bound makes producers wait');
    assert.equal(sink.whenWritable!(), behind, 'one wait for everyone');
    let caughtUp = false;
    void behind.then(() => (caughtUp = true));
    await settle();
    assert.equal(caughtUp, false);
    output.read();
    await behind;
    assert.equal(sink.whenWritable!(), undefined);
  });

  it('stdio: a wait ends when the client goes away', async () => {
    const output = new StalledOutput();
    const { sink, input } = stdioSink(output);
    while (output.writableLength <= STDIO_BACKLOG_BYTES) sink.send({ method: 'test/tick', params: { payload: 'y'.repeat(64 * 1024) } });
    const behind = sink.whenWritable!()!;
    input.end();
    await behind;
  });

  it('in-process: producers wait while half the queue is unread, before anything would be dropped', async () => {
    const client = await startInProcess({ server: testServer(), clientInfo: { name: 't', title: null, version: '1' }, channelCapacity: 8 });
    const sink = client as unknown as MessageSink;
    await client.request('test/emit', { count: 3 });
    assert.equal(sink.whenWritable!(), undefined, 'three of eight unread');
    await client.request('test/emit', { count: 1 });
    const behind = sink.whenWritable!();
    assert.ok(behind, 'four of eight unread');
    await client.nextEvent();
    await settle();
    let caughtUp = false;
    void behind.then(() => (caughtUp = true));
    await settle();
    assert.equal(caughtUp, false, 'three unread is still more than a quarter');
    await client.nextEvent();
    await behind;
    await client.shutdown();
  });
});
