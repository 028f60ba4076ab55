// The test MCP server over streamable HTTP on 127.0.0.1, in the test process: stateful sessions with one
// McpServer each (as the SDK's examples do), an optional bearer token and required headers, and a record of
// every request's headers so tests can check what a client sent.
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { createTestMcpServer, type TestMcpServerOptions } from './mcpTestServer';

export interface TestMcpHttpServerOptions extends Omit<TestMcpServerOptions, 'crash' | 'log'> {
  /** When set, a request whose Authorization header is not `Bearer <token>` gets 401. */
  bearerToken?: string;
  /** Headers every request must carry with these values (names case-insensitive); otherwise 403. */
  headers?: Record<string, string>;
}

export interface TestMcpHttpServer {
  /** The MCP endpoint, http://127.0.0.1:<port>/mcp. */
  url: string;
  /** Every request received, rejected ones included, in order. */
  requests: Array<{ method: string; headers: http.IncomingHttpHeaders }>;
  /** What the servers reported out of band (a cancelled `slow`). */
  events: string[];
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  /** Responses still open, so `crash` can cut them off. */
  open: Set<http.ServerResponse>;
}

function reject(res: http.ServerResponse, status: number, message: string, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  return body ? JSON.parse(body) : undefined;
}

export async function startTestMcpHttpServer(options: TestMcpHttpServerOptions = {}): Promise<TestMcpHttpServer> {
  const { bearerToken, headers: required = {}, ...serverOptions } = options;
  const sessions = new Map<string, Session>();
  const requests: TestMcpHttpServer['requests'] = [];
  const events: string[] = [];

  // A crash ends the session the way a dying server would: its open responses are cut and it is forgotten.
  const crashSession = async (sessionId: string | undefined) => {
    const session = sessionId ? sessions.get(sessionId) : undefined;
    if (!session || !sessionId) return;
    sessions.delete(sessionId);
    for (const res of session.open) res.socket?.destroy();
    await session.transport.close();
  };

  const openSession = async (): Promise<StreamableHTTPServerTransport> => {
    const open = new Set<http.ServerResponse>();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, { transport, open }),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    const server = createTestMcpServer({
      ...serverOptions,
      crash: (extra) => crashSession(extra.sessionId),
      log: (line) => events.push(line),
    });
    await server.connect(transport);
    return transport;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    requests.push({ method: req.method ?? '', headers: req.headers });
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/mcp') return reject(res, 404, 'Not found');
    if (bearerToken !== undefined && req.headers.authorization !== `Bearer ${bearerToken}`) {
      return reject(res, 401, 'Unauthorized', { 'www-authenticate': 'Bearer' });
    }
    const missing = Object.entries(required).find(([name, value]) => req.headers[name.toLowerCase()] !== value);
    if (missing) return reject(res, 403, `Forbidden: header ${missing[0]} is missing or wrong`);

    let body: unknown;
    try {
      body = req.method === 'POST' ? await readJson(req) : undefined;
    } catch {
      return reject(res, 400, 'Parse error: the body is not JSON');
    }
    const sessionId = req.headers['mcp-session-id'];
    const session = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (session) {
      session.open.add(res);
      res.once('close', () => session.open.delete(res));
      return session.transport.handleRequest(req, res, body);
    }
    if (sessionId !== undefined) return reject(res, 404, 'Session not found');
    if (req.method !== 'POST' || !isInitializeRequest(body)) return reject(res, 400, 'Bad Request: No valid session ID provided');
    const transport = await openSession();
    return transport.handleRequest(req, res, body);
  };

  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) reject(res, 500, error instanceof Error ? error.message : String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    events,
    async close() {
      await Promise.all([...sessions.values()].map((session) => session.transport.close()));
      sessions.clear();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
