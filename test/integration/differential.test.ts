// Tandem against the codex oracle: each scenario runs the same client and model scripts on both servers and
// compares, per thread, the ordered (method, item type, status) entries, the kinds of model input and the
// method answers the scenario records.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { completed, messageEvents, reasoningEvents, textReply, toolCallReply } from '../support/fakeModel';
import { NOT_COMPARED, type Scenario } from '../support/differential';
import { answer, ASK_FOR_EVERYTHING, compareScenarios, namespacedCall, patchReply, record, startThread, turn, writeSkill } from '../support/differentialSteps';

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

  compareScenarios(SCENARIOS);
});
