// One live MCP server, through the official SDK's client: started over stdio (a child process) or
// streamable HTTP, initialized, its tools listed, then called. Startup is bounded by the server's
// `startup_timeout_sec`, each call by `tool_timeout_sec` and the caller's abort signal.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ElicitRequestSchema, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpResource, McpResourceContent, McpResourceTemplate, McpTool } from '../../protocol';
import { z } from 'zod';
import type { Logger } from '../log';
import { TANDEM_VERSION } from '../version';
import type { McpServerConfig, McpTransport } from './mcpConfig';
import { signInErrorOf, staticHeadersOf, storedSignInFor, type StoredSignInProvider } from './mcpOAuth';
import type { McpOAuthStore } from './mcpOAuthStore';

/** What a server may send back while it runs: log lines, and questions for the user. */
export interface McpConnectionHooks {
  readonly logger: Logger;
  /** A question from the server (form or URL): answered by the user through a client. */
  elicit(request: ElicitRequest['params'], signal: AbortSignal): Promise<ElicitResult>;
  /** The connection ended without being closed (the process exited, the HTTP session was lost). */
  onClosed(): void;
}

export interface McpCallResult {
  content: unknown[];
  structuredContent: unknown;
  isError: boolean;
  _meta: unknown;
}

/** The variables a stdio server inherits, as codex passes them: enough to run, no secrets by default. */
const INHERITED_ENV = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'USER', '__CF_USER_TEXT_ENCODING', 'LANG', 'LC_ALL', 'TERM', 'TMPDIR', 'TZ'];
/** Largest page count a listing follows, so a server that always answers with a cursor cannot loop us. */
const MAX_PAGES = 100;

export class McpConnection {
  private closing = false;

  private constructor(
    readonly config: McpServerConfig,
    private readonly client: Client,
    /** The server's tools, listed once at startup (and again when it says the list changed). */
    public tools: McpTool[],
    private readonly logger: Logger,
  ) {}

