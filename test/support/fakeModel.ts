// A local fake of the Responses API: real HTTP and SSE on 127.0.0.1, replies played from a script, every
// request recorded. Tests never call a real model.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type SseEventData = Record<string, unknown>;

export interface ScriptedReply {
  /** HTTP status; anything but 200 sends `body` as JSON and no stream. */
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** SSE events, each sent as `event: <type>\ndata: <json>\n\n`; a string is written raw. */
  events?: Array<SseEventData | string>;
  /** Destroy the connection after this many events (a dropped stream). */
  cutAfter?: number;
  /** After the events, keep the connection open and silent (idle timeout). */
  hang?: boolean;
  /** Pause before each event. */
  delayMs?: number;
  /** Yield to the event loop after this many events, so a server in the same process is not starved. */
  yieldEvery?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** performance.now() when the request had arrived, and when its reply was fully written (benchmarks). */
  receivedAt: number;
  finishedAt?: number;
}

export class FakeModelServer {
  /** Every request, to any path (`/responses`, `/models`, the usage endpoint). */
  readonly requests: RecordedRequest[] = [];
  /** What `GET /v1/models` answers (ids), or a status code to fail with. */
  models: string[] | number = ['fake-model-a', 'fake-model-b'];
  /** What `GET /v1/wham/usage` answers (the ChatGPT usage endpoint). */
  usage: unknown = { plan_type: 'plus', rate_limit: { primary_window: { used_percent: 12.6, limit_window_seconds: 18000, reset_at: 1800000000 }, secondary_window: null } };
  usageRequests: http.IncomingHttpHeaders[] = [];
  private readonly script: ScriptedReply[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<import('node:net').Socket>();
  private port = 0;
  private waiters: Array<() => void> = [];

  constructor() {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** The provider `base_url`. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  enqueue(...replies: ScriptedReply[]): void {
    this.script.push(...replies);
  }

  /** The model requests (`POST …/responses`), in order. */
  get turnRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/responses'));
  }

  /** The last model request; throws when there was none. */
  lastTurnRequest(): RecordedRequest {
    const last = this.turnRequests.at(-1);
    if (!last) throw new Error('the fake model has had no /responses request');
    return last;
  }

  get pending(): number {
    return this.script.length;
  }

  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake model saw ${this.requests.length} requests, wanted ${count}`)), timeoutMs);
      const check = () => {
        if (this.requests.length >= count) {
          clearTimeout(timer);
          resolve();
          return true;
        }
        return false;
      };
      this.waiters.push(() => void check());
    });
  }

  /** The output the model received for a tool call, from the first request that carries it. */
  outputFor(callId: string): string {
    for (const request of this.requests) {
      const found = (request.body.input as Array<{ type: string; call_id?: string; output?: string }>).find((i) => i.type.endsWith('_output') && i.call_id === callId);
      if (found) return String(found.output);
    }
    throw new Error(`no output for ${callId}`);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the raw text
    }
    if (req.method === 'GET' && (req.url ?? '').endsWith('/wham/usage')) {
      this.usageRequests.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.usage));
      return;
    }
    if (req.method === 'GET' && (req.url ?? '').endsWith('/models')) {
      if (typeof this.models === 'number') res.writeHead(this.models).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: this.models.map((id) => ({ id, object: 'model' })) }));
      return;
    }
    const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, receivedAt: performance.now() };
    this.requests.push(recorded);
    res.once('finish', () => (recorded.finishedAt = performance.now()));
    for (const waiter of this.waiters.splice(0)) waiter();

    const reply = this.script.shift();
    if (!reply) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'the fake model has no scripted reply left' } }));
      return;
    }
    if (reply.status && reply.status !== 200) {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(reply.body ?? {}));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
    const events = reply.events ?? [];
    for (let i = 0; i < events.length; i++) {
      if (reply.cutAfter !== undefined && i >= reply.cutAfter) {
        res.socket?.destroy();
        return;
      }
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      else if (reply.yieldEvery && i % reply.yieldEvery === reply.yieldEvery - 1) await new Promise((r) => setImmediate(r));
      if (res.destroyed) return;
      const event = events[i]!;
      res.write(typeof event === 'string' ? event : `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
    }
    if (reply.cutAfter !== undefined && reply.cutAfter >= events.length) {
      res.socket?.destroy();
      return;
    }
    if (reply.hang) return;
    res.end();
  }
}

