// A scripted app-server client for integration tests: speaks JSONL to a spawned server's stdio, or JSON
// frames to its websocket, and records everything it receives.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import WebSocket from 'ws';

export interface WireMessage {
  id?: string | number;
  method?: string;
  params?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  result?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  error?: { code: number; message: string; data?: unknown };
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const DEFAULT_WAIT_MS = 10_000;

/** Sees every message any scripted client receives (the schema conformance check). */
export const messageObservers: Array<(message: WireMessage, requestMethod: string | undefined) => void> = [];

/** Every message a client received, in order, and waiting for one still to come. */
export class MessageLog {
  readonly received: WireMessage[] = [];
  /** How long waitFor (and so request) waits unless told; benchmarks over large homes wait longer. */
  waitMs = DEFAULT_WAIT_MS;
  private waiters: Array<{ match: (m: WireMessage) => boolean; resolve: (m: WireMessage) => void }> = [];

  /** Called by the transport for each decoded message. */
  accept(message: WireMessage): void {
    this.received.push(message);
    const ready = this.waiters.filter((w) => w.match(message));
    this.waiters = this.waiters.filter((w) => !w.match(message));
    for (const waiter of ready) waiter.resolve(message);
  }

  /** The first message, already received or yet to come, that matches. */
  waitFor(match: (m: WireMessage) => boolean, timeoutMs = this.waitMs): Promise<WireMessage> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        const last = this.received.slice(-4).map((m) => m.method ?? (m.error ? `error ${JSON.stringify(m.error).slice(0, 200)}` : `response ${m.id}`));
        reject(new Error(`timed out after ${timeoutMs} ms waiting for a message; last received: ${last.join(', ') || 'nothing'}`));
      }, timeoutMs);
      const done = (m: WireMessage) => {
        clearTimeout(timer);
        resolve(m);
      };
      this.waiters.push({ match, resolve: done });
    });
  }

  notifications(method?: string): WireMessage[] {
    return this.received.filter((m) => m.id === undefined && m.method !== undefined && (method === undefined || m.method === method));
  }
}

export class ScriptedClient extends MessageLog {
  private readonly sentMethods = new Map<string | number, string>();
  private readonly answered = new Set<string | number>();
  private nextId = 1;

  /** `speaksAppServer: false` for clients of another protocol (the exec-server): no Codex schema check. */
  constructor(
    private readonly writeText: (text: string) => void,
    private readonly options: { speaksAppServer?: boolean } = {},
  ) {
    super();
  }

  override accept(message: WireMessage): void {
    const requestMethod = message.method === undefined && message.id !== undefined ? this.sentMethods.get(message.id) : undefined;
    if (this.options.speaksAppServer !== false) for (const observe of messageObservers) observe(message, requestMethod);
    super.accept(message);
  }

  sendRaw(text: string): void {
    this.writeText(text);
  }

  send(message: WireMessage): void {
    if (message.id !== undefined && message.method !== undefined) this.sentMethods.set(message.id, message.method);
    this.writeText(JSON.stringify(message));
  }

  /** Sends a request and resolves with the whole response message (result or error). */
  request(method: string, params?: unknown, id: string | number = this.nextId++): Promise<WireMessage> {
    const response = this.waitFor((m) => m.id === id && m.method === undefined);
    this.send(params === undefined ? { id, method } : { id, method, params });
    return response;
  }

  async initialize(name = 'tandem_test', capabilities?: unknown): Promise<WireMessage> {
    const response = await this.request('initialize', { clientInfo: { name, title: null, version: '1.0.0' }, capabilities });
    this.send({ method: 'initialized' });
    return response;
  }

  /** Answers the next server request of this method not answered (or resolved by the server) yet. */
  async answerNext(method: string, result: unknown): Promise<WireMessage> {
    const request = await this.waitFor(
      (m) => m.method === method && m.id !== undefined && !this.answered.has(m.id) && !this.received.some((r) => r.method === 'serverRequest/resolved' && r.params.requestId === m.id),
    );
    this.answered.add(request.id!);
    this.send({ id: request.id, result });
    return request;
  }
}

export interface SpawnedServer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly client: ScriptedClient;
  stderr(): string;
  /** Ends stdin and waits for the process to exit. */
  close(): Promise<number | null>;
}

/** Spawns `tandem app-server` over stdio: the test entry (with test methods) or the built bundle. */
export function spawnStdioServer(options: { entry?: 'test' | 'dist'; args?: string[]; env?: NodeJS.ProcessEnv } = {}): SpawnedServer {
  const args =
    options.entry === 'dist'
      ? [path.join(REPO_ROOT, 'dist', 'cli.js'), 'app-server', ...(options.args ?? [])]
      : ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'support', 'testServerMain.ts'), 'app-server', ...(options.args ?? [])];
  return spawnJsonl(process.execPath, args, { env: { TANDEM_LOG: 'debug', ...options.env } });
}

/** Spawns any process that speaks JSONL on stdio (Tandem, or the codex oracle) with a scripted client. */
export function spawnJsonl(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; speaksAppServer?: boolean } = {}): SpawnedServer {
  const child = spawn(command, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const client = new ScriptedClient((text) => child.stdin.write(text + '\n'), { speaksAppServer: options.speaksAppServer });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    let newline;
    while ((newline = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim()) client.accept(JSON.parse(line));
    }
  });
  child.stdin.on('error', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    client,
    stderr: () => stderr,
    close: async () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Spawns a websocket server and resolves once its stderr banner names the real port. */
export async function spawnWebSocketServer(
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<{ url: string; child: ChildProcessWithoutNullStreams; stderr(): string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'support', 'testServerMain.ts'), 'app-server', '--listen', 'ws://127.0.0.1:0', ...extraArgs],
    { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner; stderr: ${stderr}`)), 15_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /listening on (ws:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    child,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function connectWebSocket(url: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; client: ScriptedClient }> {
  const ws = new WebSocket(url, { headers });
  const client = new ScriptedClient((text) => ws.send(text));
  ws.on('message', (data) => client.accept(JSON.parse(data.toString())));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
  return { ws, client };
}
