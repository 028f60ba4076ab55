// Tandem against the codex oracle: each scenario runs the same client and model scripts on both servers and
// compares, per thread, the ordered (method, item type, status) entries, the kinds of model input and the
// method answers the scenario records.
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

/** Sends a request and records its answer (result or error) with the run's own paths, ids and times masked. */
async function record(context: ScenarioContext, method: string, params: unknown, pick: (result: WireMessage['result']) => unknown = (result) => result): Promise<void> {
  const response = await context.server.client.request(method, params);
  const answer = response.error ? { error: response.error } : pick(response.result);
  const masked = JSON.stringify(answer ?? null)
    .split(fs.realpathSync(context.workspace)).join('<workspace>')
    .split(context.workspace).join('<workspace>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/"(createdAt|updatedAt)":\d+/g, '"$1":0');
  context.answers.push({ method, answer: JSON.parse(masked) });
}

function writeSkill(dir: string, text: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'SKILL.md'), text);
}

const namespacedCall = (namespace: string, name: string, args: unknown, callId: string): ScriptedReply => ({
  events: [
    { type: 'response.created', response: {} },
    { type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', namespace, name, arguments: '', call_id: callId } },
    { type: 'response.output_item.done', output_index: 0, item: { type: 'function_call', namespace, name, arguments: JSON.stringify(args), call_id: callId } },
    completed(),
  ],
});

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
    name: 'catalogs and skills a client reads at start-up',
    capabilities: { experimentalApi: true },
    async run(context) {
      const skills = path.join(context.workspace, '.agents', 'skills');
      writeSkill(path.join(skills, 'deploy'), '---\nname: deploy\ndescription: >\n  Ship the\n  service.\nmetadata:\n  short-description: ship\n---\n# Deploy\n');
      writeSkill(path.join(context.workspace, '.codex', 'skills', 'notes'), "---\nname: 'notes'\ndescription: Keep notes.\n---\n");
      writeSkill(path.join(skills, 'broken'), 'no front matter\n');
      for (const method of ['permissionProfile/list', 'collaborationMode/list', 'mcpServerStatus/list', 'plugin/list', 'plugin/installed']) await record(context, method, {});
      await record(context, 'hooks/list', { cwds: [context.workspace] });
      await record(context, 'externalAgentConfig/detect', { cwds: [context.workspace] });
      // codex's own bundled skills and feature flags are codex's, not the protocol's.
      await record(context, 'skills/list', { cwds: [context.workspace] }, (result) =>
        result.data.map((entry: { skills: Array<{ scope: string }> }) => ({ ...entry, skills: entry.skills.filter((skill) => skill.scope !== 'system') })),
      );
      await record(context, 'experimentalFeature/list', {}, (result) => Array.isArray(result.data));
    },
  },
  {
    name: 'thread goals',
    async run(context) {
      const threadId = await startThread(context);
      await record(context, 'thread/goal/get', { threadId });
      await record(context, 'thread/goal/set', { threadId, status: 'paused' });
      // Paused, so that codex does not start working on it by itself.
      await record(context, 'thread/goal/set', { threadId, objective: ' Ship it ', status: 'paused', tokenBudget: 1000 });
      await record(context, 'thread/goal/set', { threadId, status: 'blocked', tokenBudget: null });
      await record(context, 'thread/goal/set', { threadId, objective: 'Ship it' });
      await record(context, 'thread/goal/set', { threadId, tokenBudget: 0 });
      await record(context, 'thread/goal/get', { threadId });
      await record(context, 'thread/goal/clear', { threadId });
      await record(context, 'thread/goal/clear', { threadId });
      await record(context, 'thread/goal/get', { threadId });
    },
  },
  {
    name: 'thread/list with each sort key',
    async run(context) {
      const first = await startThread(context);
      context.model.enqueue(textReply('one'));
      await turn(context, first, 'first thread');
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const second = await startThread(context);
      context.model.enqueue(textReply('two'));
      await turn(context, second, 'second thread');
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      context.model.enqueue(textReply('again'));
      await turn(context, first, 'first thread again');
      const previews = (result: { data: Array<{ preview: string }> }) => result.data.map((thread) => thread.preview);
      for (const sortKey of ['created_at', 'updated_at', 'recency_at']) {
        for (const sortDirection of ['desc', 'asc']) await record(context, 'thread/list', { sortKey, sortDirection }, previews);
      }
      await record(context, 'thread/list', { sortKey: 'section_position' });
      await record(context, 'thread/list', { sortKey: 'section_position', sectionId: 'work' }, previews);
      await record(context, 'thread/list', { sectionId: null }, previews);
    },
  },
  {
    name: 'a namespaced dynamic tool',
    capabilities: { experimentalApi: true },
    async run(context) {
      const lookup = { type: 'function', name: 'lookup', description: 'Look a ticket up.', inputSchema: { type: 'object', properties: { id: { type: 'string' } } } };
      const threadId = await startThread(context, { dynamicTools: [{ type: 'namespace', name: 'tickets', description: 'Ticket tools.', tools: [lookup] }] });
      context.model.enqueue(namespacedCall('tickets', 'lookup', { id: 'T-1' }, 'n1'), textReply('found it'));
      answer(context, 'item/tool/call', { contentItems: [{ type: 'inputText', text: 'T-1 is open' }], success: true });
      await turn(context, threadId, 'look up T-1');
      const call = context.received.find((m) => m.method === 'item/tool/call');
      context.answers.push({ method: 'item/tool/call', answer: { ...call?.params, threadId: '<id>', turnId: '<id>' } });
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
      assert.deepEqual(tandem.answers, codex.answers, 'the methods answered differently');
    });
  }
});
