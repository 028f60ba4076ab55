// Tandem against the codex oracle: each scenario runs the same client and model scripts on both servers and
// compares, per thread, the ordered (method, item type, status) entries and the kinds of model input.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { completed, messageEvents, reasoningEvents, textReply, toolCallReply, type ScriptedReply } from '../support/fakeModel';
import { NOT_COMPARED, observe, type Scenario, type ScenarioContext } from '../support/differential';
import type { WireMessage } from '../support/protocolClient';

const patchReply = (patch: string): ScriptedReply => ({
  events: [
    { type: 'response.created', response: {} },
    { type: 'response.output_item.added', output_index: 0, item: { type: 'custom_tool_call', name: 'apply_patch', input: '', call_id: 'p1' } },
    { type: 'response.output_item.done', output_index: 0, item: { type: 'custom_tool_call', name: 'apply_patch', input: patch, call_id: 'p1' } },
    completed(),
  ],
});

async function startThread(context: ScenarioContext, params: Record<string, unknown> = {}): Promise<string> {
  const response = await context.server.client.request('thread/start', { cwd: context.workspace, ...params });
  if (response.error) throw new Error(`thread/start failed on ${context.kind}: ${response.error.message}`);
  return response.result.thread.id;
}

async function turn(context: ScenarioContext, threadId: string, text: string): Promise<WireMessage> {
  const response = await context.server.client.request('turn/start', { threadId, input: [{ type: 'text', text }] });
  if (response.error) throw new Error(`turn/start failed on ${context.kind}: ${response.error.message}`);
  return context.server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === response.result.turn.id, 20_000);
}

/** Answers the next server request of `method` with `result`. */
function answer(context: ScenarioContext, method: string, result: unknown): void {
  void context.server.client.waitFor((m) => m.method === method && m.id !== undefined, 20_000).then((request) => context.server.client.send({ id: request.id, result }));
}

// codex 0.169 refuses `approval_policy = "untrusted"` in config.toml but takes it from thread/start.
const ASK_FOR_EVERYTHING = { approvalPolicy: 'untrusted', sandbox: 'danger-full-access' };

const SCENARIOS: Scenario[] = [
  {
    name: 'plain reply',
    async run(context) {
      const threadId = await startThread(context);
      context.model.enqueue(textReply('Hello there.'));
      await turn(context, threadId, 'hi');
    },
  },
  {
    name: 'reply with reasoning',
    async run(context) {
      const threadId = await startThread(context);
      context.model.enqueue({ events: [{ type: 'response.created', response: {} }, ...reasoningEvents('Thinking it over.'), ...messageEvents('Done thinking.', { outputIndex: 1 }), completed()] });
      await turn(context, threadId, 'think');
    },
  },
  {
    name: 'a command the client approves',
    async run(context) {
      const threadId = await startThread(context, ASK_FOR_EVERYTHING);
      context.model.enqueue(toolCallReply('exec_command', { cmd: 'touch approved.txt' }, 'c1'), textReply('created'));
      answer(context, 'item/commandExecution/requestApproval', { decision: 'accept' });
      await turn(context, threadId, 'create a file');
      assert.ok(fs.existsSync(path.join(context.workspace, 'approved.txt')), `${context.kind} ran the approved command`);
    },
  },
  {
    name: 'a command the client declines',
    async run(context) {
      const threadId = await startThread(context, ASK_FOR_EVERYTHING);
      context.model.enqueue(toolCallReply('exec_command', { cmd: 'touch declined.txt' }, 'c1'), textReply('fine, not created'));
      answer(context, 'item/commandExecution/requestApproval', { decision: 'decline' });
      await turn(context, threadId, 'create a file');
      assert.ok(!fs.existsSync(path.join(context.workspace, 'declined.txt')), `${context.kind} did not run the declined command`);
    },
  },
  {
    name: 'a patch the client approves',
    async run(context) {
      const threadId = await startThread(context, ASK_FOR_EVERYTHING);
      context.model.enqueue(patchReply('*** Begin Patch\n*** Add File: notes.txt\n+hello\n*** End Patch'), textReply('patched'));
      answer(context, 'item/fileChange/requestApproval', { decision: 'accept' });
      await turn(context, threadId, 'write notes');
      assert.equal(fs.readFileSync(path.join(context.workspace, 'notes.txt'), 'utf8'), 'hello\n', `${context.kind} applied the patch`);
    },
  },
  {
    name: 'interrupt',
    async run(context) {
      const threadId = await startThread(context);
      context.model.enqueue(textReply('this reply takes its time to arrive', { chunks: 30, delayMs: 100 }));
      const started = await context.server.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'go slowly' }] });
      const turnId = started.result.turn.id;
      await context.server.client.waitFor((m) => m.method === 'item/agentMessage/delta', 10_000);
      await context.server.client.request('turn/interrupt', { threadId, turnId });
      await context.server.client.waitFor((m) => m.method === 'turn/completed', 10_000);
    },
  },
  {
    name: 'resume then a second turn',
    async run(context) {
      const threadId = await startThread(context);
      context.model.enqueue(textReply('first answer'));
      await turn(context, threadId, 'first');
      await context.restart();
      const resumed = await context.server.client.request('thread/resume', { threadId });
      if (resumed.error) throw new Error(`resume failed on ${context.kind}: ${resumed.error.message}`);
      context.model.enqueue(textReply('second answer'));
      await turn(context, threadId, 'second');
    },
  },
  {
    name: 'a model error',
    async run(context) {
      const threadId = await startThread(context);
      context.model.enqueue({ status: 400, body: { error: { type: 'invalid_request_error', message: 'The request was malformed.' } } });
      await turn(context, threadId, 'break');
    },
  },
];

describe('integration: differential against codex app-server', function () {
  this.timeout(90_000);

  it('ignores only notifications it names with a reason', () => {
    for (const [method, reason] of Object.entries(NOT_COMPARED)) assert.ok(reason.length > 20, `${method} needs a reason`);
  });

  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      const codex = await observe('codex', scenario);
      const tandem = await observe('tandem', scenario);
      assert.deepEqual(tandem.events, codex.events, `events differ\ncodex:  ${codex.events.join(' → ')}\ntandem: ${tandem.events.join(' → ')}`);
      assert.deepEqual(tandem.modelInputs, codex.modelInputs, 'the model received different kinds of input');
    });
  }
});
