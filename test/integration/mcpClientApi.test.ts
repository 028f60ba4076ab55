// The MCP methods clients call: mcpServerStatus/list (with and without a thread), mcpServer/tool/call,
// mcpServer/resource/read and config/mcpServer/reload; a streamable HTTP server with a bearer token and
// headers from the environment; the model's resource tools; and a third-party server (server-everything).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { bundledMcpStdioCommand } from '../support/mcpTestServerBundle';
import { startTestMcpHttpServer, type TestMcpHttpServer } from '../support/mcpTestHttpServer';
import { mcpItem, modelOutput, namespacedCall, outputText, stdioServerToml } from '../support/mcpScenario';
import { REPO_ROOT } from '../support/protocolClient';
import { runTurn, startThread } from '../support/session';

const FULL_ACCESS = 'approval_policy = "never"\nsandbox_mode = "danger-full-access"';
const EVERYTHING = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

describe('integration: MCP client methods', function () {
  this.timeout(60_000);
  const fixture = new Fixture();
  let http: TestMcpHttpServer | undefined;
  afterEach(async () => {
    await fixture.close();
    await http?.close();
    http = undefined;
  });

  it('lists each server with its tools, resources and status; calls a tool and reads a resource', async () => {
    await fixture.start({ extraConfig: FULL_ACCESS, tables: stdioServerToml('tests', await bundledMcpStdioCommand()) + stdioServerToml('off', await bundledMcpStdioCommand(), ['enabled = false']) });
    const { client } = await fixture.spawn();
    const listed = await client.request('mcpServerStatus/list', {});
    assert.equal(listed.error, undefined, JSON.stringify(listed.error));
    // Without a thread there is no thread runtime: codex answers runtimeStatus null, and tells no startup statuses.
    assert.deepEqual(listed.result.data.map((s: { name: string; runtimeStatus: string | null }) => [s.name, s.runtimeStatus]), [
      ['off', null],
      ['tests', null],
    ]);
    assert.deepEqual(client.notifications('mcpServer/startupStatus/updated'), [], 'no startup statuses without a thread');
    const tests = listed.result.data[1];
    assert.equal(tests.authStatus, 'unsupported');
    assert.equal(tests.serverInfo.name, 'tandem-test');
    assert.equal(tests.tools.add.name, 'add');
    assert.deepEqual(tests.tools.write_note.annotations.destructiveHint, true);
    assert.ok(tests.resources.some((r: { uri: string }) => r.uri === 'test://notes/readme'));
    assert.ok(tests.resourceTemplates.some((t: { uriTemplate: string }) => t.uriTemplate === 'test://notes/{id}'));
    const brief = await client.request('mcpServerStatus/list', { detail: 'toolsAndAuthOnly', serverName: 'tests' });
    assert.deepEqual([brief.result.data.length, brief.result.data[0].resources], [1, []]);
    const paged = await client.request('mcpServerStatus/list', { limit: 1 });
    assert.deepEqual([paged.result.data.length, paged.result.nextCursor], [1, '1']);
    const unknown = await client.request('mcpServerStatus/list', { serverName: 'nope' });
    assert.match(unknown.error!.message, /no MCP server named nope/);

    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    const called = await client.request('mcpServer/tool/call', { threadId, server: 'tests', tool: 'add', arguments: { a: 20, b: 22 } });
    assert.deepEqual(called.result, { content: [{ type: 'text', text: '42' }], structuredContent: { sum: 42 }, isError: false, _meta: null });
    const missing = await client.request('mcpServer/tool/call', { threadId, server: 'tests', tool: 'missing' });
    assert.match(missing.error!.message, /has no tool missing/);
    const disabled = await client.request('mcpServer/tool/call', { threadId, server: 'off', tool: 'add', arguments: { a: 1, b: 1 } });
    assert.match(disabled.error!.message, /off is disabled/);
    const read = await client.request('mcpServer/resource/read', { threadId, server: 'tests', uri: 'test://notes/7' });
    assert.deepEqual(read.result.contents.map((c: { text: string }) => c.text), ['note 7']);
    const readNoThread = await client.request('mcpServer/resource/read', { server: 'tests', uri: 'test://notes/readme' });
    assert.match(readNoThread.result.contents[0].text, /# Notes/);
  });

  it('reload restarts the servers with the config as it now is', async () => {
    await fixture.start({ extraConfig: FULL_ACCESS, tables: stdioServerToml('tests', await bundledMcpStdioCommand()) });
    const { client } = await fixture.spawn();
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    await client.waitFor((m) => m.method === 'mcpServer/startupStatus/updated' && m.params.status === 'ready');
    fs.appendFileSync(path.join(fixture.temp.home, 'config.toml'), '\n' + stdioServerToml('second', await bundledMcpStdioCommand(['--name', 'second'])));
    const reloaded = await client.request('config/mcpServer/reload', {});
    assert.deepEqual(reloaded.result, {});
    await client.waitFor((m) => m.method === 'mcpServer/startupStatus/updated' && m.params.name === 'second' && m.params.status === 'ready');
    fixture.model.enqueue(textReply('ok'));
    await runTurn(client, threadId, 'hi');
    const namespaces = (fixture.model.lastTurnRequest().body.tools as Array<{ type: string; name: string }>).filter((t) => t.type === 'namespace').map((t) => t.name);
    assert.deepEqual(namespaces.sort(), ['mcp__second', 'mcp__tests']);
  });

  it('talks to a streamable HTTP server with a bearer token and headers from the environment', async () => {
    http = await startTestMcpHttpServer({ bearerToken: 'secret-token', headers: { 'x-team': 'blue' } });
    const table = ['[mcp_servers.remote]', `url = ${JSON.stringify(http.url)}`, 'bearer_token_env_var = "REMOTE_TOKEN"', 'env_http_headers = { "x-team" = "TEAM_NAME" }', 'http_headers = { "x-fixed" = "1" }', ''].join('\n');
    await fixture.start({ extraConfig: FULL_ACCESS, tables: table });
    const { client } = await fixture.spawn({ env: { REMOTE_TOKEN: 'secret-token', TEAM_NAME: 'blue' } });
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    fixture.model.enqueue(namespacedCall('mcp__remote', 'echo', { text: 'over http' }, 'h1'), textReply('done'));
    await runTurn(client, threadId, 'call remote');
    assert.equal(mcpItem(client, 'h1').status, 'completed');
    assert.match(outputText(modelOutput(fixture.model, 'h1')), /over http/);
    const sent = http.requests.find((r) => r.method === 'POST')!.headers;
    assert.deepEqual([sent.authorization, sent['x-team'], sent['x-fixed']], ['Bearer secret-token', 'blue', '1']);
    const status = (await client.request('mcpServerStatus/list', { threadId })).result.data[0];
    assert.deepEqual([status.authStatus, status.httpOrigin], ['bearerToken', new URL(http.url).origin]);
  });

  it('an HTTP server whose token is wrong fails to start, with the reason', async () => {
    http = await startTestMcpHttpServer({ bearerToken: 'right' });
    await fixture.start({ extraConfig: FULL_ACCESS, tables: `[mcp_servers.remote]\nurl = ${JSON.stringify(http.url)}\nbearer_token_env_var = "REMOTE_TOKEN"\n` });
    const { client } = await fixture.spawn({ env: { REMOTE_TOKEN: 'wrong' } });
    await startThread(client, { cwd: fixture.temp.workspace });
    const failed = await client.waitFor((m) => m.method === 'mcpServer/startupStatus/updated' && m.params.status === 'failed');
    assert.match(failed.params.error, /remote/);
  });

  it('the model lists and reads resources through the resource tools', async () => {
    await fixture.start({ extraConfig: FULL_ACCESS, tables: stdioServerToml('tests', await bundledMcpStdioCommand()) });
    const { client } = await fixture.spawn();
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    fixture.model.enqueue(
      toolCallReply('list_mcp_resources', {}, 'r1'),
      toolCallReply('list_mcp_resource_templates', { server: 'tests' }, 'r2'),
      toolCallReply('read_mcp_resource', { server: 'tests', uri: 'test://notes/readme' }, 'r3'),
      toolCallReply('read_mcp_resource', { server: 'ghost', uri: 'x://y' }, 'r4'),
      textReply('done'),
    );
    await runTurn(client, threadId, 'read');
    const listedAll = JSON.parse(modelOutput(fixture.model, 'r1') as string);
    assert.ok(listedAll.resources.some((r: { server: string; uri: string }) => r.server === 'tests' && r.uri === 'test://notes/readme'));
    const templates = JSON.parse(modelOutput(fixture.model, 'r2') as string);
    assert.equal(templates.server, 'tests');
    assert.ok(templates.resourceTemplates.some((t: { uriTemplate: string }) => t.uriTemplate === 'test://notes/{id}'));
    const read = JSON.parse(modelOutput(fixture.model, 'r3') as string);
    assert.match(read.contents[0].text, /# Notes/);
    assert.match(modelOutput(fixture.model, 'r4') as string, /no MCP server named ghost/);
  });

  it('runs a third-party server (server-everything)', async () => {
    await fixture.start({ extraConfig: FULL_ACCESS, tables: stdioServerToml('everything', { command: process.execPath, args: [EVERYTHING, 'stdio'] }) });
    const { client } = await fixture.spawn();
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    const status = (await client.request('mcpServerStatus/list', { threadId })).result.data[0];
    assert.equal(status.runtimeStatus, 'connected');
    assert.ok('get-sum' in status.tools);
    fixture.model.enqueue(namespacedCall('mcp__everything', 'get_sum', { a: 2, b: 3 }, 'g1'), textReply('done'));
    await runTurn(client, threadId, 'sum');
    assert.equal(mcpItem(client, 'g1').tool, 'get-sum', 'the item names the tool as the server does');
    assert.match(outputText(modelOutput(fixture.model, 'g1')), /The sum of 2 and 3 is 5/);
  });
});
