// The MCP test servers Tandem's MCP client is tested against, checked with the SDK's own client over stdio and
// streamable HTTP, plus the third-party @modelcontextprotocol/server-everything.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ElicitRequestSchema,
  McpError,
  type ElicitResult,
  type Progress,
} from '@modelcontextprotocol/sdk/types.js';
import { RED_DOT_PNG_BASE64, TEST_BLOB_BYTES } from '../support/mcpTestServer';
import { bundledMcpStdioCommand } from '../support/mcpTestServerBundle';
import { mcpStdioCommand } from '../support/mcpTestServerStdio';
import { startTestMcpHttpServer, type TestMcpHttpServer } from '../support/mcpTestHttpServer';
import { REPO_ROOT } from '../support/protocolClient';

/** A connected SDK client, what the user answers to elicitations, and what the server said out of band. */
interface Connection {
  client: Client;
  answers: ElicitResult[];
  elicitations: unknown[];
  notesPath: string;
  events(): string;
}

function newClient(): Pick<Connection, 'client' | 'answers' | 'elicitations'> {
  const client = new Client({ name: 'tandem-test-client', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
  const answers: ElicitResult[] = [];
  const elicitations: unknown[] = [];
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    elicitations.push(request.params);
    const answer = answers.shift();
    if (!answer) throw new Error('the test gave no answer');
    return answer;
  });
  return { client, answers, elicitations };
}

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const tempDirs: string[] = [];
function tempNotes(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-mcp-notes-'));
  tempDirs.push(dir);
  return path.join(dir, 'notes.txt');
}

/** Spawns a stdio server with the SDK client; `stderr` collects what it wrote there. */
async function connectStdio(command: { command: string; args: string[] }, env: Record<string, string> = {}) {
  const connection = newClient();
  const transport = new StdioClientTransport({
    ...command,
    env: { ...getDefaultEnvironment(), ...env },
    cwd: os.tmpdir(),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await connection.client.connect(transport);
  return { ...connection, transport, stderr: () => stderr };
}

/** Runs a server process by hand to see its exit code and stderr. */
function runRaw(command: { command: string; args: string[] }, messages: object[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(command.command, command.args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  for (const message of messages) child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr, stdout })));
}

