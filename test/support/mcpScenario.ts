// Helpers for tests of Tandem's MCP client: the config table of a test server, a namespaced model call of
// one of its tools, and the items and model input a turn left behind.
import { completed, type FakeModelServer, type ScriptedReply } from './fakeModel';
import type { ScriptedClient } from './protocolClient';

/** `[mcp_servers.<name>]` for a command, with extra keys (TOML lines). */
export function stdioServerToml(name: string, command: { command: string; args: string[] }, extra: string[] = []): string {
  return [`[mcp_servers.${name}]`, `command = ${JSON.stringify(command.command)}`, `args = ${JSON.stringify(command.args)}`, ...extra, ''].join('\n');
}

export { namespacedCall } from './fakeModel';

/** The model's reply: one search over deferred tools (`tool_search_call`, run by the client). */
export function toolSearchCall(callId: string, args: Record<string, unknown>): ScriptedReply {
  const item = { type: 'tool_search_call', id: `ts_${callId}`, call_id: callId, status: 'completed', execution: 'client', arguments: args };
  return {
    events: [
      { type: 'response.created', response: {} },
      { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress' } },
      { type: 'response.output_item.done', output_index: 0, item },
      completed(),
    ],
  };
}

type Item = { type: string; id: string; [key: string]: unknown };

/** The completed `mcpToolCall` item of a call. */
export function mcpItem(client: ScriptedClient, callId: string): Item {
  const found = client.notifications('item/completed').find((m) => m.params.item.id === callId && m.params.item.type === 'mcpToolCall');
  if (!found) throw new Error(`no completed mcpToolCall item ${callId}`);
  return found.params.item as Item;
}

/** What the model was given back for a call (the output of the function_call_output item). */
export function modelOutput(model: FakeModelServer, callId: string): unknown {
  for (const request of model.turnRequests) {
    const input = request.body.input as Array<{ type: string; call_id?: string; output?: unknown }>;
    const output = input.find((i) => i.type === 'function_call_output' && i.call_id === callId);
    if (output) return output.output;
  }
  throw new Error(`the model never got the output of ${callId}`);
}

/** Text of an output, whether a string or content items. */
export function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  return (output as Array<{ type: string; text?: string }>).map((i) => i.text ?? `<${i.type}>`).join('\n');
}
