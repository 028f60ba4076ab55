// (e) How soon a steer sent during a streaming reply reaches the model: turn/steer sent → the next model
// request arrives. The reply being cut still had seconds to stream, so waiting for it would show.
import type { FakeModelServer } from '../test/support/fakeModel';
import { textReply } from '../test/support/fakeModel';
import type { SpawnedServer } from '../test/support/protocolClient';
import { median } from './stats';
import type { Row } from './vsCodex';

type Kind = 'tandem' | 'codex';
type Launch = (kind: Kind) => Promise<{ server: SpawnedServer; model: FakeModelServer; workspace: string }>;

async function once(running: Awaited<ReturnType<Launch>>): Promise<number> {
  const { server, model } = running;
  const thread = await server.client.request('thread/start', { cwd: running.workspace });
  const threadId = thread.result.thread.id;
  model.enqueue(textReply('word '.repeat(100), { chunks: 100, delayMs: 100 }), textReply('answer'));
  const before = model.requests.length;
  const started = await server.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
  const turnId = started.result.turn.id;
  await server.client.waitFor((m) => m.method === 'item/agentMessage/delta' && m.params.turnId === turnId, 30_000);
  const steeredAt = performance.now();
  await server.client.request('turn/steer', { threadId, expectedTurnId: turnId, input: [{ type: 'text', text: 'now' }] });
  await model.waitForRequests(before + 2, 30_000);
  const latency = model.requests[before + 1]!.receivedAt - steeredAt;
  await server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === turnId, 30_000);
  return latency;
}

export async function steerLatency(launch: Launch, rounds: number): Promise<Row> {
  const servers = { tandem: await launch('tandem'), codex: await launch('codex') };
  const samples: Record<Kind, number[]> = { tandem: [], codex: [] };
  for (let i = 0; i < rounds; i++) for (const kind of ['tandem', 'codex'] as const) samples[kind].push(await once(servers[kind]));
  for (const running of Object.values(servers)) {
    await running.server.close();
    await running.model.stop();
  }
  return { name: '(e) turn/steer during a streaming reply → the next model request', tandem: median(samples.tandem), codex: median(samples.codex), unit: 'ms', target: '≤ 2' };
}
