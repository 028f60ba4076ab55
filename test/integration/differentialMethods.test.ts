// Tandem against the codex oracle for the methods and shapes codex's own clients (its TUI, SDK providers)
// rely on beyond chat: the fields of thread responses, the user's shell commands, background terminals,
// history edits (revert, inject, delete), settings updates and review. Same client and model scripts on
// both servers; events, kinds of model input and recorded answers are compared.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { messageEvents, completed, textReply, toolCallReply } from '../support/fakeModel';
import type { Scenario, ScenarioContext } from '../support/differential';
import { answer, ASK_FOR_EVERYTHING, compareScenarios, record, startThread, turn } from '../support/differentialSteps';
import type { WireMessage } from '../support/protocolClient';

const keys = (value: Record<string, unknown>) => Object.keys(value).sort();

/** A 1×1 PNG. */
const DOT_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** The fields a response carries, and those of its thread: clients read them by name. */
const shapeOf = (result: { thread: Record<string, unknown> } & Record<string, unknown>) => ({ response: keys(result), thread: keys(result.thread) });

/** A turn as `turn/completed` shows it: its fields, which items view it promises and the items it carries. */
function completedShape(message: WireMessage) {
  const turn = message.params.turn;
  return { turn: keys(turn), itemsView: turn.itemsView, items: turn.items.map((item: { type: string; text?: string }) => `${item.type}:${item.text ?? ''}`) };
}

const twoMessages = {
  events: [{ type: 'response.created', response: {} }, ...messageEvents('first part', { outputIndex: 0 }), ...messageEvents('the answer', { outputIndex: 1 }), completed()],
};

/** The model named in the last request the fake model received. */
const lastModel = (context: ScenarioContext) => context.model.lastTurnRequest().body.model;

