// Tandem against the codex oracle with the same [mcp_servers]: the SDK-built test server and
// @modelcontextprotocol/server-everything over stdio, and a server listing tools with odd names and schemas.
// Compared: the namespaces and resource tools the model is offered, `mcpServerStatus/list`, the
// `mcpToolCall` items and approvals of a few calls and what the model reads back, and the startup statuses.
// The model is gpt-5.4, but for one scenario: for gpt-5.5 codex offers MCP tools only through its
// `tool_search` tool, and that scenario compares the tool and what searches find.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { textReply } from '../support/fakeModel';
import { observe, type Scenario, type ScenarioContext } from '../support/differential';
import { record, startThread, turn } from '../support/differentialSteps';
import { namespacedCall, stdioServerToml, toolSearchCall } from '../support/mcpScenario';
import { rawToolsServerCommand } from '../support/mcpRawToolsServer';
import { bundledMcpStdioCommand } from '../support/mcpTestServerBundle';
import { REPO_ROOT, type WireMessage } from '../support/protocolClient';

const MODEL = 'gpt-5.4';
const ASK = 'approval_policy = "on-request"\nsandbox_mode = "workspace-write"';
const EVERYTHING = { command: process.execPath, args: [path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js'), 'stdio'] };

/** Tools whose names clash once sanitized, run long, or hold characters a model name cannot; schemas with every kind of keyword. */
const RAW_TOOLS = [
  { name: 'dotted.name', description: 'A dot.', inputSchema: { type: 'object' } },
  { name: 'dotted_name', description: 'Clashes with the dot.', inputSchema: { type: 'object' } },
  { name: 'dash-name', description: 'A dash.', inputSchema: { type: 'object' } },
  { name: 'with space', description: 'A space.', inputSchema: { type: 'object' } },
  { name: 'café', description: 'Not ASCII.', inputSchema: { type: 'object' } },
  { name: 'L'.repeat(130), description: 'Too long.', inputSchema: { type: 'object' } },
  { name: 'Upper', inputSchema: { type: 'object' } },
  {
    name: 'kitchen_sink',
    description: 'Every kind of keyword.',
    inputSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      title: 'Sink',
      properties: {
        nullable: { type: ['string', 'null'], description: 'maybe' },
        count: { type: 'integer', minimum: 1, maximum: 9, default: 3 },
        day: { type: 'string', format: 'date', pattern: '^\\d+$' },
        choice: { enum: ['a', 'b'], description: 'pick one' },
        fixed: { const: 3 },
        bare_array: { type: 'array' },
        list: { type: 'array', items: { type: 'number' }, minItems: 1, maxItems: 5 },
        bare_object: { type: 'object', minProperties: 1 },
        anything: {},
        described: { description: 'no type' },
        union: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        one: { oneOf: [{ enum: ['x'] }, { type: 'null' }], title: 'One' },
        all: { allOf: [{ type: 'string' }, { minLength: 2 }] },
        ref: { $ref: '#/$defs/thing', description: 'a thing', title: 'Thing' },
        nested: { type: 'object', properties: { z: { type: 'string', description: 'zed' }, a: { type: 'boolean' } }, required: ['z'], additionalProperties: { type: 'string' } },
        not: { not: { type: 'string' } },
        inferred: { items: { enum: ['p', 'q'] } },
      },
      required: ['count'],
      additionalProperties: false,
      $defs: { thing: { enum: ['t'], format: 'f' }, unused: { type: 'string' } },
    },
  },
  {
    name: 'refs',
    description: 'Definitions reached through other definitions, and one that reaches itself.',
    inputSchema: {
      type: 'object',
      properties: { a: { $ref: '#/$defs/outer' }, n: { $ref: '#/definitions/node' } },
      $defs: { outer: { type: 'object', properties: { inner: { $ref: '#/$defs/inner' } } }, inner: { format: 'x', title: 'Inner' }, lonely: { type: 'string' } },
      definitions: { node: { type: 'object', properties: { next: { $ref: '#/definitions/node' } } }, other: { type: 'number' } },
    },
  },
  { name: 'tuple', description: 'A tuple cannot be offered.', inputSchema: { type: 'object', properties: { pair: { type: 'array', items: [{ type: 'string' }, { type: 'number' }] } } } },
];

type ServerName = 'tests' | 'everything' | 'raw-tools';

/** A scenario and the servers its config holds (each scenario starts only what it needs). */
interface McpScenario extends Scenario {
  servers: ServerName[];
}

/** A turn on another model. */
async function turnOn(context: ScenarioContext, threadId: string, model: string): Promise<void> {
  const response = await context.server.client.request('turn/start', { threadId, model, input: [{ type: 'text', text: `now ${model}` }] });
  await context.server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === response.result.turn.id, 20_000);
}