const INITIALIZE = {
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

/** The same checks over either transport. */
function behavesAsSpecified(connect: () => Promise<Connection>, serverName: string): void {
  let c: Connection;
  before(async () => {
    c = await connect();
  });
  after(async () => {
    await c?.client.close();
  });

  it('names itself and gives its instructions', () => {
    assert.equal(c.client.getServerVersion()?.name, serverName);
    assert.equal(c.client.getInstructions(), 'Test server for Tandem.');
  });

  it('lists every tool with its annotations', async () => {
    const { tools } = await c.client.listTools();
    const annotations = Object.fromEntries(tools.map((tool) => [tool.name, tool.annotations]));
    assert.deepEqual(annotations, {
      echo: { readOnlyHint: true },
      add: { readOnlyHint: true },
      write_note: { readOnlyHint: false, destructiveHint: true },
      touch: undefined,
      fetch_page: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
      slow: { readOnlyHint: true },
      fail: undefined,
      throw: undefined,
      image: { readOnlyHint: true },
      ask_name: undefined,
      crash: undefined,
    });
    const add = tools.find((tool) => tool.name === 'add')!;
    assert.deepEqual(add.inputSchema.required, ['a', 'b']);
    assert.deepEqual(add.outputSchema?.properties, { sum: { type: 'number' } });
    assert.deepEqual(tools.find((tool) => tool.name === 'slow')!.inputSchema.required, ['ms']);
  });

  it('answers the simple tools', async () => {
    const call = (name: string, args: Record<string, unknown> = {}) => c.client.callTool({ name, arguments: args });
    assert.deepEqual((await call('echo', { text: 'hi there' })).content, [{ type: 'text', text: 'hi there' }]);
    const sum = await call('add', { a: 2, b: 40 });
    assert.deepEqual(sum.content, [{ type: 'text', text: '42' }]);
    assert.deepEqual(sum.structuredContent, { sum: 42 });
    assert.deepEqual((await call('touch')).content, [{ type: 'text', text: 'touched' }]);
    assert.deepEqual((await call('fetch_page', { url: 'https://example.com/' })).content, [
      { type: 'text', text: 'fetched https://example.com/' },
    ]);
    const bad = await call('add', { a: 'two', b: 1 });
    assert.equal(bad.isError, true, 'arguments that break the schema are refused');
  });

  it('appends notes to the notes file', async () => {
    const call = (text: string) => c.client.callTool({ name: 'write_note', arguments: { text } });
    assert.deepEqual((await call('first')).content, [{ type: 'text', text: 'saved' }]);
    await call('second');
    assert.equal(fs.readFileSync(c.notesPath, 'utf8'), 'first\nsecond\n');
  });

  it('fails with isError, and throws as a JSON-RPC error', async () => {
    const failed = await c.client.callTool({ name: 'fail', arguments: {} });
    assert.equal(failed.isError, true);
    assert.deepEqual(failed.content, [{ type: 'text', text: 'the tool failed on purpose' }]);
    await assert.rejects(c.client.callTool({ name: 'throw', arguments: {} }), (error: unknown) => {
      assert.ok(error instanceof McpError);
      assert.equal(error.code, -32603);
      assert.match(error.message, /the tool threw on purpose/);
      return true;
    });
  });

  it('returns an image', async () => {
    const { content } = await c.client.callTool({ name: 'image', arguments: {} });
    assert.deepEqual(content, [
      { type: 'text', text: 'a red dot' },
      { type: 'image', data: RED_DOT_PNG_BASE64, mimeType: 'image/png' },
    ]);
    const png = Buffer.from(RED_DOT_PNG_BASE64, 'base64');
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1, 1], '1×1 pixels');
  });

  it('asks for a name by elicitation and reports each answer', async () => {
    c.answers.push({ action: 'accept', content: { name: 'Ada' } }, { action: 'decline' }, { action: 'cancel' });
    const ask = async () => (await c.client.callTool({ name: 'ask_name', arguments: {} })).content;
    assert.deepEqual(await ask(), [{ type: 'text', text: 'hello Ada' }]);
    assert.deepEqual(await ask(), [{ type: 'text', text: 'declined' }]);
    assert.deepEqual(await ask(), [{ type: 'text', text: 'cancelled' }]);
    assert.deepEqual(c.elicitations[0], {
      mode: 'form',
      message: 'What is your name?',
      requestedSchema: { type: 'object', properties: { name: { type: 'string', title: 'Name' } }, required: ['name'] },
    });
  });

  it('reports progress per step of a slow call', async () => {
    const progress: Progress[] = [];
    const result = await c.client.callTool({ name: 'slow', arguments: { ms: 90, steps: 3 } }, undefined, {
      onprogress: (p) => progress.push(p),
    });
    assert.deepEqual(result.content, [{ type: 'text', text: 'slept' }]);
    assert.deepEqual(progress, [1, 2, 3].map((step) => ({ progress: step, total: 3, message: `step ${step} of 3` })));
  });

  it('stops a slow call when the client cancels it', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const call = c.client.callTool({ name: 'slow', arguments: { ms: 20_000, steps: 2 } }, undefined, {
      signal: abort.signal,
      onprogress: () => abort.abort(new Error('stop')),
    });
    await assert.rejects(call, /stop/);
    await until(() => c.events().includes('slow: cancelled in step 1 of 2'), 'the server to see the cancellation');
    assert.ok(Date.now() - started < 5_000);
  });

  it('serves the resources, the template and the prompt', async () => {
    const { resources } = await c.client.listResources();
    assert.deepEqual(
      resources.map(({ uri, mimeType }) => ({ uri, mimeType })),
      [
        { uri: 'test://notes/readme', mimeType: 'text/markdown' },
        { uri: 'test://blob', mimeType: 'application/octet-stream' },
      ],
    );
    const { resourceTemplates } = await c.client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((t) => [t.name, t.uriTemplate]), [['note', 'test://notes/{id}']]);
    const readme = await c.client.readResource({ uri: 'test://notes/readme' });
    assert.deepEqual(readme.contents, [{ uri: 'test://notes/readme', mimeType: 'text/markdown', text: '# Notes\nhello' }]);
    const note = await c.client.readResource({ uri: 'test://notes/42' });
    assert.deepEqual(note.contents, [{ uri: 'test://notes/42', mimeType: 'text/plain', text: 'note 42' }]);
    const blob = await c.client.readResource({ uri: 'test://blob' });
    assert.deepEqual(blob.contents, [{ uri: 'test://blob', mimeType: 'application/octet-stream', blob: TEST_BLOB_BYTES.toString('base64') }]);
    const greeting = await c.client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } });
    assert.deepEqual(greeting.messages, [{ role: 'user', content: { type: 'text', text: 'Say hello to Ada.' } }]);
  });
}

