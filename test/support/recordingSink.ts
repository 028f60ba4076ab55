// A MessageSink that records what the server sends, for tests that drive AppServer directly.
import type { MessageSink, OutgoingMessage } from '../../src/server/connection';
import type { AppServer } from '../../src/server/appServer';
import { silentLogger } from '../../src/core/log';
import { createTandemServer } from '../../src/server/tandemServer';
import { registerTestMethods } from './testMethods';

export class RecordingSink implements MessageSink {
  readonly sent: OutgoingMessage[] = [];
  accept = true;
  closedWith: string | undefined;

  send(message: OutgoingMessage): boolean {
    if (!this.accept) return false;
    this.sent.push(message);
    return true;
  }

  close(reason: string): void {
    this.closedWith = reason;
  }

  responseTo(id: string | number): OutgoingMessage | undefined {
    return this.sent.find((m) => 'id' in m && m.id === id && !('method' in m));
  }

  notifications(method?: string): Array<{ method: string; params?: unknown }> {
    return this.sent.filter(
      (m): m is { method: string; params?: unknown } => 'method' in m && !('id' in m) && (method === undefined || m.method === method),
    );
  }

  serverRequests(): Array<{ id: number; method: string; params?: unknown }> {
    return this.sent.filter((m): m is { id: number; method: string; params?: unknown } => 'method' in m && 'id' in m);
  }
}

export function testServer(options: { maxInFlightRequests?: number } = {}): AppServer {
  const server = createTandemServer({ logger: silentLogger, home: '/tmp/tandem-test-home', validateResults: true, ...options });
  registerTestMethods(server);
  return server;
}

/** Lets queued microtasks and timers of 0 ms run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));

export function initializeMessage(id: number | string = 0, name = 'test_client', capabilities?: unknown) {
  return { id, method: 'initialize', params: { clientInfo: { name, title: null, version: '1' }, capabilities } };
}
