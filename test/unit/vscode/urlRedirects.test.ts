// `@url` redirects, between two local HTTP servers (never the internet): the user approved one address, so a
// redirect is followed only within its origin; one to anywhere else is refused before any request goes there,
// naming the target so the user can attach that one instead.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchPageText } from '../../../src/vscode/urlFetch';

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/** A server that answers from `routes` and records every path asked for. */
class Site {
  readonly routes = new Map<string, Handler>();
  readonly hits: string[] = [];
  base = '';
  private readonly server = http.createServer((request, response) => {
    this.hits.push(request.url ?? '');
    const handler = this.routes.get(request.url ?? '');
    if (handler) handler(request, response);
    else response.writeHead(404, 'Not Found').end('missing');
  });

  async listen(host: string): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, host, resolve));
    this.base = `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  reset(): void {
    this.routes.clear();
    this.hits.length = 0;
  }

  redirect(from: string, location: string, status = 302): void {
    this.routes.set(from, (_request, response) => response.writeHead(status, { location }).end('moved'));
  }
}

describe('vscode/urlFetch redirects (two local HTTP servers)', () => {
  const site = new Site();
  /** Another origin: another host name and port, though on this machine too (like a LAN or metadata host). */
  const other = new Site();

  before(async () => {
    await site.listen('127.0.0.1');
    await other.listen('localhost');
  });
  after(async () => {
    await site.close();
    await other.close();
  });
  beforeEach(() => {
    site.reset();
    other.reset();
  });

  const html = (body: string): Handler => (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(body);
  };

  it('refuses a redirect to another origin without asking it anything, and names the page to attach instead', async () => {
    other.routes.set('/secret', html('<p>internal</p>'));
    // The other server answers when asked directly: only the redirect keeps Tandem from it.
    assert.equal((await fetchPageText(new URL(`${other.base}/secret`))).text, 'internal');
    other.reset();
    const target = `${other.base}/secret`;
    site.redirect('/away', target);
    await assert.rejects(fetchPageText(new URL(`${site.base}/away`)), { message: `${site.base}/away redirects to ${target}; attach ${target} instead` });
    assert.deepEqual(other.hits, []);
    assert.deepEqual(site.hits, ['/away']);
  });

  it('refuses a cross-origin hop at the end of a same-origin chain, and the same host on another port', async () => {
    const target = `${other.base}/secret`;
    site.redirect('/a', '/b', 301);
    site.redirect('/b', target, 307);
    await assert.rejects(fetchPageText(new URL(`${site.base}/a`)), { message: `${site.base}/a redirects to ${target}; attach ${target} instead` });
    assert.deepEqual(other.hits, []);
    const otherPort = `http://127.0.0.1:${new URL(other.base).port}/x`;
    site.redirect('/port', otherPort);
    await assert.rejects(fetchPageText(new URL(`${site.base}/port`)), { message: `${site.base}/port redirects to ${otherPort}; attach ${otherPort} instead` });
    // A cloud metadata address is refused before any connection is tried.
    site.redirect('/metadata', 'http://169.254.169.254/latest/meta-data/');
    await assert.rejects(fetchPageText(new URL(`${site.base}/metadata`), { timeoutMs: 2_000 }), {
      message: `${site.base}/metadata redirects to http://169.254.169.254/latest/meta-data/; attach http://169.254.169.254/latest/meta-data/ instead`,
    });
  });

  it('follows a chain of same-origin redirects, relative and absolute, and names where it ended', async () => {
    site.redirect('/start', 'next', 301);
    site.redirect('/next', `${site.base}/then?x=1`, 303);
    site.redirect('/then?x=1', '/docs/', 308);
    site.routes.set('/docs/', html('<title>Docs</title><p>Arrived.</p>'));
    const page = await fetchPageText(new URL(`${site.base}/start`));
    assert.deepEqual(page, { url: `${site.base}/docs/`, title: 'Docs', text: 'Arrived.', truncated: false });
    assert.deepEqual(site.hits, ['/start', '/next', '/then?x=1', '/docs/']);
  });

  it('gives up on a redirect loop and on a chain of more than five redirects', async () => {
    site.redirect('/ping', '/pong');
    site.redirect('/pong', '/ping');
    await assert.rejects(fetchPageText(new URL(`${site.base}/ping`)), { message: `${site.base}/ping redirects in a loop` });
    assert.deepEqual(site.hits, ['/ping', '/pong']);
    site.hits.length = 0;
    for (let hop = 0; hop < 10; hop += 1) site.redirect(`/hop/${hop}`, `/hop/${hop + 1}`);
    site.routes.set('/hop/10', html('<p>too far</p>'));
    await assert.rejects(fetchPageText(new URL(`${site.base}/hop/0`)), { message: `${site.base}/hop/0 redirects more than 5 times` });
    assert.deepEqual(site.hits, ['/hop/0', '/hop/1', '/hop/2', '/hop/3', '/hop/4', '/hop/5']);
    // Five are fine.
    site.routes.set('/hop/5', html('<p>five away</p>'));
    assert.equal((await fetchPageText(new URL(`${site.base}/hop/0`))).text, 'five away');
  });

  it('refuses a redirect that goes nowhere or to what is not a web page', async () => {
    site.routes.set('/nowhere', (_request, response) => response.writeHead(302).end());
    await assert.rejects(fetchPageText(new URL(`${site.base}/nowhere`)), { message: `${site.base}/nowhere redirects without saying where to` });
    site.redirect('/file', 'file:///etc/passwd');
    await assert.rejects(fetchPageText(new URL(`${site.base}/file`)), { message: `${site.base}/file redirects to file:///etc/passwd, which is not an http or https page` });
    site.redirect('/bad', 'http://exa mple.com:99999/');
    await assert.rejects(fetchPageText(new URL(`${site.base}/bad`)), { message: `${site.base}/bad redirects to "http://exa mple.com:99999/", which is not a web address` });
  });

  it('keeps one time limit for the whole chain, not one per request', async () => {
    // Each hop answers in 150 ms, well within the limit; the chain of four does not.
    for (let hop = 0; hop < 4; hop += 1) {
      site.routes.set(`/slow/${hop}`, (_request, response) => void setTimeout(() => response.writeHead(302, { location: `/slow/${hop + 1}` }).end(), 150));
    }
    site.routes.set('/slow/4', html('<p>late</p>'));
    const started = Date.now();
    await assert.rejects(fetchPageText(new URL(`${site.base}/slow/0`), { timeoutMs: 400 }), { message: `${site.base}/slow/0 did not answer within 400 ms` });
    assert.ok(Date.now() - started < 2_000);
    assert.ok(site.hits.length < 5, `stopped before the last hop (${site.hits.join(', ')})`);
  });
});
