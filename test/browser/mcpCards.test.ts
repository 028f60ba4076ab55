// MCP tool-call cards in headless Chromium: "server · tool" with its state, the progress the server
// reports, folded arguments that stay open across re-renders, the result's text and images (from the
// block's own base64, under the chat's image policy, never a remote address), structured content, the
// error of a failed call, and the Review… button while the call waits for approval.
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { chatBrowser, pushNotification } from '../support/chatBrowser';
import { RED_DOT_PNG_BASE64 } from '../support/mcpTestServer';

const threadId = 't1';
const thread = {
  id: threadId, sessionId: threadId, forkedFromId: null, parentThreadId: null, preview: 'demo', ephemeral: false, model: 'm', modelProvider: 'p',
  reasoningEffort: null, createdAt: 0, updatedAt: 1_700_000_000, recencyAt: null, status: { type: 'idle' }, path: null, cwd: '/w', cliVersion: '0',
  originator: 'o', source: 'vscode', threadSource: null, agentNickname: null, agentRole: null, gitInfo: null, name: 'MCP thread', projectId: null,
  turns: [{ id: 'turn0', itemsView: 'full', status: 'completed', error: null, startedAt: 1, completedAt: 2, durationMs: 5, items: [{ type: 'userMessage', id: 'u0', clientId: null, content: [{ type: 'text', text: 'hello' }] }] }],
};
const turn = (id: string) => ({ id, items: [], itemsView: 'notLoaded', status: 'inProgress', error: null, startedAt: 3, completedAt: null, durationMs: null });
const call = (id: string, extra: Record<string, unknown> = {}) => ({
  type: 'mcpToolCall', id, server: 'notes', tool: 'write_note', status: 'inProgress', arguments: { text: 'buy milk', tags: ['home'] }, result: null, error: null, durationMs: null, ...extra,
});
/** The image policy the chat's page has in VS Code (chatView.ts): the extension's own files and data: URLs. */
const PAGE_POLICY = "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self'; script-src 'self' 'unsafe-inline'";

