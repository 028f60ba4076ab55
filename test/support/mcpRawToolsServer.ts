// An MCP server over stdio that lists tools exactly as given, raw JSON schemas and odd names included, and
// answers every call with its arguments: for checking how a client offers such tools to the model. It has
// no instructions. Run: `node --import tsx test/support/mcpRawToolsServer.ts <tools.json>`, where the file
// holds the `tools/list` array.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';

const ENTRY = path.join(path.resolve(__dirname, '..', '..'), 'test', 'support', 'mcpRawToolsServer.ts');

/** The `command` and `args` of an MCP stdio config that runs this server over the tools in `toolsFile`. */
export function rawToolsServerCommand(toolsFile: string): { command: string; args: string[] } {
  const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
  return { command: process.execPath, args: ['--import', tsxLoader, ENTRY, toolsFile] };
}

async function main(toolsFile: string): Promise<void> {
  const tools = JSON.parse(fs.readFileSync(toolsFile, 'utf8')) as Tool[];
  const server = new Server({ name: 'raw-tools', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, (request) => ({ content: [{ type: 'text', text: JSON.stringify(request.params.arguments ?? null) }] }));
  await server.connect(new StdioServerTransport());
}

if (require.main === module) {
  const [toolsFile] = process.argv.slice(2);
  if (!toolsFile) {
    process.stderr.write('usage: mcpRawToolsServer.ts <tools.json>\n');
    process.exit(2);
  }
  main(toolsFile).catch((error: unknown) => {
    process.stderr.write(`raw-tools: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