/** Resolves once each named server has started (or failed) for the thread. */
async function serversUp(context: ScenarioContext, threadId: string, names: string[]): Promise<void> {
  for (const name of names) {
    await context.server.client.waitFor((m) => m.method === 'mcpServer/startupStatus/updated' && m.params.threadId === threadId && m.params.name === name && m.params.status !== 'starting', 30_000);
  }
}

/**
 * Answers the thread's approval questions as they come, with `actions` in order (then decline); the
 * returned function stops answering and gives the questions as asked, ids masked.
 */
function answerAsked(context: ScenarioContext, actions: string[]): () => unknown[] {
  const client = context.server.client;
  const asked: WireMessage[] = [];
  const timer = setInterval(() => {
    for (const m of client.received) {
      if (m.method !== 'mcpServer/elicitation/request' || m.id === undefined || asked.includes(m)) continue;
      asked.push(m);
      client.send({ id: m.id, result: { action: actions[asked.length - 1] ?? 'decline', content: null, _meta: null } });
    }
  }, 20);
  return () => {
    clearInterval(timer);
    return asked.map((request) => withIdsMasked(request.params));
  };
}

const withIdsMasked = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>'));

/**
 * The `mcpToolCall` items of the run as item/started and item/completed carry them, durations masked.
 * Tandem's items carry no timestamps of their own (the notifications around them do), so `startedAtMs` and
 * `completedAtMs` are left out here.
 */
function callItems(context: ScenarioContext): unknown[] {
  return context.received
    .filter((m) => (m.method === 'item/started' || m.method === 'item/completed') && m.params.item.type === 'mcpToolCall')
    .map((m) => {
      const { startedAtMs: _started, completedAtMs: _completed, durationMs, ...item } = m.params.item;
      return { method: m.method, item: { ...item, durationMs: typeof durationMs === 'number' ? '<ms>' : durationMs } };
    });
}

/** What the model read back for each call, wall time masked. */
function modelGot(context: ScenarioContext, callIds: string[]): unknown[] {
  const inputs = context.model.turnRequests.flatMap((request) => request.body.input as Array<{ type: string; call_id?: string; output?: unknown }>);
  return callIds.map((callId) => {
    const output = inputs.find((i) => i.type === 'function_call_output' && i.call_id === callId)?.output;
    return JSON.parse(JSON.stringify(output ?? null).replace(/Wall time: \d+\.\d{4} seconds/g, 'Wall time: <s> seconds'));
  });
}

/** A status with what only Tandem reports taken out. */
function comparableStatus(status: { tools: Record<string, Record<string, unknown>>; serverCapabilities?: Record<string, unknown> }) {
  // codex's MCP client keeps only the fields it models: a tool's `execution` and the `tasks` capability
  // (both from newer MCP revisions) never reach its answer. Tandem passes on what the server listed.
  const tools = Object.fromEntries(Object.entries(status.tools).map(([name, { execution: _execution, ...tool }]) => [name, tool]));
  const { tasks: _tasks, ...capabilities } = status.serverCapabilities ?? {};
  return { ...status, tools, serverCapabilities: status.serverCapabilities ? capabilities : status.serverCapabilities };
}

