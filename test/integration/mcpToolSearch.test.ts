// Models that load MCP tools on demand (gpt-5.5 and the other built-in models): their servers' tools are
// not sent upfront; a `tool_search` tool finds them (BM25 over their metadata), answers with the matches
// grouped by namespace, and the tools found, like all deferred tools, stay callable. Older models still get
// the namespaces. A resumed thread gives the model its searches back.
import { strict as assert } from 'node:assert';
import { textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { bundledMcpStdioCommand } from '../support/mcpTestServerBundle';
import { mcpItem, modelOutput, namespacedCall, outputText, stdioServerToml, toolSearchCall } from '../support/mcpScenario';
import { runTurn, startThread } from '../support/session';

const FULL_ACCESS = 'approval_policy = "never"\nsandbox_mode = "danger-full-access"';

type Tool = { type: string; name?: string; execution?: string; description?: string; parameters?: { required?: string[]; properties?: object }; tools?: Tool[] };
type Input = Array<{ type: string; call_id?: string; status?: string; execution?: string; tools?: Tool[]; arguments?: unknown }>;

describe('integration: MCP tool search', function () {
  this.timeout(60_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  async function boot() {
    await fixture.start({ extraConfig: FULL_ACCESS, tables: stdioServerToml('tests', await bundledMcpStdioCommand(['--name', 'tests'])) });
    return (await fixture.spawn()).client;
  }

  const searchOutput = (input: Input, callId: string) => input.find((i) => i.type === 'tool_search_output' && i.call_id === callId);

  it('offers gpt-5.5 a tool_search tool instead of the namespaces, answers a search and runs a tool it found', async () => {
    const client = await boot();
    const threadId = await startThread(client, { cwd: fixture.temp.workspace, model: 'gpt-5.5' });
    await client.waitFor((m) => m.method === 'mcpServer/startupStatus/updated' && m.params.status === 'ready');
    fixture.model.enqueue(toolSearchCall('ts1', { query: 'add two numbers', limit: 3 }), namespacedCall('mcp__tests', 'add', { a: 2, b: 3 }, 'c1'), textReply('5'));
    await runTurn(client, threadId, 'add 2 and 3');

    const [first, afterSearch] = fixture.model.turnRequests.slice(-3);
    const tools = first!.body.tools as Tool[];
    assert.equal(tools.filter((t) => t.type === 'namespace' && t.name?.startsWith('mcp__')).length, 0, 'no MCP namespace is sent upfront');
    const search = tools.find((t) => t.type === 'tool_search')!;
    assert.ok(search, 'the tool_search tool is offered');
    assert.equal(search.execution, 'client');
    assert.match(search.description!, /^# Tool discovery\n/);
    assert.deepEqual(search.parameters!.required, ['query']);
    assert.deepEqual(Object.keys(search.parameters!.properties!).sort(), ['limit', 'query']);
    for (const name of ['list_mcp_resources', 'read_mcp_resource']) assert.ok(tools.some((t) => t.name === name), `${name} is still offered`);

    // The search and its answer are in the next request's input, in that order.
    const input = afterSearch!.body.input as Input;
    const callAt = input.findIndex((i) => i.type === 'tool_search_call' && i.call_id === 'ts1');
    assert.ok(callAt >= 0, 'the search call is kept in the history');
    assert.deepEqual(input[callAt]!.arguments, { query: 'add two numbers', limit: 3 });
    const output = searchOutput(input, 'ts1')!;
    assert.ok(input.indexOf(output as never) > callAt);
    assert.equal(output.status, 'completed');
    assert.equal(output.execution, 'client');
    assert.equal(output.tools!.length, 1, 'one server: one namespace');
    const namespace = output.tools![0]!;
    assert.equal(namespace.type, 'namespace');
    assert.equal(namespace.name, 'mcp__tests');
    assert.equal(namespace.description, 'Test server for Tandem.');
    const found = namespace.tools!;
    assert.ok(found.length >= 1 && found.length <= 3, `at most the limit: ${found.length}`);
    assert.equal(found[0]!.name, 'add', 'the best match comes first');
    const add = found[0] as Tool & { strict?: boolean; defer_loading?: boolean };
    assert.equal(add.type, 'function');
    assert.equal(add.description, 'Adds two numbers.');
    assert.equal(add.strict, false);
    assert.equal(add.defer_loading, true);
    assert.deepEqual(Object.keys(found[0]!.parameters!.properties!).sort(), ['a', 'b']);

    // The tool found runs as any MCP call does.
    assert.equal(mcpItem(client, 'c1').status, 'completed');
    assert.match(modelOutput(fixture.model, 'c1') as string, /"sum":5/);
    // No thread item is shown for the search itself.
    assert.ok(!client.notifications('item/started').some((m) => JSON.stringify(m.params.item).includes('ts1')));
  });

  it('answers a search with no match, or with bad arguments, with no tools; a deferred tool is callable unsearched', async () => {
    const client = await boot();
    const threadId = await startThread(client, { cwd: fixture.temp.workspace, model: 'gpt-5.5' });
    await client.waitFor((m) => m.method === 'mcpServer/startupStatus/updated' && m.params.status === 'ready');
    fixture.model.enqueue(toolSearchCall('ts1', { query: 'zzqx' }), toolSearchCall('ts2', { limit: 2 }), namespacedCall('mcp__tests', 'echo', { text: 'hi' }, 'c1'), textReply('done'));
    await runTurn(client, threadId, 'go');
    const input = fixture.model.lastTurnRequest().body.input as Input;
    assert.deepEqual(searchOutput(input, 'ts1')!.tools, []);
    assert.deepEqual(searchOutput(input, 'ts2')!.tools, []);
    assert.match(outputText(modelOutput(fixture.model, 'c1')), /Output:\nhi$/, 'a tool not searched for still runs');
  });

  it('returns at most 8 tools by default, across the server', async () => {
    const client = await boot();
    const threadId = await startThread(client, { cwd: fixture.temp.workspace, model: 'gpt-5.5' });
    await client.waitFor((m) => m.method === 'mcpServer/startupStatus/updated' && m.params.status === 'ready');
    // Every tool's text holds the server's name.
    fixture.model.enqueue(toolSearchCall('ts1', { query: 'tests' }), textReply('done'));
    await runTurn(client, threadId, 'go');
    const output = searchOutput(fixture.model.lastTurnRequest().body.input as Input, 'ts1')!;
    assert.equal(output.tools![0]!.tools!.length, 8);
  });

  it('gives a resumed thread its searches back', async () => {
    let client = await boot();
    const threadId = await startThread(client, { cwd: fixture.temp.workspace, model: 'gpt-5.5' });
    await client.waitFor((m) => m.method === 'mcpServer/startupStatus/updated' && m.params.status === 'ready');
    fixture.model.enqueue(toolSearchCall('ts1', { query: 'echo text' }), textReply('found it'));
    await runTurn(client, threadId, 'find echo');
    const before = searchOutput(fixture.model.lastTurnRequest().body.input as Input, 'ts1');

    client = (await fixture.restart()).client;
    await client.request('thread/resume', { threadId });
    fixture.model.enqueue(textReply('again'));
    await runTurn(client, threadId, 'and now');
    const input = fixture.model.lastTurnRequest().body.input as Input;
    assert.ok(input.some((i) => i.type === 'tool_search_call' && i.call_id === 'ts1'), 'the search call is replayed');
    assert.deepEqual(searchOutput(input, 'ts1'), before, 'its output is replayed as it was');
  });

  it('names the namespaces gpt-5.5 can search in its developer context, then tells what changes', async () => {
    const client = await boot();
    // The first turn starts at once: it waits for the server so the context can name its namespace.
    const threadId = await startThread(client, { cwd: fixture.temp.workspace, model: 'gpt-5.5' });
    fixture.model.enqueue(textReply('one'), textReply('two'));
    await runTurn(client, threadId, 'hi');
    const developerParts = () =>
      (fixture.model.lastTurnRequest().body.input as Array<{ role?: string; content?: Array<{ text?: string }> }>)
        .filter((i) => i.role === 'developer')
        .map((i) => (i.content ?? []).map((c) => c.text ?? ''));
    const [context] = developerParts();
    const permissionsAt = context!.findIndex((text) => text.startsWith('<permissions instructions>'));
    assert.equal(context![permissionsAt + 1], '<tools>\nDeferred tool namespaces:\n- mcp__tests: Test server for Tandem.\n</tools>', 'right after the permissions');

    const next = await client.request('turn/start', { threadId, model: 'gpt-5.4', input: [{ type: 'text', text: 'older model' }] });
    await client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === next.result.turn.id);
    assert.deepEqual(developerParts().at(-1), ['<tools>\nRemoved deferred tool namespaces:\n- mcp__tests: Test server for Tandem.\nNo deferred tool namespaces remain.\n</tools>']);
    assert.ok((fixture.model.lastTurnRequest().body.tools as Tool[]).some((t) => t.type === 'namespace' && t.name === 'mcp__tests'), 'now offered upfront');

    const plain = await startThread(client, { cwd: fixture.temp.workspace, model: 'gpt-5.4' });
    fixture.model.enqueue(textReply('three'));
    await runTurn(client, plain, 'hi');
    assert.ok(!developerParts().flat().some((text) => text.startsWith('<tools>')), 'a model given its tools upfront is not told of deferred ones');
  });

  it('still offers gpt-5.4 and unknown models the namespaces, with no tool_search', async () => {
    const client = await boot();
    for (const model of ['gpt-5.4', 'test-model']) {
      const threadId = await startThread(client, { cwd: fixture.temp.workspace, model });
      await client.waitFor((m) => m.method === 'mcpServer/startupStatus/updated' && m.params.threadId === threadId && m.params.status === 'ready');
      fixture.model.enqueue(textReply('ok'));
      await runTurn(client, threadId, 'hi');
      const tools = fixture.model.lastTurnRequest().body.tools as Tool[];
      assert.ok(tools.some((t) => t.type === 'namespace' && t.name === 'mcp__tests'), model);
      assert.ok(!tools.some((t) => t.type === 'tool_search'), model);
    }
  });
});
