// Request round trip (p50/p99) and notification throughput: in-process vs stdio, same server code.
// Targets (issue 2): in-process round trip p50 < 50 µs; ≥ 200,000 notifications/s.
import { silentLogger } from '../src/core/log';
import { createTandemServer } from '../src/server/tandemServer';
import { startInProcess } from '../src/server/transports/inProcess';
import { spawnStdioServer } from '../test/support/protocolClient';
import { registerTestMethods } from '../test/support/testMethods';
import { summarize, us } from './stats';

import type { Cleanup } from './steps';

/** Sizes of one run: full, or a quick check that the measures still work. */
interface Sizes {
  roundTrips: number;
  warmup: number;
  notifications: number;
}
const FULL: Sizes = { roundTrips: 20_000, warmup: 2_000, notifications: 200_000 };
const QUICK: Sizes = { roundTrips: 200, warmup: 20, notifications: 2_000 };
/** The source yields to the event loop this often, like a turn between model chunks. */
const YIELD_EVERY = 64;

export interface TransportResult {
  name: string;
  p50Ms: number;
  p99Ms: number;
  notificationsPerSecond: number;
  delivered: number;
}

async function inProcess({ roundTrips: ROUND_TRIPS, warmup: WARMUP, notifications: NOTIFICATIONS }: Sizes, cleanup: Cleanup): Promise<TransportResult> {
  const server = createTandemServer({ logger: silentLogger, home: '/tmp/tandem-bench-home' });
  registerTestMethods(server);
  const client = cleanup.add(await startInProcess({ server, clientInfo: { name: 'bench', title: null, version: '1' } }), (c) => c.shutdown());
  for (let i = 0; i < WARMUP; i++) await client.request('test/echo', { value: i });
  const samples: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const start = performance.now();
    await client.request('test/echo', { value: i });
    samples.push(performance.now() - start);
  }
  let delivered = 0;
  let skipped = 0;
  const consumer = (async () => {
    for await (const event of client.events()) {
      if (event.kind === 'lagged') skipped += event.skipped;
      else if (event.kind === 'notification' && event.method === 'test/tick') delivered += 1;
      if (delivered + skipped >= NOTIFICATIONS) return;
    }
  })();
  const start = performance.now();
  await client.request('test/emit', { count: NOTIFICATIONS, yieldEvery: YIELD_EVERY });
  await consumer;
  const seconds = (performance.now() - start) / 1000;
  await client.shutdown();
  const { p50, p99 } = summarize(samples);
  return { name: 'in-process', p50Ms: p50, p99Ms: p99, notificationsPerSecond: delivered / seconds, delivered };
}

async function stdio({ roundTrips: ROUND_TRIPS, warmup: WARMUP, notifications: NOTIFICATIONS }: Sizes, cleanup: Cleanup): Promise<TransportResult> {
  const spawned = cleanup.add(spawnStdioServer({ env: { TANDEM_LOG: 'warn' } }), (server) => server.close());
  const { client } = spawned;
  await client.initialize('bench');
  for (let i = 0; i < WARMUP; i++) await client.request('test/echo', { value: i });
  const samples: number[] = [];
  for (let i = 0; i < ROUND_TRIPS / 4; i++) {
    const start = performance.now();
    await client.request('test/echo', { value: i });
    samples.push(performance.now() - start);
  }
  client.received.length = 0;
  let delivered = 0;
  const original = client.accept.bind(client);
  let allArrived!: () => void;
  const arrived = new Promise<void>((resolve) => (allArrived = resolve));
  client.accept = (message) => {
    if (message.method === 'test/tick') {
      delivered += 1;
      if (delivered === NOTIFICATIONS) allArrived();
      return;
    }
    original(message);
  };
  const start = performance.now();
  await client.request('test/emit', { count: NOTIFICATIONS, yieldEvery: YIELD_EVERY });
  await arrived;
  const seconds = (performance.now() - start) / 1000;
  await spawned.close();
  const { p50, p99 } = summarize(samples);
  return { name: 'stdio', p50Ms: p50, p99Ms: p99, notificationsPerSecond: delivered / seconds, delivered };
}

export async function runTransportBench(quick: boolean, cleanup: Cleanup): Promise<TransportResult[]> {
  const sizes = quick ? QUICK : FULL;
  const NOTIFICATIONS = sizes.notifications;
  const results = [await inProcess(sizes, cleanup), await stdio(sizes, cleanup)];
  console.log('\n(e) transport: request round trip and notification throughput');
  console.log('transport   | round trip p50 | round trip p99 | notifications/s | delivered');
  for (const r of results) {
    console.log(
      `${r.name.padEnd(11)} | ${us(r.p50Ms).padStart(14)} | ${us(r.p99Ms).padStart(14)} | ${Math.round(r.notificationsPerSecond).toLocaleString('en-US').padStart(15)} | ${r.delivered}/${NOTIFICATIONS}`,
    );
  }
  const [inproc, pipe] = results as [TransportResult, TransportResult];
  console.log(`ratio in-process/stdio: round trip p50 ${(inproc.p50Ms / pipe.p50Ms).toFixed(3)}, throughput ${(inproc.notificationsPerSecond / pipe.notificationsPerSecond).toFixed(2)}x`);
  console.log(
    `targets: in-process p50 < 50 µs: ${inproc.p50Ms * 1000 < 50 ? 'met' : 'MISSED'}; ≥ 200,000 notifications/s: ${inproc.notificationsPerSecond >= 200_000 ? 'met' : 'MISSED'}`,
  );
  return results;
}
