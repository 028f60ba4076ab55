// MCP servers from config.toml, as the model sees and calls them: startup status, the namespace of each
// server with its tools under model-safe names, calls as `mcpToolCall` items with their results (text,
// structured, image, error), progress, timeouts, interrupts and a server that dies mid-call.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { bundledMcpStdioCommand } from '../support/mcpTestServerBundle';
import { mcpItem, modelOutput, namespacedCall, outputText, stdioServerToml } from '../support/mcpScenario';
import { rawToolsServerCommand } from '../support/mcpRawToolsServer';
import { runTurn, startThread } from '../support/session';

const FULL_ACCESS = 'approval_policy = "never"\nsandbox_mode = "danger-full-access"';

describe('integration: MCP tools', function () {
  this.timeout(60_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  async function boot(tables: string, extraConfig = FULL_ACCESS) {
    await fixture.start({ extraConfig, tables });
    const { client } = await fixture.spawn();
    return client;
  }

  it('starts the servers with the thread and offers their tools in a namespace, as codex does', async () => {
    const client = await boot(stdioServerToml('tests', await bundledMcpStdioCommand(['--name', 'tests'])));
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    await client.waitFor((m) => m.method === 'mcpServer/startupStatus/updated' && m.params.status === 'ready');
    const statuses = client.notifications('mcpServer/startupStatus/updated').map((m) => [m.params.threadId, m.params.name, m.params.status]);
    assert.deepEqual(statuses, [
      [threadId, 'tests', 'starting'],
      [threadId, 'tests', 'ready'],
    ]);
    const order = client.received.filter((m) => m.method === 'thread/started' || m.method === 'mcpServer/startupStatus/updated').map((m) => m.method);
    assert.equal(order[0], 'thread/started', 'the servers start once the thread is announced');
    fixture.model.enqueue(textReply('ok'));
    await runTurn(client, threadId, 'hi');
    const tools = fixture.model.lastTurnRequest().body.tools as Array<{ type: string; name: string; description?: string; tools: Array<{ name: string; strict: boolean; parameters: { type: string; $schema?: string; properties: object } }> }>;
    for (const name of ['list_mcp_resources', 'list_mcp_resource_templates', 'read_mcp_resource']) assert.ok(tools.some((t) => t.name === name), name);
    const namespace = tools.find((t) => t.type === 'namespace' && t.name === 'mcp__tests')!;
    assert.equal(namespace.description, 'Test server for Tandem.');
    const names = namespace.tools.map((t: { name: string }) => t.name);
    assert.deepEqual(names, [...names].sort());
    for (const name of ['echo', 'add', 'write_note', 'touch', 'fetch_page', 'slow', 'fail', 'throw', 'image', 'ask_name', 'crash']) assert.ok(names.includes(name), name);
    const add = namespace.tools.find((t) => t.name === 'add')!;
    assert.equal(add.strict, false);
    assert.equal(add.parameters.type, 'object');
    assert.equal(add.parameters.$schema, undefined, 'schema keywords the model format lacks are left out');
    assert.deepEqual(Object.keys(add.parameters.properties).sort(), ['a', 'b']);
  });

  it('runs a call as an mcpToolCall item and gives the model the result', async () => {
    const client = await boot(stdioServerToml('tests', await bundledMcpStdioCommand()));
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    fixture.model.enqueue(
      namespacedCall('mcp__tests', 'echo', { text: 'hello' }, 'c1'),
      namespacedCall('mcp__tests', 'add', { a: 2, b: 3 }, 'c2'),
      namespacedCall('mcp__tests', 'image', {}, 'c3'),
      namespacedCall('mcp__tests', 'fail', {}, 'c4'),
      namespacedCall('mcp__tests', 'throw', {}, 'c5'),
      namespacedCall('mcp__tests', 'nope', {}, 'c6'),
      textReply('done'),
    );
    const done = await runTurn(client, threadId, 'use the tools');
    assert.equal(done.params.turn.status, 'completed');

    const started = client.notifications('item/started').find((m) => m.params.item.id === 'c1')!.params.item;
    assert.deepEqual({ ...started }, { type: 'mcpToolCall', id: 'c1', server: 'tests', tool: 'echo', status: 'inProgress', arguments: { text: 'hello' }, appContext: null, mcpAppUi: null, pluginId: null, readOnlyHint: true, result: null, error: null, durationMs: null });
    const echo = mcpItem(client, 'c1');
    assert.equal(echo.status, 'completed');
    assert.deepEqual(echo.result, { content: [{ type: 'text', text: 'hello' }], structuredContent: null, _meta: null });
    const echoOutput = modelOutput(fixture.model, 'c1') as Array<{ type: string; text?: string }>;
    assert.match(echoOutput[0]!.text!, /^Wall time: \d+\.\d{4} seconds\nOutput:$/);
    assert.deepEqual(echoOutput.slice(1), [{ type: 'input_text', text: 'hello' }]);

    assert.deepEqual(mcpItem(client, 'c2').result, { content: [{ type: 'text', text: '5' }], structuredContent: { sum: 5 }, _meta: null });
    assert.match(modelOutput(fixture.model, 'c2') as string, /^Wall time: [\d.]+ seconds\nOutput:\n\{"sum":5\}$/, 'structured content reaches the model as JSON');

    // test-model is not known to take images: it is told the image was left out.
    assert.match(outputText(modelOutput(fixture.model, 'c3')), /a red dot\n<image content omitted because you do not support image input>/);

    const failed = mcpItem(client, 'c4');
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error, null, 'a result flagged isError is a result');
    assert.match(outputText(modelOutput(fixture.model, 'c4')), /the tool failed on purpose/);

    const thrown = mcpItem(client, 'c5');
    assert.equal(thrown.status, 'failed');
    assert.match((thrown.error as { message: string }).message, /^tool call error: .*threw on purpose/);
    assert.match(outputText(modelOutput(fixture.model, 'c6')), /unsupported call: mcp__tests has no tool nope/);

    // A model that takes images gets the image itself.
    const visionThread = await startThread(client, { cwd: fixture.temp.workspace, model: 'gpt-4o' });
    fixture.model.enqueue(namespacedCall('mcp__tests', 'image', {}, 'c7'), textReply('seen'));
    await runTurn(client, visionThread, 'look');
    const image = modelOutput(fixture.model, 'c7') as Array<{ type: string; image_url?: string }>;
    assert.ok(image.some((i) => i.type === 'input_image' && i.image_url!.startsWith('data:image/png;base64,')), JSON.stringify(image).slice(0, 300));
  });

  it('reports progress, honours tool_timeout_sec and interrupts', async () => {
    const client = await boot(stdioServerToml('tests', await bundledMcpStdioCommand(), ['tool_timeout_sec = 1']));
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    fixture.model.enqueue(namespacedCall('mcp__tests', 'slow', { ms: 300, steps: 3 }, 'p1'), namespacedCall('mcp__tests', 'slow', { ms: 5000 }, 'p2'), textReply('done'));
    await runTurn(client, threadId, 'go slow');
    assert.equal(mcpItem(client, 'p1').status, 'completed');
    const progress = client.notifications('item/mcpToolCall/progress').filter((m) => m.params.itemId === 'p1').map((m) => m.params.message);
    assert.ok(progress.length >= 2, JSON.stringify(progress));
    const timedOut = mcpItem(client, 'p2');
    assert.equal(timedOut.status, 'failed');
    assert.match((timedOut.error as { message: string }).message, /tool call error: .*timed out/i);

    fixture.model.enqueue(namespacedCall('mcp__tests', 'slow', { ms: 20_000, steps: 20 }, 'p3'));
    const turn = await client.request('turn/start', { threadId, input: [{ type: 'text', text: 'again' }] });
    await client.waitFor((m) => m.method === 'item/mcpToolCall/progress' && m.params.itemId === 'p3');
    const startedAt = Date.now();
    await client.request('turn/interrupt', { threadId, turnId: turn.result.turn.id });
    const completed = await client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === turn.result.turn.id);
    assert.equal(completed.params.turn.status, 'interrupted');
    assert.ok(Date.now() - startedAt < 5000, 'the interrupt does not wait for the tool');
  });

  it('a server that dies mid-call fails that call only; the turn goes on', async () => {
    const client = await boot(stdioServerToml('tests', await bundledMcpStdioCommand()));
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    fixture.model.enqueue(namespacedCall('mcp__tests', 'crash', {}, 'x1'), namespacedCall('mcp__tests', 'echo', { text: 'still there?' }, 'x2'), textReply('done'));
    const done = await runTurn(client, threadId, 'crash it');
    assert.equal(done.params.turn.status, 'completed');
    assert.equal(mcpItem(client, 'x1').status, 'failed');
    assert.match(outputText(modelOutput(fixture.model, 'x2')), /tests.*(stopped|not running)/);
  });

  it('a failing server loses only its own tools; a required one fails thread/start', async () => {
    const good = await bundledMcpStdioCommand(['--name', 'good']);
    const bad = await bundledMcpStdioCommand(['--fail-start']);
    const client = await boot(stdioServerToml('good', good) + stdioServerToml('broken', bad));
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    const failed = await client.waitFor((m) => m.method === 'mcpServer/startupStatus/updated' && m.params.status === 'failed');
    assert.equal(failed.params.name, 'broken');
    assert.match(failed.params.error, /broken/);
    fixture.model.enqueue(textReply('ok'));
    await runTurn(client, threadId, 'hi');
    const namespaces = (fixture.model.lastTurnRequest().body.tools as Array<{ type: string; name: string }>).filter((t) => t.type === 'namespace').map((t) => t.name);
    assert.deepEqual(namespaces, ['mcp__good']);

    await fixture.close();
    const strict = await boot(stdioServerToml('good', good) + stdioServerToml('broken', bad, ['required = true']));
    const refused = await strict.request('thread/start', { cwd: fixture.temp.workspace });
    assert.equal(refused.error?.code, -32600);
    assert.match(refused.error!.message, /required MCP servers failed to initialize: .*broken/);
  });

  it('a malformed tool in a listing costs only that tool', async () => {
    await fixture.start({ extraConfig: FULL_ACCESS });
    const toolsFile = path.join(fixture.temp.workspace, 'tools.json');
    fs.writeFileSync(
      toolsFile,
      JSON.stringify([
        { name: 'fine', description: 'ok', inputSchema: { type: 'object', properties: { a: { type: 'string' } } } },
        { name: 'odd_schema', description: 'root is not an object', inputSchema: { type: 'string' } },
        { description: 'no name at all', inputSchema: { type: 'object' } },
      ]),
    );
    fs.appendFileSync(path.join(fixture.temp.home, 'config.toml'), '\n' + stdioServerToml('raw', rawToolsServerCommand(toolsFile)));
    const { client } = await fixture.spawn();
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    const ready = await client.waitFor((m) => m.method === 'mcpServer/startupStatus/updated' && m.params.status !== 'starting', 30_000);
    assert.equal(ready.params.status, 'ready', JSON.stringify(ready.params));
    fixture.model.enqueue(textReply('ok'));
    await runTurn(client, threadId, 'hi');
    const namespace = (fixture.model.lastTurnRequest().body.tools as Array<{ name: string; tools?: Array<{ name: string; parameters: unknown }> }>).find((t) => t.name === 'mcp__raw')!;
    assert.deepEqual(namespace.tools!.map((t) => t.name), ['fine', 'odd_schema']);
    assert.deepEqual(namespace.tools![1]!.parameters, { type: 'object', properties: {} });
  });
});
