// The test MCP server over stdio, as a child process: `node --import tsx test/support/mcpTestServerStdio.ts`
// (or its bundle, see mcpTestServerBundle.ts).
// Flags: --name X, --fail-start (exit 1 before initialize), --slow-start MS (wait before serving),
// --stderr TEXT (write TEXT to stderr at start).
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createTestMcpServer } from './mcpTestServer';

export const MCP_STDIO_ENTRY = path.join(path.resolve(__dirname, '..', '..'), 'test', 'support', 'mcpTestServerStdio.ts');

/**
 * How to spawn this server (an MCP stdio config's `command` and `args`). The tsx loader is named by absolute
 * URL because `--import` resolves bare names from the child's cwd, which a config's `cwd` may move elsewhere.
 */
export function mcpStdioCommand(args: string[] = []): { command: string; args: string[] } {
  const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
  return { command: process.execPath, args: ['--import', tsxLoader, MCP_STDIO_ENTRY, ...args] };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string' },
      'fail-start': { type: 'boolean' },
      'slow-start': { type: 'string' },
      stderr: { type: 'string' },
    },
  });
  if (values.stderr !== undefined) process.stderr.write(`${values.stderr}\n`);
  if (values['fail-start']) {
    process.stderr.write('tandem-test: failing at start on purpose\n');
    process.exit(1);
  }
  const delayMs = Number(values['slow-start'] ?? 0);
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  const server = createTestMcpServer({
    ...(values.name !== undefined ? { name: values.name } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  await server.connect(new StdioServerTransport());
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`tandem-test: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