const SCENARIOS: Scenario[] = [
  {
    name: 'thread responses and turn/completed carry the fields codex sends',
    async run(context) {
      const started = await context.server.client.request('thread/start', { cwd: context.workspace, ...ASK_FOR_EVERYTHING });
      context.answers.push({ method: 'thread/start', answer: shapeOf(started.result) });
      context.answers.push({ method: 'thread/start roots', answer: started.result.runtimeWorkspaceRoots.length === 1 && started.result.thread.environments[0].runtimeWorkspaceRoots.length === 1 });
      const threadId = started.result.thread.id;
      context.model.enqueue(toolCallReply('exec_command', { cmd: 'touch made.txt' }, 'c1'), twoMessages);
      answer(context, 'item/commandExecution/requestApproval', { decision: 'accept' });
      context.answers.push({ method: 'turn/completed', answer: completedShape(await turn(context, threadId, 'say hi')) });
      await record(context, 'thread/read', { threadId, includeTurns: true }, (result) => ({ ...shapeOf(result), turns: result.thread.turns.map((t: { itemsView: string; items: unknown[] }) => [t.itemsView, t.items.length]) }));
      await record(context, 'thread/resume', { threadId }, shapeOf);
      await record(context, 'thread/fork', { threadId }, shapeOf);
      await record(context, 'thread/list', {}, (result) => keys(result.data[0]));
    },
  },
  {
    name: "a command approved with \"don't ask again for commands that start with …\"",
    async run(context) {
      const threadId = await startThread(context, ASK_FOR_EVERYTHING);
      context.model.enqueue(toolCallReply('exec_command', { cmd: 'touch again.txt && touch other.txt' }, 'c1'), textReply('done'), toolCallReply('exec_command', { cmd: 'touch again.txt' }, 'c2'), textReply('done again'));
      const asked = context.server.client.waitFor((m) => m.method === 'item/commandExecution/requestApproval', 20_000);
      void asked.then((request) => context.server.client.send({ id: request.id, result: { decision: request.params.availableDecisions[1] } }));
      await turn(context, threadId, 'touch it');
      const { commandActions, proposedExecpolicyAmendment, availableDecisions } = (await asked).params;
      context.answers.push({ method: 'item/commandExecution/requestApproval', answer: { commandActions, proposedExecpolicyAmendment, availableDecisions } });
      // The same command again: the rule the user accepted lets it run without asking.
      await turn(context, threadId, 'touch it again');
    },
  },
  {
    name: "the user's shell command (!cmd) runs outside the model's turn loop",
    modelInputsDiffer: "after a shell command codex 0.169 moves its base instructions from the request's instructions into a developer message; the command's record is compared through the answers",
    async run(context) {
      const threadId = await startThread(context);
      await record(context, 'thread/shellCommand', { threadId, command: 'echo from-the-user' });
      const done = await context.server.client.waitFor((m) => m.method === 'item/completed' && m.params.item.type === 'commandExecution', 20_000);
      const item = done.params.item;
      context.answers.push({ method: 'item/completed', answer: { source: item.source, status: item.status, exitCode: item.exitCode, output: item.aggregatedOutput } });
      await context.server.client.waitFor((m) => m.method === 'turn/completed', 20_000);
      // The next turn's model request carries what the user ran.
      context.model.enqueue(textReply('seen it'));
      await turn(context, threadId, 'what did I run?');
      const input = context.model.lastTurnRequest().body.input as Array<{ role?: string; content?: Array<{ text?: string }> }>;
      const shell = input.find((i) => i.role === 'user' && i.content?.[0]?.text?.startsWith('<user_shell_command>'))?.content?.[0]?.text ?? '';
      context.answers.push({ method: 'model input', answer: { command: shell.includes('echo from-the-user'), output: shell.includes('Output:\nfrom-the-user'), exit: shell.includes('Exit code: 0') } });
    },
  },
  {
    name: 'background terminals on an idle thread',
    capabilities: { experimentalApi: true },
    async run(context) {
      const threadId = await startThread(context);
      await record(context, 'thread/backgroundTerminals/list', { threadId });
      await record(context, 'thread/backgroundTerminals/clean', { threadId });
    },
  },
  {
    name: 'revert drops the turns from beforeTurnId on, for the client and the model',
    capabilities: { experimentalApi: true },
    async run(context) {
      const threadId = await startThread(context);
      context.model.enqueue(textReply('one'), textReply('two'), textReply('three'));
      await turn(context, threadId, 'first');
      const second = await turn(context, threadId, 'second');
      // codex answers with the thread's first page of history elsewhere (paginated); its id is what both share.
      await record(context, 'thread/revert', { threadId, beforeTurnId: second.params.turn.id }, (result) => result.thread.id === threadId);
      await record(context, 'thread/read', { threadId, includeTurns: true }, (result) => result.thread.turns.map((t: { items: Array<{ type: string }> }) => t.items.map((i) => i.type)));
      await turn(context, threadId, 'third');
      await record(context, 'thread/read', { threadId, includeTurns: true }, (result) => result.thread.turns.length);
    },
  },
  {
    name: 'injected items reach the next model request',
    capabilities: { experimentalApi: true },
    async run(context) {
      const threadId = await startThread(context);
      const note = { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Remember: the answer is 42.' }] };
      await record(context, 'thread/inject_items', { threadId, items: [note] });
      context.model.enqueue(textReply('42'));
      await turn(context, threadId, 'what is the answer?');
      const input = context.model.lastTurnRequest().body.input as Array<{ content?: Array<{ text?: string }> }>;
      context.answers.push({ method: 'model input', answer: input.some((i) => i.content?.some((c) => c.text === 'Remember: the answer is 42.')) });
    },
  },
  {
    name: 'settings updates apply to the next turn',
    capabilities: { experimentalApi: true },
    async run(context) {
      const threadId = await startThread(context);
      await record(context, 'thread/settings/update', { threadId, model: 'gpt-5.4' });
      context.model.enqueue(textReply('ok'));
      await turn(context, threadId, 'hello');
      context.answers.push({ method: 'model', answer: lastModel(context) });
    },
  },
  {
    name: 'a fork keeps the name; a goal outlives a restart',
    async run(context) {
      const threadId = await startThread(context);
      context.model.enqueue(textReply('ok'));
      await turn(context, threadId, 'name me');
      await record(context, 'thread/name/set', { threadId, name: 'Release prep' });
      await record(context, 'thread/fork', { threadId }, (result) => result.thread.name);
      await record(context, 'thread/goal/set', { threadId, objective: 'Ship 1.0', status: 'paused' }, (result) => result.goal.objective);
      // codex tells the goal just after answering: stopping it at once can lose that notification.
      await context.server.client.waitFor((m) => m.method === 'thread/goal/updated' && m.params.threadId === threadId, 10_000);
      await context.restart();
      await record(context, 'thread/resume', { threadId }, (result) => result.thread.name);
      await record(context, 'thread/goal/get', { threadId }, (result) => result.goal && { objective: result.goal.objective, status: result.goal.status });
    },
  },
  {
    name: 'structured output: outputSchema reaches the model as a strict JSON format, for its turn only',
    async run(context) {
      const threadId = await startThread(context);
      const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
      context.model.enqueue(textReply('{"answer":"42"}'), textReply('plain'));
      const first = await context.server.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'answer in JSON' }], outputSchema: schema });
      const done = await context.server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === first.result.turn.id, 20_000);
      context.answers.push({ method: 'turn/completed', answer: done.params.turn.items.map((i: { text?: string }) => i.text) });
      const sent = () => context.model.lastTurnRequest().body.text ?? null;
      context.answers.push({ method: 'text of the request', answer: sent() });
      await turn(context, threadId, 'and now in words');
      context.answers.push({ method: 'text of the next request', answer: sent() });
    },
  },
  {
    name: 'a granular approval policy that allows sandbox approvals asks before an escalation',
    capabilities: { experimentalApi: true },
    async run(context) {
      const policy = { granular: { sandbox_approval: true, rules: true, mcp_elicitations: false } };
      const started = await context.server.client.request('thread/start', { cwd: context.workspace, approvalPolicy: policy, sandbox: 'workspace-write' });
      context.answers.push({ method: 'thread/start', answer: started.error ?? started.result.approvalPolicy });
      context.model.enqueue(toolCallReply('exec_command', { cmd: 'touch escalated.txt', sandbox_permissions: 'require_escalated', justification: 'needs it' }, 'e1'), textReply('done'));
      answer(context, 'item/commandExecution/requestApproval', { decision: 'accept' });
      await turn(context, started.result.thread.id, 'escalate');
      context.answers.push({ method: 'ran', answer: fs.existsSync(path.join(context.workspace, 'escalated.txt')) });
    },
  },
  {
    name: 'turn/start fields: a tier for one turn, application context, the built-in workspace profile',
    capabilities: { experimentalApi: true },
    async run(context) {
      // workspace-write, so that the profile below names the sandbox the thread has (codex's default differs).
      const started = await context.server.client.request('thread/start', { cwd: context.workspace, serviceTier: 'priority', sandbox: 'workspace-write' });
      const threadId = started.result.thread.id;
      const sent = () => context.model.lastTurnRequest().body;
      context.model.enqueue(textReply('one'), textReply('two'));
      const first = await context.server.client.request('turn/start', {
        threadId,
        input: [{ type: 'text', text: 'first' }],
        serviceTierForTurn: 'default',
        additionalContext: { ide: { kind: 'application', value: 'Open file: src/a.ts' } },
      });
      await context.server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === first.result.turn.id, 20_000);
      const texts = (sent().input as Array<{ role?: string; content?: Array<{ text?: string }> }>).map((i) => `${i.role}:${i.content?.[0]?.text ?? ''}`);
      context.answers.push({ method: 'first request', answer: { tier: sent().service_tier ?? null, context: texts.filter((t) => t.startsWith('developer:<ide>')) } });
      const second = await context.server.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'second' }], permissions: ':workspace' });
      await context.server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === second.result.turn.id, 20_000);
      context.answers.push({ method: 'second request', answer: { tier: sent().service_tier ?? null } });
      await record(context, 'thread/read', { threadId }, (result) => result.thread.id === threadId);
    },
  },
  {
    name: 'view_image: an image goes back to the model as image input and shows as an imageView item',
    async run(context) {
      fs.writeFileSync(path.join(context.workspace, 'dot.png'), Buffer.from(DOT_PNG, 'base64'));
      fs.writeFileSync(path.join(context.workspace, 'notes.txt'), 'not an image');
      const threadId = await startThread(context);
      context.model.enqueue(toolCallReply('view_image', { path: 'dot.png' }, 'v1'), toolCallReply('view_image', { path: 'notes.txt' }, 'v2'), textReply('seen'));
      await turn(context, threadId, 'look at them');
      const outputs = (context.model.lastTurnRequest().body.input as Array<{ type: string; call_id?: string; output?: unknown }>)
        .filter((i) => i.type === 'function_call_output')
        .map((i) => i.output);
      context.answers.push({ method: 'view_image outputs', answer: outputs });
      const viewed = context.received.find((m) => m.method === 'item/completed' && m.params.item.type === 'imageView');
      context.answers.push({ method: 'imageView item', answer: viewed && { id: viewed.params.item.id, path: path.basename(viewed.params.item.path) } });
    },
  },
  {
    name: 'delete removes a stored thread',
    async run(context) {
      const threadId = await startThread(context);
      context.model.enqueue(textReply('ok'));
      await turn(context, threadId, 'keep me briefly');
      await record(context, 'thread/delete', { threadId });
      await record(context, 'thread/list', {}, (result) => result.data.length);
      const read = await context.server.client.request('thread/read', { threadId });
      context.answers.push({ method: 'thread/read after delete', answer: read.error?.code ?? 'still readable' });
      const files = fs.readdirSync(context.workspace).filter((name) => !name.startsWith('.'));
      context.answers.push({ method: 'workspace untouched', answer: files.map((name) => path.basename(name)) });
    },
  },
];

describe('integration: differential against codex app-server — client methods and shapes', function () {
  this.timeout(90_000);
  compareScenarios(SCENARIOS);
});
