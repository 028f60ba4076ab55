// One JSON message per websocket text frame; each socket is its own connection with its own initialize.
// A client that stops reading is disconnected once its backlog passes the bound, so it cannot stall the
// others. Browsers (requests with an Origin header) are refused unless their origin is allowed.
import { createHash, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RawData, WebSocket } from 'ws';
import type { ConnectionHost, OutgoingMessage } from '../connection';
import { decodeJson } from './decode';
import { MAX_MESSAGE_BYTES } from '../../protocol';

/** Messages written but not yet flushed to the socket before a client counts as too slow (Codex: 32×1024). */
export const DEFAULT_MAX_QUEUED_MESSAGES = 32 * 1024;
/**
 * Bytes written but not yet flushed before a client counts as too slow: 16 MiB is far more than a live
 * client on any link lets pile up, and it bounds what one stalled client costs the server. A single
 * message bigger than this (a large thread/read answer) still goes out to a client that is not behind.
 */
export const DEFAULT_MAX_QUEUED_BYTES = 16 * 1024 * 1024;

export interface WebSocketOptions {
  host: string;
  port: number;
  /** When set, the upgrade must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Origins allowed to connect; `*` allows any. By default any request with an Origin header is refused. */
  allowedOrigins?: readonly string[];
  maxQueuedMessages?: number;
  maxQueuedBytes?: number;
}

export interface WebSocketTransport {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export async function serveWebSocket(server: ConnectionHost, options: WebSocketOptions): Promise<WebSocketTransport> {
  const logger = server.logger;
  const maxQueued = Math.max(1, options.maxQueuedMessages ?? DEFAULT_MAX_QUEUED_MESSAGES);
  const maxQueuedBytes = Math.max(1, options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES);
  // Loaded here, not with the module: a server on stdio never needs the library, and loading it is a few
  // milliseconds of every start.
  const { WebSocketServer, WebSocket } = await import('ws');
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const httpServer = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && (path === '/readyz' || path === '/healthz')) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });

  httpServer.on('upgrade', (req, socket, head) => {
    const refusal = refuseUpgrade(req, options);
    if (refusal) {
      logger.warn('refused a websocket upgrade', { reason: refusal.reason, origin: req.headers.origin });
      socket.end(`HTTP/1.1 ${refusal.status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => attach(ws, `ws:${req.socket.remoteAddress}:${req.socket.remotePort}`));
  });

  function attach(ws: WebSocket, label: string): void {
    let queued = 0;
    let queuedBytes = 0;
    const connection = server.openConnection(
      {
        send(message: OutgoingMessage): boolean {
          if (ws.readyState !== WebSocket.OPEN) return false;
          const text = JSON.stringify(message);
          const bytes = Buffer.byteLength(text);
          if (queued >= maxQueued || (queuedBytes > 0 && queuedBytes + bytes > maxQueuedBytes)) {
            logger.warn('disconnecting a slow websocket client', { connection: label, queued, queuedBytes });
            ws.terminate();
            return false;
          }
          queued += 1;
          queuedBytes += bytes;
          ws.send(text, () => {
            queued -= 1;
            queuedBytes -= bytes;
          });
          return true;
        },
        close: (reason) => ws.close(1001, reason.slice(0, 120)),
      },
      label,
    );
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        logger.warn('dropped a binary websocket frame', { connection: label });
        return;
      }
      const text = rawToString(data);
      const decoded = decodeJson(text, logger, label);
      if (decoded.ok) server.receive(connection, decoded.value, Buffer.byteLength(text));
    });
    ws.on('close', () => server.closeConnection(connection));
    ws.on('error', (error) => {
      // A frame over MAX_MESSAGE_BYTES is refused unread: ws closes with 1009 (message too big).
      logger.warn('websocket error', { connection: label, error: error.message });
      server.closeConnection(connection);
    });
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    port,
    url: `ws://${hostForUrl}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      }),
  };
}

function refuseUpgrade(req: http.IncomingMessage, options: WebSocketOptions): { status: string; reason: string } | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const allowed = options.allowedOrigins ?? [];
    if (!allowed.includes('*') && !allowed.includes(origin)) return { status: '403 Forbidden', reason: 'origin not allowed' };
  }
  if (options.token !== undefined) {
    const header = req.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    if (!sameSecret(presented, options.token)) return { status: '401 Unauthorized', reason: 'missing or wrong bearer token' };
  }
  return undefined;
}

/** Constant-time comparison that does not leak the token's length. */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
