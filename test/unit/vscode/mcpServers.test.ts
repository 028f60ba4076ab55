// *Tandem: MCP Servers* against the fake vscode module and a scripted server: the list shows each server's
// status, tool count and error; a server's actions show its tools, restart the servers, write `enabled`
// to config.toml and reload, or open config.toml at the server's table. Startup failures are told once
// per server and failure, with an action that opens the list.
import { strict as assert } from 'node:assert';
import type { McpServerStatus } from '../../../src/protocol';
import { McpStartupNotices } from '../../../src/vscode/mcpStartupNotices';
import { withFakeVscode, type FakeVscode } from '../../support/fakeVscodeModules';

type Command = typeof import('../../../src/vscode/mcpServersCommand');

const tool = (name: string, extra: Record<string, unknown> = {}) => ({ name, inputSchema: { type: 'object' }, ...extra });
function server(name: string, extra: Partial<McpServerStatus> = {}): McpServerStatus {
  return { name, runtimeStatus: 'connected', serverInfo: { name: `${name}-server`, version: '1.2.0' }, tools: {}, toolsError: null, resources: [], resourceTemplates: [], authStatus: 'unsupported', ...extra };
}

const SERVERS = [
  server('notes', { tools: { echo: tool('echo', { description: 'Returns the text.' }), write_note: tool('write_note', { title: 'Write a note', description: 'Saves a note.' }) } }),
  server('broken', { runtimeStatus: 'failed', serverInfo: null, toolsError: 'MCP server broken failed to start: spawn nope ENOENT' }),
  server('off', { runtimeStatus: 'disabled', serverInfo: null }),
];

