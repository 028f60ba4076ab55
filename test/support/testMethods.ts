// Test-only methods registered on a real server so tests can drive the runtime's mechanisms directly:
// ordering, concurrency, cancellation, notification floods, server requests. Never shipped.
import { z } from 'zod';
import { notification, request } from '../../src/protocol';
import type { AppServer } from '../../src/server/appServer';
import { exclusive, sharedRead } from '../../src/server/serialization';

export const TestEcho = request('test/echo', z.object({ value: z.unknown() }), z.object({ value: z.unknown() }));
export const TestSleep = request(
  'test/sleep',
  z.object({ ms: z.number(), key: z.string().optional(), shared: z.boolean().optional(), label: z.string() }),
  z.object({ label: z.string(), startedAt: z.number(), endedAt: z.number() }),
);
export const TestEmit = request(
  'test/emit',
  z.object({
    count: z.number().int(),
    method: z.string().optional(),
    threadId: z.string().optional(),
    payloadBytes: z.number().int().optional(),
    /** Ends the burst with a `turn/completed` for the thread. */
    completeTurn: z.boolean().optional(),
    /** Yield to the event loop after this many, as a streaming turn does between model chunks. */
    yieldEvery: z.number().int().positive().optional(),
    /** Pause this long at each yield: a turn's output is paced by the model, not by the CPU. */
    delayMs: z.number().int().nonnegative().optional(),
  }),
  z.object({ emitted: z.number() }),
);
export const TestFail = request('test/fail', z.object({ message: z.string() }), z.object({}));
export const TestSubscribe = request('test/subscribe', z.object({ threadId: z.string() }), z.object({}));
export const TestAskClient = request(
  'test/askClient',
  z.object({ threadId: z.string().optional(), timeoutMs: z.number().optional(), question: z.string() }),
  z.object({ answer: z.unknown().optional(), error: z.string().optional() }),
);
export const TestWaitForAbort = request('test/waitForAbort', z.object({ label: z.string() }), z.object({}));

/** The server→client request test/askClient sends. */
export const TestQuestion = request('test/question', z.object({ question: z.string().optional() }), z.unknown());
/** A bare turn/completed that ends an emitted burst (tests read only the turn's id and status). */
const TestTurnCompleted = notification('turn/completed', z.object({ threadId: z.string(), turn: z.object({ id: z.string(), items: z.array(z.unknown()), status: z.string(), error: z.null() }) }));

/** What the test methods observed, for assertions in in-process tests. */
export const observed = { aborted: [] as string[], unwatched: [] as string[] };

export function registerTestMethods(server: AppServer): void {
  server.connections.onThreadUnwatched((threadId) => observed.unwatched.push(threadId));
  server.registry.register(TestEcho, { key: () => null, handle: async (p) => ({ value: p.value }) });
  server.registry.register(TestSleep, {
    key: (p) => (p.key === undefined ? null : p.shared ? sharedRead(p.key) : exclusive(p.key)),
    handle: async (p) => {
      const startedAt = performance.now();
      await new Promise((resolve) => setTimeout(resolve, p.ms));
      return { label: p.label, startedAt, endedAt: performance.now() };
    },
  });
  server.registry.register(TestEmit, {
    key: () => null,
    handle: async (p) => {
      // Any method a test names, with the flood's own params (never validated by the server).
      const descriptor = notification(p.method ?? 'test/tick', z.object({ seq: z.number(), padding: z.string() }));
      const padding = 'x'.repeat(p.payloadBytes ?? 0);
      for (let seq = 0; seq < p.count; seq++) {
        const params = { seq, padding };
        if (p.threadId) server.outgoing.notifyThread(p.threadId, descriptor, params);
        else server.outgoing.broadcast(descriptor, params);
        if (p.yieldEvery && (seq + 1) % p.yieldEvery === 0) {
          await new Promise((resolve) => (p.delayMs ? setTimeout(resolve, p.delayMs) : setImmediate(resolve)));
        }
      }
      if (p.completeTurn && p.threadId) {
        server.outgoing.notifyThread(p.threadId, TestTurnCompleted, { threadId: p.threadId, turn: { id: 'turn-1', items: [], status: 'completed', error: null } });
      }
      return { emitted: p.count };
    },
  });
  server.registry.register(TestFail, {
    key: () => null,
    handle: async (p) => {
      throw new Error(p.message);
    },
  });
  server.registry.register(TestSubscribe, {
    key: (p) => exclusive(p.threadId),
    handle: async (p, ctx) => {
      server.connections.subscribe(ctx.connection, p.threadId);
      server.outgoing.replayPending(ctx.connection, p.threadId);
      return {};
    },
  });
  server.registry.register(TestAskClient, {
    key: () => null,
    handle: async (p, ctx) => {
      try {
        const answer = await server.outgoing.sendRequest(TestQuestion, { question: p.question }, {
          threadId: p.threadId,
          target: p.threadId ? undefined : ctx.connection,
          timeoutMs: p.timeoutMs,
        });
        return { answer };
      } catch (error) {
        return { error: (error as Error).message };
      }
    },
  });
  server.registry.register(TestWaitForAbort, {
    key: () => null,
    handle: (p, ctx) =>
      new Promise((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => {
          observed.aborted.push(p.label);
          reject(new Error('aborted'));
        });
      }),
  });
}
