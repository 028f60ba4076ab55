// The steps differential scenarios share: start a thread, run a turn, answer a server request, record a
// method's answer with the run's own paths, ids and times masked; and the suite that runs each scenario
// on codex and on Tandem and compares what they sent.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { completed, type ScriptedReply } from './fakeModel';
import { observe, type Scenario, type ScenarioContext } from './differential';
import type { WireMessage } from './protocolClient';

export const patchReply = (patch: string): ScriptedReply => ({
  events: [
    { type: 'response.created', response: {} },
    { type: 'response.output_item.added', output_index: 0, item: { type: 'custom_tool_call', name: 'apply_patch', input: '', call_id: 'p1' } },
    { type: 'response.output_item.done', output_index: 0, item: { type: 'custom_tool_call', name: 'apply_patch', input: patch, call_id: 'p1' } },
    completed(),
  ],
});

export async function startThread(context: ScenarioContext, params: Record<string, unknown> = {}): Promise<string> {
  const response = await context.server.client.request('thread/start', { cwd: context.workspace, ...params });
  if (response.error) throw new Error(`thread/start failed on ${context.kind}: ${response.error.message}`);
  return response.result.thread.id;
}

export async function turn(context: ScenarioContext, threadId: string, text: string): Promise<WireMessage> {
  const response = await context.server.client.request('turn/start', { threadId, input: [{ type: 'text', text }] });
  if (response.error) throw new Error(`turn/start failed on ${context.kind}: ${response.error.message}`);
  return context.server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === response.result.turn.id, 20_000);
}

/** Answers the next server request of `method` with `result`. */
export function answer(context: ScenarioContext, method: string, result: unknown): void {
  void context.server.client.waitFor((m) => m.method === method && m.id !== undefined, 20_000).then((request) => context.server.client.send({ id: request.id, result }));
}

/** Sends a request and records its answer (result or error) with the run's own paths, ids and times masked. */
export async function record(context: ScenarioContext, method: string, params: unknown, pick: (result: WireMessage['result']) => unknown = (result) => result): Promise<void> {
  const response = await context.server.client.request(method, params);
  const answer = response.error ? { error: response.error } : pick(response.result);
  const masked = JSON.stringify(answer ?? null)
    .split(fs.realpathSync(context.workspace)).join('<workspace>')
    .split(context.workspace).join('<workspace>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/"(createdAt|updatedAt)":\d+/g, '"$1":0');
  context.answers.push({ method, answer: JSON.parse(masked) });
}

export function writeSkill(dir: string, text: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'SKILL.md'), text);
}

export { namespacedCall } from './fakeModel';

// codex 0.169 refuses `approval_policy = "untrusted"` in config.toml but takes it from thread/start.
export const ASK_FOR_EVERYTHING = { approvalPolicy: 'untrusted', sandbox: 'danger-full-access' };

/** One mocha test per scenario: the same scripts on codex, then on Tandem, compared. */
export function compareScenarios(scenarios: Scenario[]): void {
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const codex = await observe('codex', scenario);
      const tandem = await observe('tandem', scenario);
      assert.deepEqual(tandem.events, codex.events, `events differ\ncodex:  ${codex.events.join(' → ')}\ntandem: ${tandem.events.join(' → ')}`);
      if (!scenario.modelInputsDiffer) assert.deepEqual(tandem.modelInputs, codex.modelInputs, 'the model received different kinds of input');
      assert.deepEqual(tandem.answers, codex.answers, 'the methods answered differently');
    });
  }
}