describe('vscode/mcpServersCommand (fake vscode module)', () => {
  let fake: FakeVscode;
  let command: Command;
  const modules = withFakeVscode();
  before(() => {
    fake = modules.fake();
    command = modules.load<Command>('src/vscode/mcpServersCommand');
  });
  beforeEach(() => {
    for (const list of [fake.quickPicks, fake.pickAnswers, fake.recorded.messages, fake.recorded.executed, fake.shownDocuments, fake.infoAnswers, fake.warnings]) list.length = 0;
    fake.workspace.closedDocuments.clear();
  });

  function host(options: { threadId?: string | null; failWithThread?: boolean; servers?: McpServerStatus[]; pageSize?: number } = {}) {
    const calls: Array<[string, unknown]> = [];
    let restarted = 0;
    const servers = options.servers ?? SERVERS;
    return {
      calls,
      restarted: () => restarted,
      host: {
        home: '/home/me/.tandem',
        activeThreadId: () => options.threadId ?? null,
        startupFailure: (name: string) => (name === 'late' ? 'timed out after 10 s' : undefined),
        restarted: () => void restarted++,
        request: async (method: string, params?: unknown) => {
          calls.push([method, params]);
          if (method === 'mcpServerStatus/list') {
            const p = params as { threadId?: string; cursor?: string };
            if (p.threadId && options.failWithThread) throw new Error(`thread not found: ${p.threadId}`);
            const size = options.pageSize ?? 100;
            const start = Number(p.cursor ?? 0);
            return { data: servers.slice(start, start + size), nextCursor: start + size < servers.length ? String(start + size) : null };
          }
          if (method === 'config/value/write') return { status: 'ok', version: '1', filePath: '/home/me/.tandem/config.toml', overriddenMetadata: null };
          return {};
        },
      },
    };
  }

  it("lists each server with its status, tool count and error, for the chat's thread", async () => {
    const { host: h, calls } = host({ threadId: 'thr-1', pageSize: 2 });
    await command.showMcpServers(h);
    assert.deepEqual(calls, [
      ['mcpServerStatus/list', { detail: 'toolsAndAuthOnly', threadId: 'thr-1' }],
      ['mcpServerStatus/list', { detail: 'toolsAndAuthOnly', threadId: 'thr-1', cursor: '2' }],
    ]);
    const [list] = fake.quickPicks;
    assert.equal(list!.options?.title, 'MCP Servers');
    assert.deepEqual(
      list!.items.map((i) => [i.label, (i as { description?: string }).description, (i as { detail?: string }).detail]),
      [
        ['$(pass) notes', 'running · 2 tools', 'notes-server 1.2.0'],
        ['$(error) broken', 'failed to start · 0 tools', '$(warning) MCP server broken failed to start: spawn nope ENOENT'],
        ['$(circle-slash) off', 'disabled', undefined],
      ],
    );
  });

  it("falls back to the config's servers when the chat's thread is not loaded, and shows a startup failure the list lacks", async () => {
    const { host: h, calls } = host({ threadId: 'gone', failWithThread: true, servers: [server('late', { runtimeStatus: 'failed', serverInfo: null })] });
    await command.showMcpServers(h);
    assert.deepEqual(calls.map(([, p]) => (p as { threadId?: string }).threadId), ['gone', undefined]);
    assert.equal((fake.quickPicks[0]!.items[0] as { detail?: string }).detail, '$(warning) timed out after 10 s');
  });

  it('reads a list without a thread (no runtime status) from what the servers answered', async () => {
    const { host: h } = host({
      threadId: null,
      servers: [server('up', { runtimeStatus: null, tools: { echo: tool('echo') } }), server('down', { runtimeStatus: null, serverInfo: null, toolsError: 'spawn nope ENOENT' }), server('idle', { runtimeStatus: null, serverInfo: null })],
    });
    await command.showMcpServers(h);
    assert.deepEqual(
      fake.quickPicks[0]!.items.map((i) => [i.label, (i as { description?: string }).description]),
      [
        ['$(pass) up', 'running · 1 tool'],
        ['$(error) down', 'failed to start · 0 tools'],
        ['$(circle-outline) idle', 'not started · 0 tools'],
      ],
    );
  });

  it('says how to add a server when none is configured', async () => {
    const { host: h } = host({ servers: [] });
    fake.infoAnswers.push('Open Config');
    await command.showMcpServers(h);
    assert.deepEqual(fake.recorded.messages, ['No MCP servers are configured. Add one as an [mcp_servers.<name>] table in config.toml.']);
    assert.deepEqual(fake.recorded.executed.map((e) => e.command), ['tandem.openConfig']);
  });

  it("shows a server's tools with their titles and descriptions", async () => {
    const { host: h } = host();
    fake.pickAnswers.push('$(pass) notes', '$(tools) Show Tools');
    await command.showMcpServers(h);
    const [, actions, tools] = fake.quickPicks;
    assert.deepEqual(actions!.items.map((i) => i.label), ['$(tools) Show Tools', '$(debug-restart) Restart', '$(circle-slash) Disable', '$(go-to-file) Open Configuration']);
    assert.equal(tools!.options?.title, 'Tools of the MCP server notes');
    assert.deepEqual(
      tools!.items.map((i) => [i.label, (i as { description?: string }).description, (i as { detail?: string }).detail]),
      [
        ['echo', undefined, 'Returns the text.'],
        ['Write a note', 'write_note', 'Saves a note.'],
      ],
    );
  });

  it('restarts the servers, and tells the startup notices a failure may be told again', async () => {
    const { host: h, calls, restarted } = host();
    fake.pickAnswers.push('$(error) broken', '$(debug-restart) Restart');
    await command.showMcpServers(h);
    assert.deepEqual(calls.at(-1), ['config/mcpServer/reload', {}]);
    assert.equal(restarted(), 1);
    assert.ok(fake.recorded.messages.includes('Tandem restarted the MCP servers.'));
  });

  it('disables a running server and enables a disabled one through config.toml, then reloads', async () => {
    const { host: h, calls } = host();
    fake.pickAnswers.push('$(pass) notes', '$(circle-slash) Disable');
    await command.showMcpServers(h);
    assert.deepEqual(calls.slice(1), [
      ['config/value/write', { keyPath: 'mcp_servers.notes.enabled', value: false, mergeStrategy: 'replace' }],
      ['config/mcpServer/reload', {}],
    ]);
    assert.ok(fake.recorded.messages.includes('Tandem disabled the MCP server notes.'));

    const second = host({ servers: [server('my.server', { runtimeStatus: 'disabled' })] });
    fake.pickAnswers.push('$(circle-slash) my.server', '$(play) Enable');
    await command.showMcpServers(second.host);
    assert.deepEqual(fake.quickPicks.at(-1)!.items.map((i) => i.label), ['$(debug-restart) Restart', '$(play) Enable', '$(go-to-file) Open Configuration'], 'a disabled server has no tools to show');
    assert.deepEqual(second.calls[1], ['config/value/write', { keyPath: 'mcp_servers."my.server".enabled', value: true, mergeStrategy: 'replace' }], 'a name with a dot is quoted');
  });

  it("opens config.toml at the server's table", async () => {
    const { host: h } = host();
    const text = 'model = "m"\n\n[mcp_servers.broken]\ncommand = "nope"\n\n[mcp_servers.notes]\ncommand = "node"\n';
    fake.workspace.closedDocuments.set('/home/me/.tandem/config.toml', { uri: { fsPath: '/home/me/.tandem/config.toml' }, getText: () => text });
    fake.pickAnswers.push('$(pass) notes', '$(go-to-file) Open Configuration');
    await command.showMcpServers(h);
    assert.deepEqual(fake.shownDocuments, [{ path: '/home/me/.tandem/config.toml', line: 5 }]);
  });

  it('finds a table by bare, quoted or dotted name', () => {
    assert.equal(command.serverTableLine('[mcp_servers . "a.b" ]\n', 'a.b'), 0);
    assert.equal(command.serverTableLine("x = 1\n[mcp_servers.'docs']\n", 'docs'), 1);
    assert.equal(command.serverTableLine('[mcp_servers.docs2]\nmcp_servers.docs.command = "x"\n', 'docs'), 1);
    assert.equal(command.serverTableLine('[mcp_servers.other]\n', 'docs'), undefined);
  });
});

