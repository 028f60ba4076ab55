// A real MCP server, built with the official SDK, for Tandem's MCP client tests: one tool per annotation case,
// a slow tool with progress, failing and throwing tools, an image result, an elicitation, a crash, resources,
// a resource template and a prompt. The stdio entry and the HTTP server wrap the same definition.
import * as fs from 'node:fs';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { CallToolRequestSchema, type ServerNotification, type ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

export type TestToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface TestMcpServerOptions {
  /** The server's name in its initialize result (default "tandem-test"). */
  name?: string;
  /** The server's instructions (default "Test server for Tandem."). */
  instructions?: string;
  /** Where `write_note` appends; defaults to the TANDEM_MCP_NOTES environment variable. */
  notesPath?: string;
  /** What `crash` does; defaults to ending the process with code 1. */
  crash?: (extra: TestToolExtra) => void | Promise<void>;
  /** Where the server reports what happened out of band (a cancelled `slow`), e.g. stderr. */
  log?: (line: string) => void;
}

export const TEST_MCP_SERVER_VERSION = '1.0.0';
export const DEFAULT_TEST_MCP_INSTRUCTIONS = 'Test server for Tandem.';
/** A 1×1 red PNG. */
export const RED_DOT_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
/** The bytes `test://blob` serves. */
export const TEST_BLOB_BYTES = Buffer.from([0x00, 0x01, 0x02, 0xfe, 0xff]);

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });

/** Resolves after `ms`, or early (false) once the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function createTestMcpServer(options: TestMcpServerOptions = {}): McpServer {
  const server = new McpServer(
    { name: options.name ?? 'tandem-test', version: TEST_MCP_SERVER_VERSION },
    { instructions: options.instructions ?? DEFAULT_TEST_MCP_INSTRUCTIONS },
  );
  const log = options.log ?? (() => undefined);
  failAtProtocolLevel(server, 'throw', 'the tool threw on purpose');
  registerTools(server, options, log);
  registerResources(server);
  server.registerPrompt(
    'greet',
    { description: 'Greets someone by name.', argsSchema: { name: z.string() } },
    ({ name }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Say hello to ${name}.` } }] }),
  );
  return server;
}

function registerTools(server: McpServer, options: TestMcpServerOptions, log: (line: string) => void): void {
  server.registerTool(
    'echo',
    { description: 'Returns the text it is given.', inputSchema: { text: z.string() }, annotations: { readOnlyHint: true } },
    ({ text: value }) => text(value),
  );
  server.registerTool(
    'add',
    {
      description: 'Adds two numbers.',
      inputSchema: { a: z.number(), b: z.number() },
      outputSchema: { sum: z.number() },
      annotations: { readOnlyHint: true },
    },
    ({ a, b }) => ({ ...text(String(a + b)), structuredContent: { sum: a + b } }),
  );
  server.registerTool(
    'write_note',
    {
      description: 'Saves a note.',
      inputSchema: { text: z.string() },
      annotations: { readOnlyHint: false, destructiveHint: true },
    },
    ({ text: value }) => {
      const notesPath = options.notesPath ?? process.env.TANDEM_MCP_NOTES;
      if (notesPath) fs.appendFileSync(notesPath, `${value}\n`);
      return text('saved');
    },
  );
  // No annotations at all: clients fall back to their default rules.
  server.registerTool('touch', { description: 'Touches nothing.' }, () => text('touched'));
  server.registerTool(
    'fetch_page',
    {
      description: 'Pretends to fetch a web page.',
      inputSchema: { url: z.string() },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    ({ url }) => text(`fetched ${url}`),
  );
  server.registerTool(
    'slow',
    {
      description: 'Waits, reporting progress at the start of each step.',
      inputSchema: { ms: z.number().int().min(0), steps: z.number().int().min(1).optional() },
      annotations: { readOnlyHint: true },
    },
    async ({ ms, steps = 1 }, extra) => {
      const progressToken = extra._meta?.progressToken;
      for (let step = 1; step <= steps; step++) {
        if (progressToken !== undefined) {
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress: step, total: steps, message: `step ${step} of ${steps}` },
          });
        }
        if (!(await sleep(ms / steps, extra.signal))) {
          log(`slow: cancelled in step ${step} of ${steps}`);
          return text('cancelled');
        }
      }
      return text('slept');
    },
  );
  server.registerTool('fail', { description: 'Always fails.' }, () => ({
    ...text('the tool failed on purpose'),
    isError: true,
  }));
  // Listed like any tool; failAtProtocolLevel answers its calls with a JSON-RPC error before this runs.
  server.registerTool('throw', { description: 'Always throws.' }, () => text('unreachable'));
  server.registerTool('image', { description: 'Returns a red dot.', annotations: { readOnlyHint: true } }, () => ({
    content: [
      { type: 'text', text: 'a red dot' },
      { type: 'image', data: RED_DOT_PNG_BASE64, mimeType: 'image/png' },
    ],
  }));
  server.registerTool('ask_name', { description: 'Asks the user for their name.' }, async () => {
    const answer = await server.server.elicitInput({
      mode: 'form',
      message: 'What is your name?',
      requestedSchema: {
        type: 'object',
        properties: { name: { type: 'string', title: 'Name' } },
        required: ['name'],
      },
    });
    if (answer.action === 'accept') return text(`hello ${String(answer.content?.name)}`);
    return text(answer.action === 'decline' ? 'declined' : 'cancelled');
  });
  server.registerTool('crash', { description: 'Dies in the middle of the call.' }, async (extra) => {
    if (options.crash) await options.crash(extra);
    else process.exit(1);
    throw new Error('the server crashed on purpose');
  });
}

/**
 * McpServer turns whatever a tool throws into an `isError` result, so a JSON-RPC error needs the call to fail
 * before it reaches McpServer: wrap the tools/call handler McpServer installs on its first registerTool.
 */
function failAtProtocolLevel(server: McpServer, toolName: string, message: string): void {
  type CallToolHandler = (request: { params: { name: string } }, extra: TestToolExtra) => unknown;
  const lowLevel = server.server;
  const install = lowLevel.setRequestHandler.bind(lowLevel);
  lowLevel.setRequestHandler = ((schema: typeof CallToolRequestSchema, handler: CallToolHandler) => {
    if (schema !== CallToolRequestSchema) return install(schema, handler as never);
    return install(CallToolRequestSchema, (async (request: { params: { name: string } }, extra: TestToolExtra) => {
      if (request.params.name === toolName) throw new Error(message);
      return handler(request, extra);
    }) as never);
  }) as typeof lowLevel.setRequestHandler;
}

function registerResources(server: McpServer): void {
  server.registerResource(
    'readme',
    'test://notes/readme',
    { description: 'The notes readme.', mimeType: 'text/markdown' },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: '# Notes\nhello' }] }),
  );
  server.registerResource(
    'note',
    new ResourceTemplate('test://notes/{id}', { list: undefined }),
    { description: 'A note by id.', mimeType: 'text/plain' },
    (uri, { id }) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: `note ${String(id)}` }] }),
  );
  server.registerResource(
    'blob',
    'test://blob',
    { description: 'A few raw bytes.', mimeType: 'application/octet-stream' },
    (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'application/octet-stream', blob: TEST_BLOB_BYTES.toString('base64') }],
    }),
  );
}