// ---- reply builders ----

let responseCounter = 0;

export function usage(input = 10, output = 5) {
  return { input_tokens: input, input_tokens_details: { cached_tokens: 0 }, output_tokens: output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: input + output };
}

export function completed(tokens = usage()): SseEventData {
  return { type: 'response.completed', response: { id: `resp_${++responseCounter}`, usage: tokens } };
}

/** A streamed assistant message, split into `chunks` deltas. */
export function messageEvents(text: string, options: { outputIndex?: number; chunks?: number } = {}): SseEventData[] {
  const index = options.outputIndex ?? 0;
  const pieces = splitText(text, options.chunks ?? 3);
  return [
    { type: 'response.output_item.added', output_index: index, item: { type: 'message', role: 'assistant', id: `msg_${index}`, content: [] } },
    ...pieces.map((delta) => ({ type: 'response.output_text.delta', output_index: index, delta })),
    { type: 'response.output_item.done', output_index: index, item: { type: 'message', role: 'assistant', id: `msg_${index}`, content: [{ type: 'output_text', text }] } },
  ];
}

export function reasoningEvents(summary: string, options: { outputIndex?: number } = {}): SseEventData[] {
  const index = options.outputIndex ?? 0;
  return [
    { type: 'response.output_item.added', output_index: index, item: { type: 'reasoning', id: `rs_${index}`, summary: [] } },
    { type: 'response.reasoning_summary_part.added', output_index: index, summary_index: 0 },
    ...splitText(summary, 2).map((delta) => ({ type: 'response.reasoning_summary_text.delta', output_index: index, summary_index: 0, delta })),
    {
      type: 'response.output_item.done',
      output_index: index,
      item: { type: 'reasoning', id: `rs_${index}`, summary: [{ type: 'summary_text', text: summary }], encrypted_content: 'opaque' },
    },
  ];
}

export function functionCallEvents(name: string, args: unknown, callId: string, options: { outputIndex?: number } = {}): SseEventData[] {
  const index = options.outputIndex ?? 0;
  const item = { type: 'function_call', id: `fc_${callId}`, name, arguments: JSON.stringify(args), call_id: callId };
  return [
    { type: 'response.output_item.added', output_index: index, item: { ...item, arguments: '' } },
    { type: 'response.output_item.done', output_index: index, item },
  ];
}

export function textReply(text: string, options: { chunks?: number; delayMs?: number; yieldEvery?: number; tokens?: ReturnType<typeof usage> } = {}): ScriptedReply {
  return { events: [{ type: 'response.created', response: {} }, ...messageEvents(text, options), completed(options.tokens)], delayMs: options.delayMs, yieldEvery: options.yieldEvery };
}

export function toolCallReply(name: string, args: unknown, callId: string, options: { tokens?: ReturnType<typeof usage> } = {}): ScriptedReply {
  return { events: [{ type: 'response.created', response: {} }, ...functionCallEvents(name, args, callId), completed(options.tokens)] };
}

/** The model calls `name` in `namespace` (a client's tool namespace, or an MCP server's `mcp__<server>`). */
export function namespacedCall(namespace: string, name: string, args: unknown, callId: string): ScriptedReply {
  const item = { type: 'function_call', namespace, name, call_id: callId };
  return {
    events: [
      { type: 'response.created', response: {} },
      { type: 'response.output_item.added', output_index: 0, item: { ...item, arguments: '' } },
      { type: 'response.output_item.done', output_index: 0, item: { ...item, arguments: JSON.stringify(args) } },
      completed(),
    ],
  };
}

/** The input of an apply_patch call: `lines` between the begin and end markers. */
export const patchOf = (...lines: string[]) => ['*** Begin Patch', ...lines, '*** End Patch'].join('\n');

function splitText(text: string, chunks: number): string[] {
  if (text.length === 0) return [];
  const size = Math.max(1, Math.ceil(text.length / chunks));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}