describe('vscode/mcpStartupNotices', () => {
  const failed = (name: string, error: string | null, threadId = 'thr') => ({ method: 'mcpServer/startupStatus/updated' as const, params: { threadId, name, status: 'failed' as const, error, failureReason: null } });
  const ready = (name: string) => ({ method: 'mcpServer/startupStatus/updated' as const, params: { threadId: 'thr', name, status: 'ready' as const, error: null, failureReason: null } });

  function setup(choice?: string) {
    const warned: Array<[string, string]> = [];
    let shown = 0;
    const notices = new McpStartupNotices({ warn: async (message, action) => (warned.push([message, action]), choice), showServers: () => void shown++ });
    return { notices, warned, shown: () => shown };
  }

  it('tells a failure once, however many threads report it, and again once the server has started since', async () => {
    const { notices, warned } = setup();
    notices.observe(failed('docs', 'spawn docs-mcp ENOENT'));
    notices.observe(failed('docs', 'spawn docs-mcp ENOENT', 'thr-2'));
    notices.observe(failed('docs', 'spawn docs-mcp ENOENT', 'thr-3'));
    assert.deepEqual(warned, [['Tandem: the MCP server docs did not start: spawn docs-mcp ENOENT', 'Show MCP Servers']]);
    assert.equal(notices.failureOf('docs'), 'spawn docs-mcp ENOENT');
    notices.observe(failed('docs', 'a different failure'));
    assert.equal(warned.length, 2, 'a new failure is told');
    notices.observe(ready('docs'));
    assert.equal(notices.failureOf('docs'), undefined);
    notices.observe(failed('docs', 'a different failure'));
    assert.equal(warned.length, 3, 'failing again after a start is told');
    notices.forget();
    notices.observe(failed('docs', 'a different failure'));
    assert.equal(warned.length, 4, 'after a restart the user asked for, a persisting failure is told');
  });

  it('ignores starting and cancelled, cuts a long reason, and opens the list from the action', async () => {
    const { notices, warned, shown } = setup('Show MCP Servers');
    notices.observe({ method: 'mcpServer/startupStatus/updated', params: { threadId: null, name: 'x', status: 'starting', error: null, failureReason: null } });
    notices.observe({ method: 'mcpServer/startupStatus/updated', params: { threadId: null, name: 'x', status: 'cancelled', error: null, failureReason: null } });
    assert.equal(warned.length, 0);
    notices.observe(failed('x', 'e'.repeat(1000)));
    assert.equal(warned[0]![0].length, 'Tandem: the MCP server x did not start: '.length + 300);
    notices.observe(failed('y', null));
    assert.equal(warned[1]![0], 'Tandem: the MCP server y did not start: no reason given');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(shown(), 2);
  });
});
