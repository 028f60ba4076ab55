// The stdio test MCP server bundled once per test run into one plain .cjs file: it answers `initialize` in
// about 0.2 s instead of 0.6-0.9 s through the tsx loader, which adds up when every thread starts a server.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { MCP_STDIO_ENTRY } from './mcpTestServerStdio';

let bundled: Promise<string> | undefined;

/** Like mcpStdioCommand, but runs the bundle (built on first use, removed when the test process exits). */
export async function bundledMcpStdioCommand(args: string[] = []): Promise<{ command: string; args: string[] }> {
  bundled ??= bundle();
  return { command: process.execPath, args: [await bundled, ...args] };
}

async function bundle(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-mcp-server-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const outfile = path.join(dir, 'mcpTestServerStdio.cjs');
  await build({
    entryPoints: [MCP_STDIO_ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Only mcpStdioCommand, which the bundle never calls, resolves tsx.
    external: ['tsx'],
    logLevel: 'warning',
  });
  return outfile;
}
