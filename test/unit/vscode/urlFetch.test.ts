// `@url` pages, fetched from a local HTTP server (never the internet): http(s) only, HTML as readable text,
// bounded in bytes, characters and time, and every refusal a sentence that says why.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchPageText } from '../../../src/vscode/urlFetch';
import { htmlToText } from '../../../src/vscode/htmlText';

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

describe('vscode/urlFetch (local HTTP server)', () => {
  let server: http.Server;
  let base: string;
  const routes = new Map<string, Handler>();
  const hits: string[] = [];
  /** Bytes each response actually wrote before the client went away. */
  const written = new Map<string, number>();

  before(async () => {
    server = http.createServer((request, response) => {
      hits.push(request.url ?? '');
      const handler = routes.get(request.url ?? '');
      if (handler) handler(request, response);
      else response.writeHead(404, 'Not Found').end('missing');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    routes.clear();
    hits.length = 0;
    written.clear();
  });

  const page = (type: string, body: string | Buffer): Handler => (_request, response) => {
    response.writeHead(200, { 'content-type': type });
    response.end(body);
  };

  it('turns an HTML page into text, with its title, and names where it ended up after a redirect', async () => {
    routes.set('/old', (_request, response) => response.writeHead(301, { location: '/docs' }).end());
    routes.set(
      '/docs',
      page('text/html; charset=utf-8', '<html><head><title>Install &amp; run</title><style>p{}</style></head><body><script>alert(1)</script><h1>Tandem</h1><p>Run <code>npm ci</code>.</p><ul><li>one</li><li>two</li></ul></body></html>'),
    );
    const result = await fetchPageText(new URL(`${base}/old`));
    assert.deepEqual(result, { url: `${base}/docs`, title: 'Install & run', text: '# Tandem\n\nRun npm ci.\n\n- one\n- two', truncated: false });
    assert.deepEqual(hits, ['/old', '/docs']);
  });

  it('sends plain text and JSON as they are, in the charset the server names', async () => {
    routes.set('/notes.txt', page('text/plain; charset=utf-8', '  line one\nline two  \n'));
    routes.set('/latin1', page('text/plain; charset=iso-8859-1', Buffer.from([0x63, 0x61, 0x66, 0xe9])));
    routes.set('/data', page('application/json', '{"a":1}'));
    assert.deepEqual(await fetchPageText(new URL(`${base}/notes.txt`)), { url: `${base}/notes.txt`, title: null, text: 'line one\nline two', truncated: false });
    assert.equal((await fetchPageText(new URL(`${base}/latin1`))).text, 'café');
    assert.equal((await fetchPageText(new URL(`${base}/data`))).text, '{"a":1}');
  });

  it('refuses what is not http or https without any request', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://127.0.0.1/x', 'data:text/plain,hello']) {
      await assert.rejects(fetchPageText(new URL(url)), { message: `only http and https pages can be fetched, not ${new URL(url).protocol}` });
    }
    assert.deepEqual(hits, []);
  });

  it('reads no more than the byte limit of a large page and says it was cut', async () => {
    routes.set('/big', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      // Far more than the limit, in chunks: the client stops reading long before the end.
      let sent = 0;
      const chunk = 'abcdefghij'.repeat(1_000);
      const more = () => {
        while (sent < 5_000_000) {
          sent += chunk.length;
          written.set('/big', sent);
          if (!response.write(chunk)) return void response.once('drain', more);
        }
        response.end();
      };
      response.on('close', () => written.set('/big', sent));
      more();
    });
    const result = await fetchPageText(new URL(`${base}/big`), { maxBytes: 25_000 });
    assert.equal(result.truncated, true);
    assert.equal(result.text.length, 25_000);
    assert.ok(result.text.startsWith('abcdefghijabc'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(written.get('/big')! < 5_000_000, `the download stopped early (${written.get('/big')} bytes written)`);
  });

  it('cuts the text to the character limit and says so', async () => {
    routes.set('/long', page('text/html', `<p>${'word '.repeat(100)}</p>`));
    const result = await fetchPageText(new URL(`${base}/long`), { maxChars: 20 });
    assert.deepEqual([result.text, result.truncated], ['word word word word ', true]);
  });

  it('gives up on a page that does not answer in time', async () => {
    routes.set('/slow', () => undefined);
    const started = Date.now();
    await assert.rejects(fetchPageText(new URL(`${base}/slow`), { timeoutMs: 300 }), { message: `${base}/slow did not answer within 300 ms` });
    assert.ok(Date.now() - started < 5_000);
  });

  it('refuses error statuses, non-text pages and unreachable hosts, saying why', async () => {
    routes.set('/image', page('image/png', Buffer.from([0x89, 0x50])));
    await assert.rejects(fetchPageText(new URL(`${base}/gone`)), { message: `${base}/gone answered HTTP 404 Not Found` });
    await assert.rejects(fetchPageText(new URL(`${base}/image`)), { message: `${base}/image is not a text page (image/png)` });
    // A port nothing listens on: the connection is refused at once.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(fetchPageText(new URL(`http://127.0.0.1:${port}/`)), (error: Error) => {
      assert.match(error.message, new RegExp(`^could not fetch http://127\\.0\\.0\\.1:${port}/: .*ECONNREFUSED`));
      return true;
    });
  });

  /** A response that would stream megabytes; resolves `closed` when the client drops the connection first. */
  const endless = (status: number, type: string) => {
    let finished = false;
    const closed = new Promise<boolean>((resolve) => {
      routes.set(`/endless-${status}`, (_request, response) => {
        response.writeHead(status, { 'content-type': type });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        let sent = 0;
        const more = () => {
          while (sent < 50_000_000) {
            sent += chunk.length;
            if (!response.write(chunk)) return void response.once('drain', more);
          }
          response.end(() => (finished = true));
        };
        response.on('close', () => resolve(!finished));
        more();
      });
    });
    return { url: new URL(`${base}/endless-${status}`), closed };
  };

  it('drops the body of a page it refuses rather than leaving it on the connection', async () => {
    for (const [status, type, message] of [
      [500, 'text/html', 'answered HTTP 500 Internal Server Error'],
      [200, 'application/octet-stream', 'is not a text page (application/octet-stream)'],
    ] as const) {
      const { url, closed } = endless(status, type);
      await assert.rejects(fetchPageText(url), { message: `${url} ${message}` });
      const dropped = await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve('still open'), 2_000))]);
      assert.equal(dropped, true, `${url}: the client closed the connection before the body ended`);
    }
  });

  it('refuses a body with NUL bytes, with or without a content type', async () => {
    const binary = Buffer.from([0x3c, 0x70, 0x3e, 0x00, 0x01, 0x02, 0xff, 0x00]);
    routes.set('/untyped', (_request, response) => {
      response.writeHead(200);
      response.end(binary);
    });
    routes.set('/mislabelled', page('text/plain', binary));
    await assert.rejects(fetchPageText(new URL(`${base}/untyped`)), { message: `${base}/untyped is not a text page` });
    await assert.rejects(fetchPageText(new URL(`${base}/mislabelled`)), { message: `${base}/mislabelled is not a text page` });
    // Text without a type is still read, HTML as HTML.
    routes.set('/untyped-html', (_request, response) => {
      response.writeHead(200);
      response.end('  <p>Plain <b>markup</b></p>');
    });
    assert.deepEqual(await fetchPageText(new URL(`${base}/untyped-html`)), { url: `${base}/untyped-html`, title: null, text: 'Plain markup', truncated: false });
  });

  it('turns a page of megabytes into its first characters at once', async () => {
    routes.set('/huge', page('text/html', `<title>Huge</title>${'<div><p>word <b>bold</b></p></div>'.repeat(140_000)}`));
    const started = Date.now();
    const result = await fetchPageText(new URL(`${base}/huge`), { maxChars: 1_000 });
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    assert.deepEqual([result.title, result.text.length, result.truncated], ['Huge', 1_000, true]);
    assert.ok(result.text.startsWith('word bold\n\nword bold\n\n'), result.text.slice(0, 40));
  });
});