describe('browser: MCP tool-call cards', function () {
  this.timeout(30_000);
  let page: Page;
  let foreignRequests: string[];

  const chat = chatBrowser(thread);
  async function open(): Promise<void> {
    page = await chat.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    foreignRequests = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(chat.url) && !request.url().startsWith('data:')) foreignRequests.push(request.url());
    });
    // The harness page under the webview's content security policy; violations are collected.
    await page.route(chat.url, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="${PAGE_POLICY}">`);
      await route.fulfill({ response, body: html });
    });
    await page.addInitScript(() => {
      (window as unknown as { __violations: string[] }).__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __violations: string[] }).__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(chat.url);
    await page.waitForSelector('.row');
    assert.deepEqual(errors, []);
    await push('turn/started', { threadId, turn: turn('t2') });
  }
  afterEach(() => page?.close());

  const push = (method: string, params: unknown) => pushNotification(page, method, params);
  const hostPost = (data: unknown) => page.evaluate((d) => (window as unknown as { __hostPost(d: unknown): void }).__hostPost(d), data);
  const violations = () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

  it('shows a running call with its progress, then its text and image result, structured content and duration', async () => {
    await open();
    await push('item/started', { threadId, turnId: 't2', item: call('m1') });
    await page.waitForSelector('.card.mcp-tool .badge.running');
    assert.equal((await page.textContent('.card.mcp-tool .card-title'))!.trim(), 'notes · write_note');
    assert.ok(await page.$('.card.mcp-tool .badge.running .codicon-loading.codicon-modifier-spin'), 'a spinner while it runs');
    assert.equal(await page.getAttribute('.card.mcp-tool', 'aria-label'), 'MCP tool write_note of the notes server');
    await push('item/mcpToolCall/progress', { threadId, turnId: 't2', itemId: 'm1', message: 'step 1 of 2' });
    await page.waitForSelector('.card.mcp-tool .mcp-progress');
    assert.equal(await page.textContent('.card.mcp-tool .mcp-progress'), 'step 1 of 2');
    await push('item/mcpToolCall/progress', { threadId, turnId: 't2', itemId: 'm1', message: 'step 2 of 2' });
    await page.waitForFunction(() => document.querySelector('.card.mcp-tool .mcp-progress')?.textContent === 'step 2 of 2');

    const result = {
      content: [
        { type: 'text', text: 'saved <b>not bold</b>\nsecond line' },
        { type: 'image', data: RED_DOT_PNG_BASE64, mimeType: 'image/png' },
      ],
      structuredContent: { saved: true, id: 7 },
      _meta: null,
    };
    await push('item/completed', { threadId, turnId: 't2', item: call('m1', { status: 'completed', result, durationMs: 1500 }) });
    await page.waitForSelector('.card.mcp-tool .badge.ok');
    assert.equal(await page.textContent('.card.mcp-tool .badge.ok'), 'done');
    assert.equal(await page.textContent('.card.mcp-tool .duration'), '1.5 s');
    assert.equal(await page.$('.card.mcp-tool .mcp-progress'), null, 'progress goes once the call is done');
    assert.equal(await page.textContent('.card.mcp-tool pre.mcp-text'), 'saved <b>not bold</b>\nsecond line', 'text stays text');
    assert.equal(await page.$('.card.mcp-tool pre.mcp-text b'), null);
    const image = await page.waitForSelector('.card.mcp-tool img.mcp-image');
    assert.equal(await image.getAttribute('src'), `data:image/png;base64,${RED_DOT_PNG_BASE64}`);
    assert.equal(await image.getAttribute('alt'), 'Image from the notes MCP server');
    await page.waitForFunction(() => (document.querySelector('.card.mcp-tool img.mcp-image') as HTMLImageElement).naturalWidth === 1);
    const structured = await page.$('.card.mcp-tool details.mcp-structured');
    assert.equal(await structured!.evaluate((d) => (d as HTMLDetailsElement).open), false, 'folded when there is content to read first');
    assert.equal(await page.textContent('.card.mcp-tool details.mcp-structured pre'), '{\n  "saved": true,\n  "id": 7\n}');
    assert.deepEqual(await violations(), [], 'nothing broke the page policy');
    assert.deepEqual(foreignRequests, []);
  });

  it('shows a failed call with its error, and a call its turn left running as stopped', async () => {
    await open();
    await push('item/started', { threadId, turnId: 't2', item: call('m2') });
    await push('item/completed', { threadId, turnId: 't2', item: call('m2', { status: 'failed', error: { message: 'tool call error: the tool threw on purpose' }, durationMs: 40 }) });
    await page.waitForSelector('.card.mcp-tool .badge.failed');
    assert.equal(await page.textContent('.card.mcp-tool .badge.failed'), 'failed');
    assert.equal(await page.textContent('.card.mcp-tool .mcp-error'), 'tool call error: the tool threw on purpose');
    assert.equal(await page.textContent('.card.mcp-tool .duration'), '40 ms');

    await push('item/started', { threadId, turnId: 't2', item: call('m3') });
    await push('turn/completed', { threadId, turn: { ...turn('t2'), status: 'interrupted' } });
    await page.waitForSelector('.card.mcp-tool.inProgress .badge.declined');
    assert.equal(await page.textContent('.card.mcp-tool.inProgress .badge.declined'), 'stopped');
  });

  it('folds the arguments as pretty JSON, and keeps them open while the card re-renders', async () => {
    await open();
    await push('item/started', { threadId, turnId: 't2', item: call('m4') });
    const details = '.card.mcp-tool details.mcp-arguments';
    await page.waitForSelector(details);
    assert.equal(await page.$eval(details, (d) => (d as HTMLDetailsElement).open), false, 'folded at first');
    assert.equal(await page.textContent(`${details} summary`), 'Arguments');
    await page.click(`${details} summary`);
    assert.equal(await page.$eval(details, (d) => (d as HTMLDetailsElement).open), true);
    assert.equal(await page.textContent(`${details} pre`), '{\n  "text": "buy milk",\n  "tags": [\n    "home"\n  ]\n}');
    await push('item/mcpToolCall/progress', { threadId, turnId: 't2', itemId: 'm4', message: 'working' });
    await page.waitForSelector('.card.mcp-tool .mcp-progress');
    assert.equal(await page.$eval(details, (d) => (d as HTMLDetailsElement).open), true, 'still open after a re-render');
    await push('item/completed', { threadId, turnId: 't2', item: call('m4', { status: 'completed', result: { content: [], structuredContent: null, _meta: null }, durationMs: 5 }) });
    await page.waitForSelector('.card.mcp-tool .badge.ok');
    assert.equal(await page.$eval(details, (d) => (d as HTMLDetailsElement).open), true, 'still open once completed');
    await page.click(`${details} summary`);
    await push('item/completed', { threadId, turnId: 't2', item: call('m4', { status: 'completed', result: { content: [], structuredContent: null, _meta: null }, durationMs: 6 }) });
    await page.waitForFunction(() => document.querySelector('.card.mcp-tool .duration')?.textContent === '6 ms');
    assert.equal(await page.$eval(details, (d) => (d as HTMLDetailsElement).open), false, 'closed stays closed');

    await push('item/started', { threadId, turnId: 't2', item: call('m5', { arguments: {} }) });
    await page.waitForSelector('.row article[data-item-id="m5"]');
    assert.equal(await page.$('.row article[data-item-id="m5"] details.mcp-arguments'), null, 'no arguments, no section');
  });

  it('never shows an image from anywhere but the block itself, and names resources and links as text', async () => {
    await open();
    const content = [
      { type: 'image', data: 'https://example.com/tracker.png', mimeType: 'image/png' },
      { type: 'image', data: RED_DOT_PNG_BASE64, mimeType: 'image/svg+xml' },
      { type: 'image', data: `${RED_DOT_PNG_BASE64}"><script>`, mimeType: 'image/png' },
      { type: 'resource_link', uri: 'https://example.com/doc', name: 'doc', title: 'The doc' },
      { type: 'resource', resource: { uri: 'test://notes/readme', mimeType: 'text/markdown', text: '# Notes\nhello' } },
      { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
      { type: 'mystery', value: 1 },
    ];
    await push('item/completed', { threadId, turnId: 't2', item: call('m6', { status: 'completed', result: { content, structuredContent: null, _meta: null }, durationMs: 1 }) });
    await page.waitForSelector('.card.mcp-tool .badge.ok');
    assert.equal(await page.$('.card.mcp-tool img'), null, 'no image from a URL, an SVG or data that is not base64');
    assert.deepEqual(await page.$$eval('.card.mcp-tool .mcp-result > p.mcp-note', (notes) => notes.map((n) => n.textContent)), [
      'An image (image/png) that the chat does not show.',
      'An image (image/svg+xml) that the chat does not show.',
      'An image (image/png) that the chat does not show.',
      'Audio (audio/wav) is not played in the chat.',
    ]);
    assert.equal((await page.textContent('.card.mcp-tool .mcp-result > .mcp-resource'))!.trim(), 'The doc https://example.com/doc');
    assert.equal(await page.$('.card.mcp-tool .mcp-result a'), null, 'a link is named, not followed');
    assert.equal(await page.textContent('.card.mcp-tool .mcp-embedded pre.mcp-text'), '# Notes\nhello');
    assert.equal(await page.textContent('.card.mcp-tool .mcp-result > pre.mcp-json'), '{\n  "type": "mystery",\n  "value": 1\n}');
    assert.equal(await page.$eval('.card.mcp-tool details.mcp-structured', () => true).catch(() => false), false, 'no structured content, no section');
    assert.deepEqual(foreignRequests, [], 'nothing was fetched');
    assert.deepEqual(await violations(), []);
  });

  it('mirrors a pending approval with a Review… button that asks the host to open the dialog', async () => {
    await open();
    await push('item/started', { threadId, turnId: 't2', item: call('m7') });
    await hostPost({ kind: 'approvals', pending: [{ itemId: 'm7', threadId, kind: 'mcpTool' }] });
    await page.waitForSelector('.card.mcp-tool .badge.waiting');
    assert.equal(await page.textContent('.card.mcp-tool .badge.waiting'), 'waiting for your approval');
    await page.click('.card.mcp-tool button[data-action="review-command"]');
    await page.waitForFunction(() => (window as unknown as { __posted: Array<{ kind: string; itemId?: string }> }).__posted.some((m) => m.kind === 'reviewCommand' && m.itemId === 'm7'));
    await hostPost({ kind: 'approvals', pending: [] });
    await page.waitForSelector('.card.mcp-tool .badge.running');
    assert.equal(await page.$('.card.mcp-tool button'), null, 'no longer waiting: no Review… button');
  });
});