const SCENARIOS: McpScenario[] = [
  {
    name: 'the model is offered the same namespaces, tools and resource tools',
    servers: ['tests', 'everything', 'raw-tools'],
    async run(context) {
      const threadId = await startThread(context, { model: MODEL });
      await serversUp(context, threadId, ['everything', 'raw-tools', 'tests']);
      context.model.enqueue(textReply('ok'));
      await turn(context, threadId, 'hi');
      const tools = context.model.lastTurnRequest().body.tools as Array<{ type: string; name?: string }>;
      context.answers.push({ method: 'namespaces', answer: tools.filter((t) => t.type === 'namespace' && t.name?.startsWith('mcp__')) });
      context.answers.push({ method: 'resource tools', answer: tools.filter((t) => ['list_mcp_resources', 'list_mcp_resource_templates', 'read_mcp_resource'].includes(t.name ?? '')) });
    },
  },
  {
    name: 'mcpServerStatus/list reports the servers alike',
    servers: ['tests', 'everything'],
    async run(context) {
      const threadId = await startThread(context, { model: MODEL });
      await serversUp(context, threadId, ['everything', 'tests']);
      const statuses = (result: { data: Array<Parameters<typeof comparableStatus>[0]> }) => result.data.map(comparableStatus);
      await record(context, 'mcpServerStatus/list', { threadId, detail: 'full' }, statuses);
      await record(context, 'mcpServerStatus/list', { threadId, detail: 'toolsAndAuthOnly', serverName: 'everything' }, statuses);
    },
  },
  {
    // Before any thread: the servers are listed (started to read them) with no runtime status and no startup notifications.
    name: 'mcpServerStatus/list without a thread reports no runtime status and tells no startup statuses',
    servers: ['tests'],
    async run(context) {
      const listed = await context.server.client.request('mcpServerStatus/list', { detail: 'toolsAndAuthOnly' });
      const data = listed.result.data as Array<{ name: string; runtimeStatus: unknown; serverInfo: { name: string } | null; tools: object }>;
      context.answers.push({ method: 'thread-less list', answer: data.map((s) => [s.name, s.runtimeStatus, s.serverInfo?.name, Object.keys(s.tools).length]) });
      await new Promise((resolve) => setTimeout(resolve, 500));
      context.answers.push({ method: 'startup statuses', answer: context.received.filter((m) => m.method === 'mcpServer/startupStatus/updated').length });
    },
  },
  {
    name: 'a read-only call, a structured result and an image: items and what the model reads',
    servers: ['tests'],
    async run(context) {
      const threadId = await startThread(context, { model: MODEL });
      await serversUp(context, threadId, ['tests']);
      context.model.enqueue(
        namespacedCall('mcp__tests', 'echo', { text: 'hello' }, 'r1'),
        namespacedCall('mcp__tests', 'add', { a: 2, b: 3 }, 'r2'),
        namespacedCall('mcp__tests', 'image', {}, 'r3'),
        textReply('done'),
      );
      await turn(context, threadId, 'use the tools');
      context.answers.push({ method: 'items', answer: callItems(context) });
      context.answers.push({ method: 'model input', answer: modelGot(context, ['r1', 'r2', 'r3']) });
    },
  },
  {
    name: 'approvals: a destructive tool asks (accepted, then declined), and so does a tool that says nothing of itself',
    servers: ['tests'],
    async run(context) {
      const threadId = await startThread(context, { model: MODEL });
      await serversUp(context, threadId, ['tests']);
      context.model.enqueue(
        namespacedCall('mcp__tests', 'write_note', { text: 'kept' }, 'a1'),
        namespacedCall('mcp__tests', 'write_note', { text: 'refused' }, 'a2'),
        namespacedCall('mcp__tests', 'fail', {}, 'a3'),
        textReply('done'),
      );
      const asked = answerAsked(context, ['accept', 'decline', 'accept']);
      await turn(context, threadId, 'write notes');
      context.answers.push({ method: 'mcpServer/elicitation/request', answer: asked() });
      context.answers.push({ method: 'items', answer: callItems(context) });
      context.answers.push({ method: 'model input', answer: modelGot(context, ['a1', 'a2', 'a3']) });
    },
  },
  {
    name: 'gpt-5.5 gets a tool_search tool instead of the namespaces, and searches find the same tools',
    servers: ['tests', 'everything'],
    async run(context) {
      const threadId = await startThread(context, { model: 'gpt-5.5' });
      await serversUp(context, threadId, ['everything', 'tests']);
      const searches: Array<[string, Record<string, unknown>]> = [
        ['s1', { query: 'sum two numbers', limit: 3 }],
        ['s2', { query: 'echo' }],
        ['s3', { query: 'print environment variables' }],
      ];
      context.model.enqueue(...searches.map(([id, args]) => toolSearchCall(id, args)), textReply('ok'));
      await turn(context, threadId, 'find tools');
      const [first] = context.model.turnRequests.slice(-searches.length - 1);
      const tools = first!.body.tools as Array<{ type: string; name?: string }>;
      context.answers.push({ method: 'namespaces', answer: tools.filter((t) => t.type === 'namespace' && t.name?.startsWith('mcp__')) });
      context.answers.push({ method: 'tool_search tool', answer: tools.filter((t) => t.type === 'tool_search') });
      const input = context.model.lastTurnRequest().body.input as Array<{ type: string; id?: string; call_id?: string }>;
      // The item's id is the client's own (Tandem sends none: requests are not stored).
      const outputs = input.filter((i) => i.type === 'tool_search_output').map(({ id: _id, ...rest }) => rest);
      context.answers.push({ method: 'tool_search_output', answer: outputs });
    },
  },
  {
    // codex also names its own sub-agent namespace (multi_agent_v1): Tandem has none, so only MCP lines count.
    name: 'gpt-5.5 is told its deferred namespaces, and what changed when the model changes',
    servers: ['tests', 'everything'],
    async run(context) {
      const threadId = await startThread(context, { model: 'gpt-5.5' });
      await serversUp(context, threadId, ['everything', 'tests']);
      context.model.enqueue(textReply('one'), textReply('two'), textReply('three'));
      await turn(context, threadId, 'first');
      await turnOn(context, threadId, 'gpt-5.4');
      await turnOn(context, threadId, 'gpt-5.5');
      const told = context.model.turnRequests.slice(-3).map((request) =>
        (request.body.input as Array<{ role?: string; content?: Array<{ text?: string }> }>)
          .filter((i) => i.role === 'developer')
          .flatMap((i) => (i.content ?? []).map((c) => c.text ?? '').filter((text) => text.startsWith('<tools>')))
          .map((text) => text.split('\n').filter((line) => !line.startsWith('- ') || line.startsWith('- mcp__'))),
      );
      context.answers.push({ method: '<tools> sections per request', answer: told });
    },
  },
  {
    // Only each server's own sequence is compared: codex sometimes sends "starting" before thread/started
    // and sometimes after (it races); Tandem sends it after.
    name: 'a thread reports its servers starting, then ready',
    servers: ['tests'],
    async run(context) {
      const threadId = await startThread(context, { model: MODEL });
      await serversUp(context, threadId, ['tests']);
      const sequence = context.received
        .filter((m) => (m.method === 'thread/started' && m.params.thread.id === threadId) || (m.method === 'mcpServer/startupStatus/updated' && m.params.threadId === threadId))
        .map((m) => (m.method === 'thread/started' ? m.method : `${m.params.name}: ${m.params.status}`));
      context.answers.push({ method: 'startup', answer: { statuses: sequence.filter((e) => e !== 'thread/started'), threadStarted: sequence.includes('thread/started') } });
    },
  },
];

