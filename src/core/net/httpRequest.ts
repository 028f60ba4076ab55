// HTTP requests over Node's own http/https modules, for the model's stream and the few other calls the
// server makes. The global fetch would do, but its first use loads a second HTTP stack that costs a
// fresh process about 50 ms and 20 MB, and each request costs three times what http's does. In the editor
// the http modules are the ones its proxy settings apply to.
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';

export interface HttpRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /**
   * How long the connection may stay silent before the answer's headers arrive; then the request fails.
   * The body's pace is its reader's to judge.
   */
  headersTimeoutMs?: number;
}

/** What reading a response's headers needs (the web `Headers` class has the same shape). */
export interface ResponseHeaders {
  /** The header's value (several joined with ", "), or null. */
  get(name: string): string | null;
  forEach(callback: (value: string, name: string) => void): void;
}

export interface BodyReader {
  /** The next chunk, or done at the end; rejects when the connection breaks or the request is aborted. */
  read(): Promise<{ done: true; value?: undefined } | { done: false; value: Uint8Array }>;
  /** Stops reading and closes the connection's use for this response. */
  cancel(): void;
}

export interface HttpResponse {
  status: number;
  ok: boolean;
  headers: ResponseHeaders;
  /** Reads the body chunk by chunk; call once. */
  reader(): BodyReader;
  /** The whole body; with `idleMs`, fails when the body stalls that long. */
  text(idleMs?: number): Promise<string>;
  json(): Promise<unknown>;
}

/** As many as fetch follows. */
const MAX_REDIRECTS = 20;

/** Sends a request and resolves with the response once its headers arrived (redirects followed). */
export async function httpRequest(url: string, init: HttpRequestInit = {}): Promise<HttpResponse> {
  let target = new URL(url);
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body;
  let headers = { ...init.headers };
  for (let redirects = 0; ; redirects++) {
    const response = await send(target, method, headers, body, init);
    const location = response.headers.location;
    if (!isRedirect(response.statusCode) || location === undefined) return wrap(response);
    response.resume();
    if (redirects >= MAX_REDIRECTS) throw new Error(`too many redirects (more than ${MAX_REDIRECTS}) from ${url}`);
    const next = new URL(location, target);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new Error(`redirected to an unsupported URL: ${next.href}`);
    // As fetch does: 303 (and 301/302 after a POST) turn into a GET without a body; credentials stay
    // with the origin they were meant for.
    if (response.statusCode === 303 || ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')) {
      if (method !== 'HEAD') method = 'GET';
      body = undefined;
      headers = withoutHeaders(headers, ['content-type', 'content-length']);
    }
    if (next.origin !== target.origin) headers = withoutHeaders(headers, ['authorization', 'cookie', 'proxy-authorization']);
    target = next;
  }
}

function send(target: URL, method: string, headers: Record<string, string>, body: string | Buffer | undefined, init: HttpRequestInit): Promise<IncomingMessage> {
  const { signal, headersTimeoutMs } = init;
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return Promise.reject(new Error(`unsupported URL scheme: ${target.protocol}`));
  if (signal?.aborted) return Promise.reject(signal.reason);
  const outgoing: OutgoingHttpHeaders = { ...headers };
  if (body !== undefined) outgoing['content-length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const request = (target.protocol === 'https:' ? https : http).request(target, { method, headers: outgoing, signal }, (response) => {
      if (headersTimeoutMs !== undefined) request.setTimeout(0);
      resolve(response);
    });
    // Errors after the response arrived belong to its body's reader; until then they fail the request.
    request.on('error', (error) => reject(signal?.aborted ? signal.reason : error));
    if (headersTimeoutMs !== undefined) {
      request.setTimeout(headersTimeoutMs, () => request.destroy(Object.assign(new Error(`no answer for ${Math.round(headersTimeoutMs / 1000)} s`), { code: 'ETIMEDOUT' })));
    }
    request.end(body);
  });
}

function isRedirect(status: number | undefined): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function withoutHeaders(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name.toLowerCase())));
}

function wrap(response: IncomingMessage): HttpResponse {
  const status = response.statusCode ?? 0;
  let taken = false;
  const reader = (): BodyReader => {
    if (taken) throw new Error('the response body was already read');
    taken = true;
    const stream = decoded(response);
    const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    return {
      read: async () => {
        const next = await chunks.next();
        return next.done ? { done: true } : { done: false, value: next.value };
      },
      cancel: () => {
        stream.destroy();
        response.destroy();
      },
    };
  };
  const text = async (idleMs?: number) => {
    const read = reader();
    const parts: Buffer[] = [];
    const next = () => (idleMs === undefined ? read.read() : readWithin(read, idleMs));
    for (let chunk = await next(); !chunk.done; chunk = await next()) parts.push(Buffer.from(chunk.value));
    return Buffer.concat(parts).toString('utf8');
  };
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: headersOf(response),
    reader,
    text,
    json: async () => JSON.parse(await text()) as unknown,
  };
}

/** A body that sent nothing for as long as its reader would wait. */
export class BodyStalled extends Error {
  readonly code = 'ETIMEDOUT';

  constructor(readonly idleMs: number) {
    super(`the answer's body stalled for ${Math.round(idleMs / 1000)} s`);
  }
}

/**
 * The reader's next chunk. Fails with `BodyStalled` (the connection closed) when none came within `idleMs`,
 * and with the signal's reason once it aborts.
 */
export async function readWithin(reader: BodyReader, idleMs: number, signal?: AbortSignal): ReturnType<BodyReader['read']> {
  if (signal?.aborted) throw signal.reason;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const guard = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reader.cancel();
      reject(new BodyStalled(idleMs));
    }, idleMs);
    if (signal) {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  try {
    return await Promise.race([reader.read(), guard]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal!.removeEventListener('abort', onAbort);
  }
}

/** The body as sent, decompressed when a server compressed it although nothing asked for it. */
function decoded(response: IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!decoder) return response;
  response.once('error', (error) => decoder.destroy(error));
  return response.pipe(decoder);
}

function headersOf(response: IncomingMessage): ResponseHeaders {
  const value = (raw: string | string[] | undefined): string | null => (raw === undefined ? null : Array.isArray(raw) ? raw.join(', ') : raw);
  return {
    get: (name) => value(response.headers[name.toLowerCase()]),
    forEach: (callback) => {
      for (const [name, raw] of Object.entries(response.headers)) {
        const joined = value(raw);
        if (joined !== null) callback(joined, name);
      }
    },
  };
}
