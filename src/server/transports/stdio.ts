// JSONL over stdin/stdout. A slow reader is waited for, never dropped: when stdout backs up we stop
// reading stdin until it drains, so the client cannot queue more work than it reads, and producers that
// can wait (a command's output) pause once STDIO_BACKLOG_BYTES are unread.
import type { Readable, Writable } from 'node:stream';
import type { ConnectionHost, OutgoingMessage } from '../connection';
import { decodeJson } from './decode';
import { LineDecoder } from './lineDecoder';
import { recoverEnvelope } from './oversized';

/**
 * Bytes written to stdout and not yet taken by the client beyond which waiting producers pause. 4 MiB is
 * seconds of reading for any live client, so only a stalled one is waited for, and the server's memory
 * for it stays bounded by this plus what is already in flight (model deltas, single responses).
 */
export const STDIO_BACKLOG_BYTES = 4 * 1024 * 1024;

export interface StdioTransport {
  /** Resolves when stdin ends or stdout fails; the connection is closed by then. */
  readonly closed: Promise<void>;
}

export function serveStdio(server: ConnectionHost, input: Readable, output: Writable): StdioTransport {
  const logger = server.logger;
  let waitingForDrain = false;
  let finished = false;
  let resolveClosed!: () => void;
  let caughtUp: { promise: Promise<void>; resolve: () => void } | undefined;
  const settleCaughtUp = () => {
    const waiting = caughtUp;
    caughtUp = undefined;
    waiting?.resolve();
  };
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));

  const connection = server.openConnection(
    {
      send(message: OutgoingMessage): boolean {
        if (finished) return false;
        const writable = output.write(JSON.stringify(message) + '\n');
        if (!writable && !waitingForDrain) {
          waitingForDrain = true;
          input.pause();
          output.once('drain', () => {
            waitingForDrain = false;
            if (!finished) input.resume();
          });
        }
        return true;
      },
      close: () => finish(),
      whenWritable(): Promise<void> | undefined {
        if (finished || output.writableLength <= STDIO_BACKLOG_BYTES) return undefined;
        if (!caughtUp) {
          let resolve!: () => void;
          const promise = new Promise<void>((r) => (resolve = r));
          caughtUp = { promise, resolve };
          output.once('drain', settleCaughtUp);
        }
        return caughtUp.promise;
      },
    },
    'stdio',
  );

  const decoder = new LineDecoder({
    onLine(line, bytes) {
      if (line.trim() === '') return;
      const decoded = decodeJson(line, logger, connection.label);
      if (decoded.ok) server.receive(connection, decoded.value, bytes);
    },
    onOversizedLine(bytes, head, tail) {
      // Unread but answered: a request stands in for it, and its size makes the server refuse it.
      const envelope = recoverEnvelope(head, tail);
      logger.warn('refused an oversized line', { connection: connection.label, bytes, id: envelope?.id });
      if (envelope) server.receive(connection, { id: envelope.id, method: envelope.method ?? '' }, bytes);
    },
  });

  function finish(): void {
    if (finished) return;
    finished = true;
    input.pause();
    settleCaughtUp();
    server.closeConnection(connection);
    resolveClosed();
  }

  input.on('data', (chunk: Buffer | string) => decoder.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  input.on('end', () => {
    decoder.end();
    finish();
  });
  input.on('error', (error) => {
    logger.error('stdin failed', { error: error.message });
    finish();
  });
  output.on('error', (error) => {
    logger.error('stdout failed', { error: error.message });
    finish();
  });
  return { closed };
}