describe('vscode/htmlText', () => {
  it('keeps what a reader sees: blocks on their lines, <pre> as written, tables as rows, entities decoded', () => {
    const html = `<!doctype html><html><head><title> A  page </title><script>var x = "<p>no</p>";</script></head>
      <body><nav>Home</nav><h2>Usage</h2><p>First   line<br>second &lt;line&gt;</p>
      <pre>  indented
    code</pre><table><tr><th>Name</th><th>Value</th></tr><tr><td>a</td><td>1</td></tr></table>
      <!-- a comment --><p>Last <a href="x">link</a>.</p><hr><ol><li>x</li></ol></body></html>`;
    assert.deepEqual(htmlToText(html), {
      title: 'A page',
      text: ['Home', '', '## Usage', '', 'First line', 'second <line>', '', '  indented\n    code', '', 'Name | Value', 'a | 1', '', 'Last link.', '', '---', '', '- x'].join('\n'),
      truncated: false,
    });
  });

  it('survives broken markup and leaves out hidden content', () => {
    assert.deepEqual(htmlToText('<p>open <b>bold<p>next<style>.a{}</style><svg><text>icon</text></svg>'), { title: null, text: 'open bold\n\nnext', truncated: false });
    assert.deepEqual(htmlToText(''), { title: null, text: '', truncated: false });
    // A title without a head is still the title, not text; an icon's title is neither.
    assert.deepEqual(htmlToText('<svg><title>menu icon</title></svg><title>Guide</title><p>Step one.</p>'), { title: 'Guide', text: 'Step one.', truncated: false });
    // Without </head>, the body still closes the head.
    assert.deepEqual(htmlToText('<html><head><title>T</title><body><p>Body text'), { title: 'T', text: 'Body text', truncated: false });
  });

  it('cuts the text at the limit asked for, at the same place as cutting the whole text would', () => {
    const html = '<h1>Title</h1><p>one  two</p><pre>  kept\n  as is</pre><ul><li>a</li><li>b</li></ul>';
    const whole = htmlToText(html).text;
    for (let max = 0; max <= whole.length + 1; max += 1) {
      assert.deepEqual(htmlToText(html, max), { title: null, text: whole.slice(0, max), truncated: max < whole.length }, `limit ${max}`);
    }
  });

  it('reads megabytes of HTML in one pass and stops once it has enough', () => {
    // About 5 MB: paragraphs, and the same again nested inside other elements.
    const flat = '<p>word</p>'.repeat(230_000);
    const nested = '<div><section><p>deep <b>bold <i>word</i></b></p></section></div>'.repeat(40_000);
    const html = flat + nested;
    assert.ok(html.length > 5_000_000);
    let started = Date.now();
    const cut = htmlToText(html, 50_000);
    assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
    assert.deepEqual([cut.text.length, cut.truncated, cut.text.slice(0, 16)], [50_000, true, 'word\n\nword\n\nword']);
    // Without a limit it reads to the end, still in one pass.
    started = Date.now();
    const all = htmlToText(html);
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    assert.equal(all.truncated, false);
    assert.equal(all.text.length, 'word\n\n'.length * 230_000 + 'deep bold word\n\n'.length * 40_000 - 2);
    assert.ok(all.text.endsWith('word\n\ndeep bold word\n\ndeep bold word'));
  });

  it('stops reading a page that nests without end, keeping what came before', () => {
    const html = `<p>Before.</p>${'<b><span>'.repeat(300_000)}inside${'</i>'.repeat(300_000)}`;
    const started = Date.now();
    assert.deepEqual(htmlToText(html), { title: null, text: 'Before.', truncated: true });
    assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
    // Nesting as deep as real pages do is read to the end.
    assert.deepEqual(htmlToText(`${'<div>'.repeat(200)}deep${'</div>'.repeat(200)}<p>after</p>`), { title: null, text: 'deep\n\nafter', truncated: false });
  });

  it('keeps the title short when it is never closed', () => {
    const result = htmlToText(`<title>${'Long title '.repeat(100_000)}`);
    assert.equal(result.title, 'Long title '.repeat(100).trim().slice(0, 300).trimEnd());
    assert.deepEqual([result.text, result.truncated], ['', false]);
  });
});
