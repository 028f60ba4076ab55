// When an MCP tool call asks first, as codex asks: by the tool's annotations (destructive or open-world
// asks, read-only does not, a tool that says nothing does not), by the server's and the tool's
// `approval_mode`, never under full access, refused under `never`. The question is an
// `mcpServer/elicitation/request` form; "for this session" is remembered per tool. A server's own
// questions (elicitation) reach the client the same way.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { bundledMcpStdioCommand } from '../support/mcpTestServerBundle';
import { mcpItem, modelOutput, namespacedCall, outputText, stdioServerToml } from '../support/mcpScenario';
import type { WireMessage } from '../support/protocolClient';
import { runTurn, startThread } from '../support/session';

const ASK = 'approval_policy = "on-request"\nsandbox_mode = "workspace-write"';

describe('integration: MCP approvals and elicitation', function () {
  this.timeout(60_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  async function boot(serverExtra: string[] = [], policy = ASK) {
    await fixture.start({ extraConfig: policy });
    const notes = path.join(fixture.temp.workspace, 'notes.txt');
    const command = await bundledMcpStdioCommand();
    fs.appendFileSync(path.join(fixture.temp.home, 'config.toml'), '\n' + stdioServerToml('tests', command, [`env = { TANDEM_MCP_NOTES = ${JSON.stringify(notes)} }`, ...serverExtra]));
    const { client } = await fixture.spawn();
    const threadId = await startThread(client, { cwd: fixture.temp.workspace });
    return { client, threadId, notes };
  }

  it('asks before a destructive tool; decline, accept and accept for the session', async () => {
    const { client, threadId, notes } = await boot();
    fixture.model.enqueue(
      namespacedCall('mcp__tests', 'write_note', { text: 'first' }, 'w1'),
      namespacedCall('mcp__tests', 'write_note', { text: 'second' }, 'w2'),
      namespacedCall('mcp__tests', 'write_note', { text: 'third' }, 'w3'),
      namespacedCall('mcp__tests', 'write_note', { text: 'fourth' }, 'w4'),
      textReply('done'),
    );
    const answers = [{ action: 'decline' }, { action: 'accept', content: null, _meta: null }, { action: 'accept', content: null, _meta: { persist: 'session' } }];
    const asked: WireMessage[] = [];
    const answering = (async () => {
      for (const answer of answers) asked.push(await client.answerNext('mcpServer/elicitation/request', answer));
    })();
    const done = await runTurn(client, threadId, 'write notes');
    await answering;
    assert.equal(done.params.turn.status, 'completed');
    const first = asked[0]!.params;
    assert.equal(first.threadId, threadId);
    assert.equal(first.turnId, done.params.turn.id);
    assert.equal(first.serverName, 'tests');
    assert.equal(first.mode, 'form');
    assert.equal(first.message, 'Allow the tests MCP server to run tool "write_note"?');
    assert.deepEqual(first.requestedSchema, { type: 'object', properties: {} });
    assert.equal(first._meta.codex_approval_kind, 'mcp_tool_call');
    assert.deepEqual(first._meta.persist, ['session', 'always']);
    assert.equal(first._meta.tool_name, 'write_note');
    assert.deepEqual(first._meta.tool_params, { text: 'first' });
    assert.deepEqual(first._meta.tool_params_display, [{ name: 'text', value: 'first', display_name: 'text' }]);
    assert.equal(first._meta.tool_annotations.destructiveHint, true);

    const declined = mcpItem(client, 'w1');
    assert.equal(declined.status, 'failed');
    assert.deepEqual(declined.error, { message: 'user rejected MCP tool call' });
    assert.match(outputText(modelOutput(fixture.model, 'w1')), /user rejected MCP tool call/);
    assert.equal(mcpItem(client, 'w2').status, 'completed');
    assert.equal(mcpItem(client, 'w4').status, 'completed');
    assert.equal(asked.length, 3, 'the fourth call was allowed for the session');
    assert.equal(client.received.filter((m) => m.method === 'mcpServer/elicitation/request').length, 3);
    assert.deepEqual(fs.readFileSync(notes, 'utf8').split('\n').filter(Boolean), ['second', 'third', 'fourth']);
  });

  it('asks as the annotations and approval_mode say', async () => {
    const { client, threadId } = await boot(['[mcp_servers.tests.tools.echo]', 'approval_mode = "prompt"', '[mcp_servers.tests.tools.write_note]', 'approval_mode = "approve"']);
    fixture.model.enqueue(
      namespacedCall('mcp__tests', 'touch', {}, 'a1'), // no annotations: asks, as codex 0.169 does
      namespacedCall('mcp__tests', 'add', { a: 1, b: 1 }, 'a2'), // read-only: runs
      namespacedCall('mcp__tests', 'fetch_page', { url: 'https://example.com' }, 'a3'), // open world: asks
      namespacedCall('mcp__tests', 'echo', { text: 'x' }, 'a4'), // read-only, but prompt: asks
      namespacedCall('mcp__tests', 'write_note', { text: 'y' }, 'a5'), // destructive, but approve: runs
      textReply('done'),
    );
    const asked: string[] = [];
    const answering = (async () => {
      for (let i = 0; i < 3; i++) asked.push((await client.answerNext('mcpServer/elicitation/request', { action: 'accept' })).params._meta.tool_name);
    })();
    await runTurn(client, threadId, 'go');
    await answering;
    assert.deepEqual(asked, ['touch', 'fetch_page', 'echo']);
    const prompted = client.received.find((m) => m.method === 'mcpServer/elicitation/request' && m.params._meta.tool_name === 'echo')!;
    assert.equal(prompted.params._meta.persist, undefined, 'prompt mode offers no "for this session"');
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) assert.equal(mcpItem(client, id).status, 'completed', id);
  });

  it('under never, a call that needs approval is refused without asking; full access asks nothing', async () => {
    const { client, threadId } = await boot([], 'approval_policy = "never"\nsandbox_mode = "workspace-write"');
    fixture.model.enqueue(namespacedCall('mcp__tests', 'write_note', { text: 'no' }, 'n1'), textReply('done'));
    await runTurn(client, threadId, 'go');
    assert.deepEqual(mcpItem(client, 'n1').error, { message: 'MCP tool call requires approval, but approval policy is never' });
    assert.equal(client.received.filter((m) => m.method === 'mcpServer/elicitation/request').length, 0);

    await fixture.close();
    const full = await boot([], 'approval_policy = "never"\nsandbox_mode = "danger-full-access"');
    fixture.model.enqueue(namespacedCall('mcp__tests', 'write_note', { text: 'yes' }, 'n2'), textReply('done'));
    await runTurn(full.client, full.threadId, 'go');
    assert.equal(mcpItem(full.client, 'n2').status, 'completed');
    assert.equal(fs.readFileSync(full.notes, 'utf8').trim(), 'yes');
  });

  it("passes a server's own question to the client and its answer back", async () => {
    // The tool says nothing about itself, so it would ask first: approved in the config here.
    const { client, threadId } = await boot(['[mcp_servers.tests.tools.ask_name]', 'approval_mode = "approve"']);
    fixture.model.enqueue(namespacedCall('mcp__tests', 'ask_name', {}, 'e1'), namespacedCall('mcp__tests', 'ask_name', {}, 'e2'), textReply('done'));
    const answering = (async () => [
      await client.answerNext('mcpServer/elicitation/request', { action: 'accept', content: { name: 'Ada' }, _meta: null }),
      await client.answerNext('mcpServer/elicitation/request', { action: 'decline', content: null, _meta: null }),
    ])();
    const done = await runTurn(client, threadId, 'ask me');
    const [question] = await answering;
    assert.equal(question!.params.mode, 'form');
    assert.equal(question!.params.serverName, 'tests');
    assert.equal(question!.params.turnId, done.params.turn.id);
    assert.equal(question!.params._meta, null);
    assert.deepEqual(question!.params.requestedSchema.required, ['name']);
    assert.match(outputText(modelOutput(fixture.model, 'e1')), /hello Ada/);
    assert.match(outputText(modelOutput(fixture.model, 'e2')), /declined/);
  });
});
