import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { httpRequest } from '../../../../src/core/net/httpRequest';

type Handler = (request: http.IncomingMessage, body: string, response: http.ServerResponse) => void;

/** A local server answering with `handler`; its base URL. */
async function serve(handler: Handler): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (chunk: Buffer) => parts.push(chunk));
    request.on('end', () => handler(request, Buffer.concat(parts).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function readAll(reader: { read(): Promise<{ done: boolean; value?: Uint8Array }> }): Promise<string[]> {
  const chunks: string[] = [];
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) chunks.push(Buffer.from(chunk.value!).toString('utf8'));
  return chunks;
}

describe('core/net/httpRequest', () => {
  it('posts a body with its headers and streams the answer chunk by chunk', async () => {
    const server = await serve((request, body, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'r1', 'set-cookie': ['a=1', 'b=2'] });
      response.write(`got ${request.method} ${request.headers["x-test"]} ${Buffer.byteLength(body)} ${request.headers["content-length"]}\n`);
      setTimeout(() => response.end('second\n'), 20);
    });
    try {
      const response = await httpRequest(`${server.base}/v1/responses`, { method: 'POST', headers: { 'x-test': 'yes' }, body: 'é'.repeat(10) });
      assert.equal(response.status, 200);
      assert.equal(response.ok, true);
      assert.equal(response.headers.get('X-Request-Id'), 'r1');
      assert.equal(response.headers.get('set-cookie'), 'a=1, b=2');
      assert.equal(response.headers.get('absent'), null);
      const seen: string[] = [];
      response.headers.forEach((_value, name) => seen.push(name));
      assert.ok(seen.includes('x-request-id'));
      assert.deepEqual(await readAll(response.reader()), ['got POST yes 20 20\n', 'second\n']);
      assert.throws(() => response.reader(), /already read/);
    } finally {
      await server.close();
    }
  });

  it('reads an error answer as text or JSON, compressed or not', async () => {
    const server = await serve((request, _body, response) => {
      const json = JSON.stringify({ error: { message: 'nope' } });
      if (request.url === '/gzip') {
        response.writeHead(429, { 'content-encoding': 'gzip', 'retry-after': '3' });
        response.end(zlib.gzipSync(json));
      } else {
        response.writeHead(500);
        response.end(json);
      }
    });
    try {
      const compressed = await httpRequest(`${server.base}/gzip`);
      assert.equal(compressed.ok, false);
      assert.equal(compressed.status, 429);
      assert.equal(compressed.headers.get('retry-after'), '3');
      assert.deepEqual(await compressed.json(), { error: { message: 'nope' } });
      assert.equal(await (await httpRequest(`${server.base}/plain`)).text(), JSON.stringify({ error: { message: 'nope' } }));
    } finally {
      await server.close();
    }
  });

  it('follows redirects as fetch does: 307 keeps the POST, 303 turns it into a GET, credentials stay with their origin', async () => {
    const other = await serve((request, body, response) => response.end(JSON.stringify({ method: request.method, body, authorization: request.headers.authorization ?? null })));
    const server = await serve((request, body, response) => {
      if (request.url === '/keep') return response.writeHead(307, { location: '/echo' }).end();
      if (request.url === '/see-other') return response.writeHead(303, { location: '/echo' }).end();
      if (request.url === '/away') return response.writeHead(308, { location: `${other.base}/echo` }).end();
      if (request.url === '/loop') return response.writeHead(302, { location: '/loop' }).end();
      response.end(JSON.stringify({ method: request.method, body, authorization: request.headers.authorization ?? null }));
    });
    const post = { method: 'POST', body: 'payload', headers: { authorization: 'Bearer secret', 'content-type': 'text/plain' } };
    try {
      assert.deepEqual(await (await httpRequest(`${server.base}/keep`, post)).json(), { method: 'POST', body: 'payload', authorization: 'Bearer secret' });
      assert.deepEqual(await (await httpRequest(`${server.base}/see-other`, post)).json(), { method: 'GET', body: '', authorization: 'Bearer secret' });
      assert.deepEqual(await (await httpRequest(`${server.base}/away`, post)).json(), { method: 'POST', body: 'payload', authorization: null });
      await assert.rejects(httpRequest(`${server.base}/loop`), /too many redirects/);
    } finally {
      await server.close();
      await other.close();
    }
  });

  it('fails with the socket error code, and with the abort reason when aborted', async () => {
    const server = await serve(() => undefined);
    const base = server.base;
    await server.close();
    await assert.rejects(httpRequest(`${base}/x`), (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED');
    const slow = await serve((_request, _body, response) => {
      response.writeHead(200);
      response.write('first');
    });
    try {
      const controller = new AbortController();
      const response = await httpRequest(`${slow.base}/stream`, { signal: controller.signal });
      const reader = response.reader();
      assert.equal(Buffer.from((await reader.read()).value!).toString(), 'first');
      const next = reader.read();
      controller.abort(new Error('stopped by the turn'));
      await assert.rejects(next);
      await assert.rejects(httpRequest(`${slow.base}/stream`, { signal: controller.signal }), /stopped by the turn/);
      await assert.rejects(httpRequest('ftp://example.invalid/x'), /unsupported URL scheme/);
    } finally {
      await slow.close();
    }
  });
});

describe('core/net/httpRequest, a silent server', () => {
  it('fails when no answer came within the headers timeout, and leaves a slow body to its reader', async () => {
    const server = await serve((request, _body, response) => {
      if (request.url === '/never') return;
      response.writeHead(200);
      response.write('first');
      setTimeout(() => response.end('second'), 400);
    });
    try {
      const started = Date.now();
      await assert.rejects(httpRequest(`${server.base}/never`, { method: 'POST', body: '{}', headersTimeoutMs: 200 }), (error: NodeJS.ErrnoException) => error.code === 'ETIMEDOUT' && /no answer/.test(error.message));
      assert.ok(Date.now() - started >= 150);
      const slow = await httpRequest(`${server.base}/slow`, { headersTimeoutMs: 200 });
      assert.deepEqual(await readAll(slow.reader()), ['first', 'second'], 'a pause in the body longer than the timeout is not a failure here');
      // Read whole (an error's body), a stall of the body fails within its own limit.
      await assert.rejects((await httpRequest(`${server.base}/slow`)).text(150), (error: NodeJS.ErrnoException) => error.code === 'ETIMEDOUT' && /stalled/.test(error.message));
      assert.equal(await (await httpRequest(`${server.base}/slow`)).text(1_000), 'firstsecond');
    } finally {
      await server.close();
    }
  });
});
