import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../../../src/core/config/load';
import { editProblem, effectiveConfig } from '../../../../src/core/config/validate';
import { mcpServersOf } from '../../../../src/core/mcp/mcpConfig';

// `[mcp_servers.<name>]` as codex 0.169 reads it: each bad entry is reported at its file:line:col and skips
// that server only; the other servers and the rest of the file still apply.

const home = (files: Record<string, string>) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-mcp-config-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
};

/** Loads a config.toml; the servers that survive, by name, and the problems. */
function load(text: string, overrides: string[] = []) {
  const dir = home({ 'config.toml': text });
  const loaded = loadConfig(dir, overrides);
  const servers = mcpServersOf(effectiveConfig(loaded.values));
  return { dir, file: path.join(dir, 'config.toml'), loaded, names: servers.map((s) => s.name), problems: loaded.problems };
}

/** One server's table plus a good one, checked for the one problem the bad one must give. */
function expectSkipped(body: string, summary: string, range: { line: number; column: number; endColumn: number }) {
  const { names, problems, file } = load(`model = "m"\n[mcp_servers.bad]\n${body}\n[mcp_servers.good]\ncommand = "ok"\n`);
  assert.deepEqual(names, ['good'], `${body}: only the bad server is skipped`);
  assert.deepEqual(
    problems.map((p) => p.summary),
    [summary],
    body,
  );
  const [problem] = problems;
  assert.deepEqual(problem!.range, { start: { line: range.line, column: range.column }, end: { line: range.line, column: range.endColumn } }, body);
  assert.equal(problem!.path, file);
  assert.equal(problem!.details!.split('\n')[0], `${file}:${range.line}:${range.column}: ${summary}`);
}