/** The scenarios run on codex, then on Tandem; startup statuses are compared by the scenario about them only. */
function compareMcpScenarios(scenarios: Scenario[]): void {
  const withoutStartup = (events: string[]) => events.filter((e) => e !== 'mcpServer/startupStatus/updated');
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const codex = await observe('codex', scenario);
      const tandem = await observe('tandem', scenario);
      const [c, t] = [withoutStartup(codex.events), withoutStartup(tandem.events)];
      // Everything at once, so one run shows every difference; the message names the parts that differ.
      const differing = [
        ...(isDeepStrictEqual(t, c) ? [] : ['events']),
        ...(isDeepStrictEqual(tandem.modelInputs, codex.modelInputs) ? [] : ['kinds of model input']),
        ...codex.answers.filter((answer, i) => !isDeepStrictEqual(tandem.answers[i], answer)).map((answer) => (answer as { method: string }).method),
      ];
      assert.deepEqual({ events: t, modelInputs: tandem.modelInputs, answers: tandem.answers }, { events: c, modelInputs: codex.modelInputs, answers: codex.answers }, `Tandem differs from codex in: ${differing.join(', ')}`);
    });
  }
}

describe('differential: MCP servers, against codex app-server', function () {
  this.timeout(120_000);
  let dir = '';

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-diff-mcp-'));
    const toolsFile = path.join(dir, 'tools.json');
    fs.writeFileSync(toolsFile, JSON.stringify(RAW_TOOLS));
    const tables: Record<ServerName, string> = {
      tests: stdioServerToml('tests', await bundledMcpStdioCommand(), [`env = { TANDEM_MCP_NOTES = ${JSON.stringify(path.join(dir, 'notes.txt'))} }`]),
      everything: stdioServerToml('everything', EVERYTHING),
      'raw-tools': stdioServerToml('raw-tools', rawToolsServerCommand(toolsFile)),
    };
    for (const scenario of SCENARIOS) scenario.config = [ASK, ...scenario.servers.map((name) => tables[name])].join('\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  compareMcpScenarios(SCENARIOS);
});
