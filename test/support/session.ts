// Helpers for integration tests that drive threads and turns over a spawned server.
import type { ScriptedClient, WireMessage } from './protocolClient';

export async function startThread(client: ScriptedClient, params: Record<string, unknown> = {}): Promise<string> {
  const response = await client.request('thread/start', params);
  if (response.error) throw new Error(`thread/start failed: ${response.error.message}`);
  return response.result.thread.id as string;
}

export async function runTurn(client: ScriptedClient, threadId: string, text: string, timeoutMs = 15_000): Promise<WireMessage> {
  const response = await client.request('turn/start', { threadId, input: [{ type: 'text', text }] });
  if (response.error) throw new Error(`turn/start failed: ${response.error.message}`);
  const turnId = response.result.turn.id as string;
  return client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === turnId, timeoutMs);
}

/** Notifications for one turn, in arrival order. */
export function turnEvents(client: ScriptedClient, turnId: string): WireMessage[] {
  return client.received.filter((m) => m.method !== undefined && m.id === undefined && (m.params?.turnId === turnId || m.params?.turn?.id === turnId));
}