describe('core/config: [mcp_servers] as codex reads it', () => {
  it('reads every key of a stdio and a streamable HTTP server without a word', () => {
    const { problems, names, loaded } = load(
      [
        'model = "m"',
        '[mcp_servers.files]',
        'command = "npx"',
        'args = ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]',
        'env = { LOG = "debug" }',
        'env_vars = ["HOME", { name = "TOKEN", source = "local" }, { name = "REMOTE", source = "remote" }, { name = "PLAIN" }]',
        'cwd = "/srv"',
        'enabled = false',
        'required = true',
        'startup_timeout_sec = 2.5',
        'tool_timeout_sec = 90',
        'enabled_tools = ["read", "write", "list"]',
        'disabled_tools = ["write"]',
        'default_tools_approval_mode = "prompt"',
        'supports_parallel_tool_calls = true',
        'name = "Files (legacy display name)"',
        'experimental_environment = "local"',
        '[mcp_servers.files.tools.read]',
        'approval_mode = "approve"',
        '[mcp_servers.files.tools.list]',
        '[mcp_servers.web]',
        'url = "https://mcp.example.com/mcp"',
        'bearer_token_env_var = "WEB_TOKEN"',
        'http_headers = { "X-Team" = "core" }',
        'env_http_headers = { "X-Key" = "WEB_KEY" }',
        'scopes = ["read", "write"]',
        'oauth = { client_id = "tandem" }',
        'oauth_resource = "https://mcp.example.com"',
        'default_tools_approval_mode = "writes"',
        'tools.search.approval_mode = "auto"',
        '',
      ].join('\n'),
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(names, ['files', 'web']);
    const [files, web] = mcpServersOf(effectiveConfig(loaded.values));
    assert.deepEqual(files, {
      name: 'files',
      transport: {
        type: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'],
        env: { LOG: 'debug' },
        envVars: [
          { name: 'HOME', source: null },
          { name: 'TOKEN', source: 'local' },
          { name: 'REMOTE', source: 'remote' },
          { name: 'PLAIN', source: null },
        ],
        cwd: '/srv',
      },
      enabled: false,
      required: true,
      startupTimeoutMs: 2500,
      toolTimeoutMs: 90000,
      enabledTools: ['read', 'write', 'list'],
      disabledTools: ['write'],
      defaultToolsApprovalMode: 'prompt',
      tools: { read: { approvalMode: 'approve' }, list: { approvalMode: null } },
      supportsParallelToolCalls: true,
      scopes: null,
      oauth: null,
    });
    assert.deepEqual(web, {
      name: 'web',
      transport: { type: 'streamableHttp', url: 'https://mcp.example.com/mcp', bearerTokenEnvVar: 'WEB_TOKEN', httpHeaders: { 'X-Team': 'core' }, envHttpHeaders: { 'X-Key': 'WEB_KEY' } },
      enabled: true,
      required: false,
      startupTimeoutMs: 30000,
      toolTimeoutMs: 300000,
      enabledTools: null,
      disabledTools: null,
      defaultToolsApprovalMode: 'writes',
      tools: { search: { approvalMode: 'auto' } },
      supportsParallelToolCalls: false,
      scopes: ['read', 'write'],
      oauth: { clientId: 'tandem', resource: 'https://mcp.example.com' },
    });
  });

  it("fills codex's defaults: enabled, not required, 30 s to start, 300 s per call, every tool, no approval settings", () => {
    const { loaded, problems } = load('[mcp_servers.s]\ncommand = "srv"\n[mcp_servers.h]\nurl = "http://127.0.0.1:9/mcp"\n[mcp_servers.o]\nurl = "http://127.0.0.1:9/mcp"\noauth_resource = "r"\n');
    assert.deepEqual(problems, []);
    const [h, o, s] = mcpServersOf(effectiveConfig(loaded.values));
    const shared = { enabled: true, required: false, startupTimeoutMs: 30000, toolTimeoutMs: 300000, enabledTools: null, disabledTools: null, defaultToolsApprovalMode: null, tools: {}, supportsParallelToolCalls: false, scopes: null };
    assert.deepEqual(s, { name: 's', transport: { type: 'stdio', command: 'srv', args: [], env: null, envVars: [], cwd: null }, ...shared, oauth: null });
    assert.deepEqual(h, { name: 'h', transport: { type: 'streamableHttp', url: 'http://127.0.0.1:9/mcp', bearerTokenEnvVar: null, httpHeaders: null, envHttpHeaders: null }, ...shared, oauth: null });
    assert.deepEqual(o!.oauth, { clientId: null, resource: 'r' }, 'oauth_resource alone is an OAuth setting too');
    const config = effectiveConfig(loaded.values);
    assert.equal(config.mcp_servers!.s!.enabled, true, 'config/read shows the schema defaults');
    assert.equal(config.mcp_servers!.s!.args, undefined, 'args is stdio-only: no default written where it would be refused');
  });

  it('reads the legacy startup_timeout_ms only when startup_timeout_sec is not set', () => {
    const { loaded, problems } = load('[mcp_servers.ms]\ncommand = "a"\nstartup_timeout_ms = 1500\n[mcp_servers.both]\ncommand = "a"\nstartup_timeout_ms = 1500\nstartup_timeout_sec = 3\n[mcp_servers.zero]\ncommand = "a"\nstartup_timeout_sec = 0\n');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      mcpServersOf(effectiveConfig(loaded.values)).map((s) => [s.name, s.startupTimeoutMs]),
      [
        ['both', 3000],
        ['ms', 1500],
        ['zero', 0],
      ],
    );
  });

  it('refuses keys of the other transport, naming the key at its place', () => {
    const stdio = (line: string, key: string, column: number, endColumn: number) =>
      expectSkipped(`command = "srv"\n${line}`, `mcp_servers.bad.${key} is for a streamable HTTP server, but this one is started with command (stdio) (the MCP server "bad" was skipped)`, { line: 4, column, endColumn });
    stdio('url = "http://h/mcp"', 'url', 7, 21);
    stdio('bearer_token_env_var = "T"', 'bearer_token_env_var', 24, 27);
    stdio('http_headers = { A = "b" }', 'http_headers', 16, 27);
    stdio('env_http_headers = { A = "B" }', 'env_http_headers', 20, 31);
    stdio('oauth = { client_id = "c" }', 'oauth', 9, 28);
    stdio('oauth_resource = "r"', 'oauth_resource', 18, 21);
    const http = (line: string, key: string, column: number, endColumn: number) =>
      expectSkipped(`url = "http://h/mcp"\n${line}`, `mcp_servers.bad.${key} is for a stdio server, but this one is reached at url (streamable HTTP) (the MCP server "bad" was skipped)`, { line: 4, column, endColumn });
    http('args = []', 'args', 8, 10);
    http('env = { A = "b" }', 'env', 7, 18);
    http('env_vars = ["A"]', 'env_vars', 12, 17);
    http('cwd = "/"', 'cwd', 7, 10);
  });

  it('refuses a server with neither command nor url, pointing at its table', () => {
    expectSkipped('enabled = true', 'mcp_servers.bad needs command (a program to start) or url (the address of a streamable HTTP server) (the MCP server "bad" was skipped)', { line: 2, column: 1, endColumn: 18 });
  });

  it('refuses an inline bearer_token, on either transport, without repeating the secret', () => {
    const summary =
      'mcp_servers.bad.bearer_token is not read, so that no secret sits in config.toml: put the token in an environment variable and name it with bearer_token_env_var (the MCP server "bad" was skipped)';
    expectSkipped('url = "http://h/mcp"\nbearer_token = "s3cret"', summary, { line: 4, column: 16, endColumn: 24 });
    expectSkipped('command = "srv"\nbearer_token = "s3cret"', summary, { line: 4, column: 16, endColumn: 24 });
    const { problems, file } = load('[mcp_servers.bad]\nurl = "http://h/mcp"\nbearer_token = "s3cret"\n');
    assert.equal(problems[0]!.details, `${file}:3:16: ${summary}`, 'the line holding the secret is not shown');
    assert.doesNotMatch(JSON.stringify(problems), /s3cret/);
  });

  it("refuses a name codex would not start, and accepts the ones it does (letters, digits, _ - : @ / .)", () => {
    const { names, problems } = load('[mcp_servers."a b"]\ncommand = "x"\n[mcp_servers."team@org/docs:v1.2_x-y"]\ncommand = "x"\n');
    assert.deepEqual(names, ['team@org/docs:v1.2_x-y']);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.summary, 'mcp_servers."a b": an MCP server name may use only letters, digits and _ - : @ / . (the MCP server "a b" was skipped)');
    assert.deepEqual(problems[0]!.range, { start: { line: 1, column: 1 }, end: { line: 1, column: 20 } });
  });

  it('skips the whole server over a bad value anywhere in it, never just the value', () => {
    const suffix = ' (the MCP server "bad" was skipped)';
    expectSkipped('command = "srv"\nenabled = "no"', `mcp_servers.bad.enabled must be true or false; got "no"${suffix}`, { line: 4, column: 11, endColumn: 15 });
    expectSkipped('command = "srv"\ndisabled_tools = "rm"', `mcp_servers.bad.disabled_tools must be an array of strings; got "rm"${suffix}`, { line: 4, column: 18, endColumn: 22 });
    expectSkipped('command = "srv"\nenv = { A = 1 }', `mcp_servers.bad.env must be a table of strings; got a table${suffix}`, { line: 4, column: 7, endColumn: 16 });
    expectSkipped('command = "srv"\nargs = "x"', `mcp_servers.bad.args must be an array of strings; got "x"${suffix}`, { line: 4, column: 8, endColumn: 11 });
    expectSkipped('command = 1', `mcp_servers.bad.command must be a string; got 1${suffix}`, { line: 3, column: 11, endColumn: 12 });
    expectSkipped('command = "srv"\nstartup_timeout_sec = -1', `mcp_servers.bad.startup_timeout_sec must be a number of seconds, 0 or more; got -1${suffix}`, { line: 4, column: 23, endColumn: 25 });
    expectSkipped('command = "srv"\ntool_timeout_sec = nan', `mcp_servers.bad.tool_timeout_sec must be a number of seconds, 0 or more; got NaN${suffix}`, { line: 4, column: 20, endColumn: 23 });
    expectSkipped('command = "srv"\ntool_timeout_sec = inf', `mcp_servers.bad.tool_timeout_sec must be a number of seconds, 0 or more; got Infinity${suffix}`, { line: 4, column: 20, endColumn: 23 });
    expectSkipped('command = "srv"\nstartup_timeout_ms = 1.5', `mcp_servers.bad.startup_timeout_ms must be a whole number of milliseconds, 0 or more; got 1.5${suffix}`, { line: 4, column: 22, endColumn: 25 });
    expectSkipped(
      'command = "srv"\nenv_vars = [{ name = "A", source = "elsewhere" }]',
      `mcp_servers.bad.env_vars must be an array of variable names or of { name = "…", source = "local" or "remote" } tables; got [{"name":"A","source":"elsewhere"}]${suffix}`,
      { line: 4, column: 12, endColumn: 50 },
    );
    expectSkipped(
      'command = "srv"\nenv_vars = [{ source = "local" }]',
      `mcp_servers.bad.env_vars must be an array of variable names or of { name = "…", source = "local" or "remote" } tables; got [{"source":"local"}]${suffix}`,
      { line: 4, column: 12, endColumn: 34 },
    );
    expectSkipped('command = "srv"\ndefault_tools_approval_mode = "ask"', `mcp_servers.bad.default_tools_approval_mode must be one of auto, prompt, writes, approve; got "ask"${suffix}`, { line: 4, column: 31, endColumn: 36 });
    // Inside nested tables: a tool's settings, and an inline oauth table pointed at as a whole.
    expectSkipped('command = "srv"\ntools.rm.approval_mode = "never"', `mcp_servers.bad.tools.rm.approval_mode must be one of auto, prompt, writes, approve; got "never"${suffix}`, { line: 4, column: 26, endColumn: 33 });
    expectSkipped('url = "http://h"\noauth = { client_id = 7 }', `mcp_servers.bad.oauth.client_id must be a string; got 7${suffix}`, { line: 4, column: 9, endColumn: 26 });
    expectSkipped('url = "http://h"\ntools = { rm = 1 }', `mcp_servers.bad.tools.rm must be a table; got 1${suffix}`, { line: 4, column: 9, endColumn: 19 });
  });

  it('keeps the good servers and the rest of the file when one is bad', () => {
    const { loaded, names } = load('model = "kept"\n[mcp_servers.a]\ncommand = "a"\n[mcp_servers.b]\nenabled = "x"\ncommand = "b"\n[mcp_servers.c]\nurl = "http://c"\n[sandbox_workspace_write]\nnetwork_access = true\n');
    assert.deepEqual(names, ['a', 'c']);
    assert.equal(loaded.values.model, 'kept');
    assert.deepEqual(loaded.values.sandbox_workspace_write, { network_access: true });
    assert.equal(loaded.origins['mcp_servers.b.command'], undefined, 'a skipped server leaves no origins');
    assert.equal(loaded.origins['mcp_servers.a.command']!.name.type, 'user');
  });

  it('keeps a server with a key it does not know, and says the key was ignored (codex ignores it too)', () => {
    const { names, problems, file } = load(
      '[mcp_servers.a]\nurl = "http://a"\nenabled_tool = ["x"]\nauth = "oauth"\n[mcp_servers.a.tools.t]\napproval_mode = "prompt"\noutput_token_limit = 5\ncolour = "red"\n[mcp_servers.a.oauth]\nclient_secret = "hush"\n',
    );
    assert.deepEqual(names, ['a']);
    assert.deepEqual(
      problems.map((p) => [p.summary, p.range?.start.line, p.range?.start.column]),
      [
        ['mcp_servers.a.tools.t.output_token_limit is a codex setting Tandem does not support yet; it was ignored', 7, 22],
        ['mcp_servers.a.tools.t.colour is not a setting Tandem knows; it was ignored', 8, 10],
        ['mcp_servers.a.oauth.client_secret is a codex setting Tandem does not support yet; it was ignored', 10, 17],
        ['mcp_servers.a.enabled_tool is not a setting Tandem knows; it was ignored', 3, 16],
        ['mcp_servers.a.auth is a codex setting Tandem does not support yet; it was ignored', 4, 8],
      ],
    );
    assert.ok(problems.every((p) => p.path === file));
    assert.doesNotMatch(JSON.stringify(problems), /hush/, 'a secret is not shown, even in the line it sits on');
    assert.equal(mcpServersOf(effectiveConfig(load('[mcp_servers.a]\nurl = "http://a"\n[mcp_servers.a.tools.t]\napproval_mode = "prompt"\n').loaded.values))[0]!.tools.t!.approvalMode, 'prompt');
  });

  it('no longer lists mcp_servers among the keys Tandem does not use', () => {
    const { problems } = load('unused_key = 1\n[mcp_servers.a]\ncommand = "a"\n');
    assert.deepEqual(
      problems.map((p) => p.summary),
      ['config.toml has keys Tandem does not use (kept as they are): unused_key'],
    );
    assert.deepEqual(load('mcp_servers = 1\n').problems.map((p) => p.summary), ['mcp_servers must be a table; got 1']);
  });

  it('checks transports on the merged layers: a project may turn a server off, and a bad fragment anywhere skips it', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-mcp-project-'));
    fs.mkdirSync(path.join(work, '.codex'));
    fs.writeFileSync(path.join(work, '.codex', 'config.toml'), '[mcp_servers.a]\nenabled = false\n[mcp_servers.b]\nrequired = "yes"\n');
    const dir = home({
      'config.toml': `[projects.${JSON.stringify(work)}]\ntrust_level = "trusted"\n[mcp_servers.a]\ncommand = "a"\n[mcp_servers.b]\ncommand = "b"\n[mcp_servers.c]\ncommand = "c"\n`,
      'managed_config.toml': '[mcp_servers.c]\nurl = "http://c"\n',
    });
    const loaded = loadConfig(dir, [], work);
    const servers = mcpServersOf(effectiveConfig(loaded.values));
    assert.deepEqual(
      servers.map((s) => [s.name, s.enabled]),
      [['a', false]],
      'a project fragment without a transport is fine once merged; b has a bad value in the project; c gets a url from the admin file',
    );
    assert.deepEqual(
      loaded.problems.map((p) => [p.summary, p.path, p.range?.start.line]),
      [
        ['mcp_servers.b.required must be true or false; got "yes" (the MCP server "b" was skipped)', path.join(work, '.codex', 'config.toml'), 4],
        ['mcp_servers.c.url is for a streamable HTTP server, but this one is started with command (stdio) (the MCP server "c" was skipped)', path.join(dir, 'managed_config.toml'), 2],
      ],
    );
  });

  it('checks -c flags the same way, reporting them as flags', () => {
    const { names, problems } = load('[mcp_servers.a]\ncommand = "a"\n[mcp_servers.b]\ncommand = "b"\n', ['mcp_servers.a.url="http://x"', 'mcp_servers.b.enabled="no"', 'mcp_servers.c.url="http://c"']);
    assert.deepEqual(names, ['c']);
    assert.deepEqual(
      problems.map((p) => [p.summary, p.range]),
      [
        ['-c mcp_servers.b.enabled must be true or false; got "no" (the MCP server "b" was skipped)', null],
        ['-c mcp_servers.a.url is for a streamable HTTP server, but this one is started with command (stdio) (the MCP server "a" was skipped)', null],
      ],
    );
  });

  it('reads MCP servers at the top level only, and says so of a profile that sets them', () => {
    const { names, problems } = load('profile = "p"\n[profiles.p]\nmodel = "pm"\n[profiles.p.mcp_servers.x]\ncommand = "x"\n');
    assert.deepEqual(names, []);
    assert.deepEqual(
      problems.map((p) => p.summary),
      ['profiles.p.mcp_servers is not read: MCP servers are set at the top level, as [mcp_servers.<name>]'],
    );
  });

  it('refuses a bad written value plainly, and lets a good one through beside a bad key', () => {
    assert.equal(editProblem('[mcp_servers.a]\ncommand = "a"\nenabled = "off"\n', ['mcp_servers.a.enabled']), 'mcp_servers.a.enabled must be true or false; got "off"');
    assert.equal(editProblem('[mcp_servers.a]\nargs = "x"\nenabled = false\n', ['mcp_servers.a.enabled']), undefined, 'turning a server off is not blocked by its other keys, nor by a transport set in another file');
  });

  it('drops servers that break a rule from a config read without the loader too', () => {
    const config = effectiveConfig({ mcp_servers: { ok: { url: 'http://ok' }, both: { command: 'x', url: 'http://x' }, none: {}, typed: { command: 1 } } });
    assert.deepEqual(Object.keys(config.mcp_servers!), ['ok']);
    assert.deepEqual(
      mcpServersOf(config).map((s) => s.name),
      ['ok'],
    );
  });
});