describe('integration: MCP test servers', function () {
  this.timeout(20_000);
  after(() => {
    for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('over stdio', () => {
    let stderr = () => '';
    behavesAsSpecified(async () => {
      const notesPath = tempNotes();
      const connection = await connectStdio(mcpStdioCommand(['--name', 'stdio-test', '--stderr', 'hello from stderr']), {
        TANDEM_MCP_NOTES: notesPath,
      });
      stderr = connection.stderr;
      return { ...connection, notesPath, events: connection.stderr };
    }, 'stdio-test');

    it('wrote --stderr text to stderr at start', () => {
      assert.match(stderr(), /^hello from stderr\n/);
    });

    it('ends the process when `crash` is called, failing the pending call', async () => {
      const { client, transport } = await connectStdio(mcpStdioCommand());
      const pid = transport.pid!;
      let closed = false;
      client.onclose = () => (closed = true);
      await assert.rejects(client.callTool({ name: 'crash', arguments: {} }), /Connection closed/);
      assert.ok(closed);
      assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
    });
  });

  describe('the bundled stdio server', () => {
    it('starts and answers like the tsx one', async () => {
      const { client } = await connectStdio(await bundledMcpStdioCommand(['--name', 'bundled']));
      assert.equal(client.getServerVersion()?.name, 'bundled');
      assert.equal((await client.listTools()).tools.length, 11);
      await client.close();
    });

    it('exits with code 1 on `crash`', async () => {
      const { code, stdout } = await runRaw(await bundledMcpStdioCommand(), [
        INITIALIZE,
        { method: 'notifications/initialized' },
        { id: 2, method: 'tools/call', params: { name: 'crash', arguments: {} } },
      ]);
      assert.equal(code, 1);
      assert.doesNotMatch(stdout, /"id":2/, 'the call got no answer');
    });

    it('--fail-start exits 1 with a message and never answers initialize', async () => {
      const { code, stderr, stdout } = await runRaw(await bundledMcpStdioCommand(['--fail-start']), [INITIALIZE]);
      assert.equal(code, 1);
      assert.match(stderr, /failing at start on purpose/);
      assert.equal(stdout, '');
    });

    it('--slow-start waits before answering initialize', async () => {
      const command = await bundledMcpStdioCommand(['--slow-start', '600']);
      const started = Date.now();
      const { client } = await connectStdio(command);
      assert.ok(Date.now() - started >= 600, 'initialize answered only after the delay');
      await client.close();
    });
  });

  describe('over streamable HTTP', () => {
    let server: TestMcpHttpServer;
    const notesPath = tempNotes();
    before(async () => {
      server = await startTestMcpHttpServer({ name: 'http-test', notesPath });
    });
    after(async () => {
      await server?.close();
    });

    behavesAsSpecified(async () => {
      const connection = newClient();
      await connection.client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      return { ...connection, notesPath, events: () => server.events.join('\n') };
    }, 'http-test');

    it('cuts the connection when `crash` is called, failing the pending call', async () => {
      const { client } = newClient();
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      // The cut connection fails the POST that carries the call, not a timeout.
      await assert.rejects(client.callTool({ name: 'crash', arguments: {} }, undefined, { timeout: 5_000 }), /fetch failed/);
      await assert.rejects(client.listTools(), /Session not found/, 'the session is gone');
      await client.close();
    });
  });

  describe('HTTP authentication and headers', () => {
    let server: TestMcpHttpServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    const httpStatus = (status: number) => (error: unknown) => error instanceof StreamableHTTPError && error.code === status;
    const connect = async (headers: Record<string, string>) => {
      const { client } = newClient();
      await client.connect(new StreamableHTTPClientTransport(new URL(server!.url), { requestInit: { headers } }));
      return client;
    };

    it('refuses a missing or wrong bearer token with 401 and accepts the right one', async () => {
      server = await startTestMcpHttpServer({ bearerToken: 'sekrit' });
      await assert.rejects(connect({}), httpStatus(401));
      await assert.rejects(connect({ Authorization: 'Bearer wrong' }), httpStatus(401));
      const client = await connect({ Authorization: 'Bearer sekrit' });
      assert.equal((await client.listTools()).tools.length, 11);
      await client.close();
      assert.ok(server.requests.some((r) => r.headers.authorization === 'Bearer sekrit'));
    });

    it('requires the configured headers and records what every request carried', async () => {
      server = await startTestMcpHttpServer({ headers: { 'X-Api-Key': 'k1' } });
      await assert.rejects(connect({ 'X-Other': 'k1' }), httpStatus(403));
      const client = await connect({ 'X-Api-Key': 'k1', 'X-Env-Header': 'from-env' });
      await client.listTools();
      await client.close();
      const accepted = server.requests.filter((r) => r.headers['x-api-key'] === 'k1');
      assert.ok(accepted.length >= 3, 'initialize, initialized and tools/list');
      assert.ok(accepted.every((r) => r.headers['x-env-header'] === 'from-env'));
      assert.equal(server.requests[0]?.headers['x-other'], 'k1');
    });
  });

  describe('@modelcontextprotocol/server-everything', () => {
    it('starts over stdio, lists its tools and answers echo', async () => {
      const entry = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
      const { client } = await connectStdio({ command: process.execPath, args: [entry, 'stdio'] });
      const { tools } = await client.listTools();
      assert.ok(tools.some((tool) => tool.name === 'echo'), `echo among ${tools.map((t) => t.name).join(', ')}`);
      const echoed = await client.callTool({ name: 'echo', arguments: { message: 'ping' } });
      assert.match(JSON.stringify(echoed.content), /ping/);
      await client.close();
    });
  });
});