  /**
   * Starts the server, initializes it and lists its tools, within `startupTimeoutMs`. An HTTP server with a
   * stored sign-in gets its tokens (refreshed by the SDK on a 401); one that answers 401 without them fails
   * with McpSignInRequired.
   */
  static async connect(
    config: McpServerConfig,
    options: { cwd: string; env: NodeJS.ProcessEnv; signal?: AbortSignal; oauth?: McpOAuthStore },
    hooks: McpConnectionHooks,
  ): Promise<McpConnection> {
    const client = new Client({ name: 'tandem', title: 'Tandem', version: TANDEM_VERSION }, { capabilities: { elicitation: { form: {}, url: {} } } });
    client.setRequestHandler(ElicitRequestSchema, (request, extra) => hooks.elicit(request.params, extra.signal));
    const signIn = await storedSignInFor(config, options.oauth, options.env);
    const transport = makeTransport(config.transport, options.cwd, options.env, hooks.logger, config.name, signIn);
    const timeout = AbortSignal.timeout(config.startupTimeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let connection: McpConnection | undefined;
    const started = (async () => {
      await client.connect(transport, { signal, timeout: config.startupTimeoutMs });
      const tools = await listTools(client, { signal, timeout: config.startupTimeoutMs }, hooks.logger, config.name);
      connection = new McpConnection(config, client, tools, hooks.logger);
      client.onclose = () => {
        if (!connection?.closing) hooks.onClosed();
      };
      return connection;
    })();
    try {
      return await abortable(started, signal, () => (timeout.aborted ? `did not start within ${config.startupTimeoutMs / 1000} s` : 'startup was cancelled'));
    } catch (error) {
      await client.close().catch(() => undefined);
      throw signInErrorOf(error, config, options.env, signIn) ?? error;
    }
  }

  get serverInfo() {
    return this.client.getServerVersion() ?? null;
  }

  get capabilities() {
    return this.client.getServerCapabilities() ?? null;
  }

  get instructions(): string | undefined {
    return this.client.getInstructions();
  }

  async refreshTools(): Promise<void> {
    this.tools = await listTools(this.client, {}, this.logger, this.config.name);
  }

  async listResources(): Promise<McpResource[]> {
    if (!this.capabilities?.resources) return [];
    return listAll((cursor) => this.client.listResources({ cursor }).then((r) => ({ items: r.resources as McpResource[], next: r.nextCursor })));
  }

  async listResourceTemplates(): Promise<McpResourceTemplate[]> {
    if (!this.capabilities?.resources) return [];
    return listAll((cursor) => this.client.listResourceTemplates({ cursor }).then((r) => ({ items: r.resourceTemplates as McpResourceTemplate[], next: r.nextCursor })));
  }

  /** One page of resources or templates, for the model's list tools (which page with the server's cursor). */
  async resourcePage(kind: 'resources' | 'templates', cursor: string | undefined): Promise<{ items: unknown[]; nextCursor: string | null }> {
    if (!this.capabilities?.resources) return { items: [], nextCursor: null };
    if (kind === 'resources') {
      const page = await this.client.listResources({ cursor });
      return { items: page.resources, nextCursor: page.nextCursor ?? null };
    }
    const page = await this.client.listResourceTemplates({ cursor });
    return { items: page.resourceTemplates, nextCursor: page.nextCursor ?? null };
  }

  async readResource(uri: string, signal?: AbortSignal): Promise<McpResourceContent[]> {
    const result = await this.client.readResource({ uri }, { signal, timeout: this.config.toolTimeoutMs });
    return result.contents as McpResourceContent[];
  }

  /** Calls a tool; progress messages go to `onProgress`. A timeout or abort rejects with a plain message. */
  async callTool(name: string, args: Record<string, unknown> | undefined, options: { signal?: AbortSignal; onProgress?: (message: string) => void; meta?: Record<string, unknown> }): Promise<McpCallResult> {
    const timeoutMs = this.config.toolTimeoutMs;
    const result = await this.client.callTool({ name, arguments: args, ...(options.meta ? { _meta: options.meta } : {}) }, undefined, {
      signal: options.signal,
      timeout: timeoutMs,
      onprogress: options.onProgress
        ? (progress) => options.onProgress!(progress.message ?? (progress.total ? `${progress.progress} of ${progress.total}` : `${progress.progress}`))
        : undefined,
    });
    return {
      content: Array.isArray(result.content) ? result.content : [],
      structuredContent: result.structuredContent ?? null,
      isError: result.isError === true,
      _meta: result._meta ?? null,
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.client.close().catch(() => undefined);
  }
}

function makeTransport(transport: McpTransport, threadCwd: string, env: NodeJS.ProcessEnv, logger: Logger, name: string, signIn: StoredSignInProvider | undefined): Transport {
  if (transport.type === 'stdio') {
    const childEnv: Record<string, string> = {};
    for (const key of INHERITED_ENV) if (env[key] !== undefined) childEnv[key] = env[key]!;
    for (const variable of transport.envVars) if (env[variable.name] !== undefined) childEnv[variable.name] = env[variable.name]!;
    Object.assign(childEnv, transport.env ?? {});
    const stdio = new StdioClientTransport({ command: transport.command, args: transport.args, env: childEnv, cwd: transport.cwd ?? threadCwd, stderr: 'pipe' });
    // A server's stderr is its log: each line goes to ours, under its name.
    let partial = '';
    stdio.stderr?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') logger.info(`mcp server ${name}: ${line.slice(0, 2000)}`, { server: name });
    });
    return stdio;
  }
  const headers = staticHeadersOf(transport, env);
  if (transport.bearerTokenEnvVar) {
    const token = env[transport.bearerTokenEnvVar];
    if (token === undefined || token === '') throw new Error(`the environment variable ${transport.bearerTokenEnvVar} (bearer_token_env_var) is not set`);
    headers.Authorization = `Bearer ${token}`;
  }
  return new StreamableHTTPClientTransport(new URL(transport.url), { requestInit: { headers }, ...(signIn ? { authProvider: signIn } : {}) });
}

/** A `tools/list` answer read loosely: one malformed tool must not cost the server all of its tools. */
const LooseToolList = z.looseObject({ tools: z.array(z.unknown()), nextCursor: z.string().optional() });

/** The server's tools; a tool without a name is left out, one without an object input schema gets an empty one. */
async function listTools(client: Client, options: { signal?: AbortSignal; timeout?: number }, logger: Logger, server: string): Promise<McpTool[]> {
  const raw = await listAll((cursor) => client.request({ method: 'tools/list', params: cursor ? { cursor } : {} }, LooseToolList, options).then((r) => ({ items: r.tools, next: r.nextCursor })));
  const tools: McpTool[] = [];
  for (const entry of raw) {
    const tool = entry as Partial<McpTool> | null;
    if (typeof tool !== 'object' || tool === null || typeof tool.name !== 'string' || tool.name === '') {
      logger.warn('an MCP server listed a tool without a name; it was left out', { server });
      continue;
    }
    const schema = tool.inputSchema as { type?: unknown } | null | undefined;
    const inputSchema = typeof schema === 'object' && schema !== null && schema.type === 'object' ? schema : { type: 'object', properties: {} };
    tools.push({ ...tool, name: tool.name, inputSchema } as McpTool);
  }
  return tools;
}

async function listAll<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const { items, next } = await page(cursor);
    all.push(...items);
    if (!next) return all;
    cursor = next;
  }
  return all;
}

/** Settles with `work`, or rejects with `reason()` as soon as `signal` aborts. */
function abortable<T>(work: Promise<T>, signal: AbortSignal, reason: () => string): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error(reason()));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error(reason()));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
