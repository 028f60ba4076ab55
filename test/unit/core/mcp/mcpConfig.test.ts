import { strict as assert } from 'node:assert';
import { parse as parseToml } from 'smol-toml';
import { effectiveConfig } from '../../../../src/core/config/validate';
import { mcpServersOf, toolAllowed, toolApprovalMode, type McpServerConfig } from '../../../../src/core/mcp/mcpConfig';

/** The servers a config.toml text gives, by name. */
function servers(text: string): Record<string, McpServerConfig> {
  return Object.fromEntries(mcpServersOf(effectiveConfig(parseToml(text) as Record<string, unknown>)).map((s) => [s.name, s]));
}

describe('core/mcp/mcpConfig: the typed view of [mcp_servers]', () => {
  it('lists the servers sorted by name, disabled ones included', () => {
    const all = mcpServersOf(effectiveConfig(parseToml('[mcp_servers.zeta]\ncommand = "z"\n[mcp_servers.Alpha]\nurl = "http://a"\n[mcp_servers.mid]\ncommand = "m"\nenabled = false\n') as Record<string, unknown>));
    assert.deepEqual(
      all.map((s) => [s.name, s.enabled]),
      [
        ['Alpha', true],
        ['mid', false],
        ['zeta', true],
      ],
    );
    assert.deepEqual(mcpServersOf(effectiveConfig({})), []);
  });

  it('offers a tool when enabled_tools (if set) names it and disabled_tools does not', () => {
    const s = servers(
      [
        '[mcp_servers.all]\ncommand = "a"',
        '[mcp_servers.only]\ncommand = "a"\nenabled_tools = ["read", "list"]',
        '[mcp_servers.deny]\ncommand = "a"\ndisabled_tools = ["rm"]',
        '[mcp_servers.both]\ncommand = "a"\nenabled_tools = ["read", "rm"]\ndisabled_tools = ["rm"]',
        '[mcp_servers.none]\ncommand = "a"\nenabled_tools = []',
        '',
      ].join('\n'),
    );
    const offered = (server: string) => ['read', 'list', 'rm', 'other'].filter((tool) => toolAllowed(s[server]!, tool));
    assert.deepEqual(offered('all'), ['read', 'list', 'rm', 'other']);
    assert.deepEqual(offered('only'), ['read', 'list']);
    assert.deepEqual(offered('deny'), ['read', 'list', 'other']);
    assert.deepEqual(offered('both'), ['read'], 'disabled_tools applies after enabled_tools');
    assert.deepEqual(offered('none'), [], 'an empty allow-list offers nothing');
  });

  it("takes a tool's approval mode from its own table, else the server's default, else auto", () => {
    const s = servers(
      [
        '[mcp_servers.plain]\ncommand = "a"\ntools.read.approval_mode = "approve"',
        '[mcp_servers.strict]\ncommand = "a"\ndefault_tools_approval_mode = "prompt"',
        '[mcp_servers.strict.tools.read]\napproval_mode = "approve"',
        '[mcp_servers.strict.tools.write]',
        '[mcp_servers.strict.tools.push]\napproval_mode = "writes"',
        '',
      ].join('\n'),
    );
    assert.equal(toolApprovalMode(s.plain!, 'read'), 'approve');
    assert.equal(toolApprovalMode(s.plain!, 'write'), 'auto');
    assert.equal(toolApprovalMode(s.strict!, 'read'), 'approve');
    assert.equal(toolApprovalMode(s.strict!, 'write'), 'prompt', 'a tool table without approval_mode takes the default');
    assert.equal(toolApprovalMode(s.strict!, 'push'), 'writes');
    assert.equal(toolApprovalMode(s.strict!, 'other'), 'prompt');
    assert.equal(toolApprovalMode(s.plain!, 'constructor'), 'auto', 'a tool name is a key, not a property of every object');
    assert.equal(toolAllowed(s.plain!, 'constructor'), true);
  });

  it('turns seconds into milliseconds and keeps fractions', () => {
    const s = servers('[mcp_servers.a]\ncommand = "a"\nstartup_timeout_sec = 0.25\ntool_timeout_sec = 1.5\n[mcp_servers.b]\ncommand = "b"\nstartup_timeout_ms = 750\n');
    assert.deepEqual([s.a!.startupTimeoutMs, s.a!.toolTimeoutMs], [250, 1500]);
    assert.deepEqual([s.b!.startupTimeoutMs, s.b!.toolTimeoutMs], [750, 300000]);
  });
});
