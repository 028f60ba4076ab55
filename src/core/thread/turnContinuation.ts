// Continuing a turn that a host restart cut off (the extension host reloads with VS Code's window). The
// rollout holds what the turn had finished; a tool call it had started but not answered gets an output
// saying so, since the Responses API refuses a call without one, and the model is asked again from there.
import type { ResponseItem } from '../model/responseItems';

/** Thrown into a running turn's abort signal when the server stops to be restarted, not to end the turn. */
export class TurnSuspended extends Error {
  constructor() {
    super('the server stopped for a restart; the turn continues in the next one');
  }
}

export const CUT_OFF_OUTPUT = 'This tool call was cut off when the editor reloaded; it may have run partly or not at all. Check before repeating it.';

/** Outputs for tool calls in `history` that have none, in the order the calls were made. */
export function outputsForCutOffCalls(history: readonly ResponseItem[]): ResponseItem[] {
  const answered = new Set<string>();
  for (const item of history) {
    if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') answered.add(item.call_id);
  }
  const outputs: ResponseItem[] = [];
  for (const item of history) {
    if (item.type === 'function_call' && !answered.has(item.call_id)) outputs.push({ type: 'function_call_output', call_id: item.call_id, output: CUT_OFF_OUTPUT });
    if (item.type === 'custom_tool_call' && !answered.has(item.call_id)) outputs.push({ type: 'custom_tool_call_output', call_id: item.call_id, output: CUT_OFF_OUTPUT });
  }
  return outputs;
}
