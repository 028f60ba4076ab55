// Servers the user defined for VS Code itself reach Tandem's threads beside config.toml's: the extension
// reads mcp.json into server configs (the same conversion runs here) and hands them to the server. A
// config.toml server of the same name wins; the others start, are listed and are called like any server.
import { strict as assert } from 'node:assert';
import type { McpServerConfig } from '../../src/core/mcp/mcpConfig';
import { parseMcpJson, serverOutcome } from '../../src/vscode/vsCodeMcpJson';
import { textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { namespacedCall, outputText, modelOutput, stdioServerToml } from '../support/mcpScenario';
import { bundledMcpStdioCommand } from '../support/mcpTestServerBundle';

const FULL_ACCESS = 'approval_policy = "never"\nsandbox_mode = "danger-full-access"';

describe('integration: MCP servers from VS Code’s own config', function () {
  this.timeout(60_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it('runs mcp.json servers beside config.toml’s, which wins a name clash', async () => {
    const command = await bundledMcpStdioCommand();
    await fixture.start({ extraConfig: FULL_ACCESS, tables: stdioServerToml('tests', { command: command.command, args: [...command.args, '--name', 'from-config'] }) });
    const mcpJson = JSON.stringify({
      servers: {
        'vscode notes': { type: 'stdio', command: command.command, args: [...command.args, '--name', '${input:label}'] },
        tests: { type: 'stdio', command: command.command, args: [...command.args, '--name', 'clash-from-vscode'] },
      },
      inputs: [{ type: 'promptString', id: 'label', description: 'Label' }],
    });
    const document = parseMcpJson(mcpJson, 'mcp.json');
    const outcomes = document.servers.map(({ name, raw }) =>
      serverOutcome(name, raw, { workspaceFolder: fixture.temp.workspace, userHome: fixture.temp.home, env: {}, inputs: new Map([['label', 'from-vscode']]), readFile: () => '' }),
    );
    const extra = outcomes.flatMap((o): McpServerConfig[] => (o.kind === 'ready' ? [o.config] : []));
    assert.equal(extra.length, 2);

    const server = fixture.inProcessServer({ extraMcpServers: () => extra });
    const session = await fixture.inProcess({ server });
    const { client } = session;
    const { thread } = (await client.request('thread/start', { cwd: fixture.temp.workspace, model: 'gpt-5.4' })) as { thread: { id: string } };
    const threadId = thread.id;
    for (const name of ['tests', 'vscode_notes']) {
      await session.waitFor((m) => m.method === 'mcpServer/startupStatus/updated' && m.params.threadId === threadId && m.params.name === name && m.params.status === 'ready');
    }
    const list = (await client.request('mcpServerStatus/list', { threadId })) as { data: Array<{ name: string; serverInfo: { name: string } | null }> };
    assert.deepEqual(
      list.data.map((s) => [s.name, s.serverInfo?.name]),
      [
        ['tests', 'from-config'],
        ['vscode_notes', 'from-vscode'],
      ],
    );

    fixture.model.enqueue(namespacedCall('mcp__vscode_notes', 'echo', { text: 'hello from mcp.json' }, 'c1'), textReply('done'));
    const { turn } = (await client.request('turn/start', { threadId, input: [{ type: 'text', text: 'echo it' }] })) as { turn: { id: string } };
    await session.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === turn.id);
    const namespaces = (fixture.model.turnRequests.at(-2)!.body.tools as Array<{ type: string; name?: string }>).filter((t) => t.type === 'namespace').map((t) => t.name);
    assert.deepEqual(namespaces, ['mcp__tests', 'mcp__vscode_notes']);
    const item = session.received.find((m) => m.method === 'item/completed' && m.params.item.id === 'c1')!.params.item;
    assert.deepEqual([item.type, item.server, item.tool, item.status], ['mcpToolCall', 'vscode_notes', 'echo', 'completed']);
    assert.match(outputText(modelOutput(fixture.model, 'c1')), /\nhello from mcp.json$/);
  });
});
