// [mcp_servers] entries against the pinned codex: `codex mcp list --json` reads the same config.toml, and
// each entry codex refuses Tandem skips (with a problem), each it accepts Tandem reads the same way. Codex
// refuses the whole file over one bad entry where Tandem skips only that server, so each case holds one.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../src/core/config/load';
import { effectiveConfig } from '../../src/core/config/validate';
import { mcpServersOf, type McpServerConfig } from '../../src/core/mcp/mcpConfig';
import { codexBinary } from '../support/codexServer';

const CASES: string[] = [
  'command = "srv"',
  'command = "srv"\nargs = ["a", "b"]\nenv = { A = "1" }\nenv_vars = ["H", { name = "T", source = "remote" }, { name = "L" }]\ncwd = "rel/dir"',
  'command = "srv"\nenabled = false\nrequired = true\nstartup_timeout_sec = 2\ntool_timeout_sec = 1.5',
  'command = "srv"\nstartup_timeout_ms = 2500',
  'command = "srv"\nstartup_timeout_ms = 2500\nstartup_timeout_sec = 4',
  'command = "srv"\nenabled_tools = ["a"]\ndisabled_tools = ["b"]\ndefault_tools_approval_mode = "writes"\ntools.a.approval_mode = "prompt"\nsupports_parallel_tool_calls = true\nscopes = ["s"]',
  'command = "srv"\nname = "legacy"\nexperimental_environment = "local"\nunknown_key = 1',
  'url = "http://127.0.0.1:9/mcp"',
  'url = "http://127.0.0.1:9/mcp"\nbearer_token_env_var = "TOKEN"\nhttp_headers = { X = "y" }\nenv_http_headers = { Z = "ZVAR" }\noauth = { client_id = "c" }\noauth_resource = "r"',
  // Refused by both.
  'command = "srv"\nurl = "http://h"',
  'command = "srv"\nbearer_token_env_var = "T"',
  'command = "srv"\nhttp_headers = {}',
  'command = "srv"\nenv_http_headers = {}',
  'command = "srv"\noauth = { client_id = "c" }',
  'command = "srv"\noauth_resource = "r"',
  'command = "srv"\nbearer_token = "s"',
  'url = "http://h"\nbearer_token = "s"',
  'url = "http://h"\nargs = []',
  'url = "http://h"\nenv = {}',
  'url = "http://h"\nenv_vars = []',
  'url = "http://h"\ncwd = "/"',
  'enabled = true',
  'command = "srv"\nenabled = "yes"',
  'command = "srv"\nenv = { A = 1 }',
  'command = "srv"\nenv_vars = [{ name = "A", source = "elsewhere" }]',
  'command = "srv"\nenv_vars = [{ source = "local" }]',
  'command = "srv"\nstartup_timeout_sec = -1',
  'command = "srv"\nstartup_timeout_ms = 1.5',
  'command = "srv"\ntool_timeout_sec = "5"',
  'command = "srv"\ndefault_tools_approval_mode = "ask"',
  'command = "srv"\ntools.t.approval_mode = "never"',
  'command = "srv"\ntools = { t = 1 }',
  'url = "http://h"\noauth = { client_id = 1 }',
  'command = "srv"\nenabled_tools = [1]',
];

/** What codex lists for the server `s`, or null when it refuses the file. */
function codexReads(dir: string): Record<string, unknown> | null {
  const run = spawnSync(codexBinary(), ['mcp', 'list', '--json'], { env: { ...process.env, CODEX_HOME: dir, RUST_LOG: 'error', NO_COLOR: '1' }, cwd: dir, encoding: 'utf8', timeout: 20000 });
  if (run.status !== 0) return null;
  const listed = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
  return listed.find((entry) => entry.name === 's') ?? null;
}

/** Tandem's server in codex's `mcp list` shape, for the fields both show. */
function asCodexLists(server: McpServerConfig, written: { startupSet: boolean; toolSet: boolean }) {
  const t = server.transport;
  const transport =
    t.type === 'stdio'
      ? { type: 'stdio', command: t.command, args: t.args, env: t.env, env_vars: t.envVars, cwd: t.cwd }
      : { type: 'streamable_http', url: t.url, bearer_token_env_var: t.bearerTokenEnvVar, http_headers: t.httpHeaders, env_http_headers: t.envHttpHeaders };
  return {
    enabled: server.enabled,
    transport,
    startup_timeout_sec: written.startupSet ? server.startupTimeoutMs / 1000 : null,
    tool_timeout_sec: written.toolSet ? server.toolTimeoutMs / 1000 : null,
  };
}

describe('integration: [mcp_servers] read as codex reads it', function () {
  this.timeout(120000);

  it('accepts and refuses the same entries, and reads the accepted ones alike', () => {
    for (const body of CASES) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-mcp-diff-'));
      fs.writeFileSync(path.join(dir, 'config.toml'), `[mcp_servers.s]\n${body}\n`);
      const codex = codexReads(dir);
      const loaded = loadConfig(dir);
      const [tandem] = mcpServersOf(effectiveConfig(loaded.values));
      assert.equal(tandem !== undefined, codex !== null, `${body}\ncodex ${codex ? 'accepts' : 'refuses'} it; Tandem ${tandem ? 'accepts' : 'refuses'} it: ${loaded.problems.map((p) => p.summary).join('; ')}`);
      if (!codex || !tandem) {
        assert.ok(loaded.problems.some((p) => p.summary.includes('(the MCP server "s" was skipped)')), `${body}: Tandem says why it skipped the server`);
        continue;
      }
      // Codex's listing omits the flag-like fields; compare what it shows.
      const { transport, enabled, startup_timeout_sec, tool_timeout_sec } = codex as { transport: Record<string, unknown>; enabled: boolean; startup_timeout_sec: number | null; tool_timeout_sec: number | null };
      const shown = { enabled, transport: { ...transport }, startup_timeout_sec, tool_timeout_sec };
      delete (shown.transport as Record<string, unknown>).http_headers_helper;
      // Codex writes `{ name = "L" }` back as it was written; both mean the variable L, from no named source.
      if (Array.isArray(transport.env_vars)) {
        shown.transport.env_vars = transport.env_vars.map((v: unknown) => (typeof v === 'string' ? { name: v, source: null } : { source: null, ...(v as object) }));
      }
      assert.deepEqual(asCodexLists(tandem, { startupSet: startup_timeout_sec !== null, toolSet: tool_timeout_sec !== null }), shown, body);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
