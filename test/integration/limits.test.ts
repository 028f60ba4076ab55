// Limits as codex counts them: text input in characters (Unicode scalar values), empty input starts a
// turn, and one message may carry tens of MB of image data; beyond MAX_MESSAGE_BYTES a request is
// answered with an error, never dropped unanswered.
import { strict as assert } from 'node:assert';
import { MAX_MESSAGE_BYTES, MAX_USER_INPUT_CHARS } from '../../src/protocol';
import { textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { connectWebSocket } from '../support/protocolClient';
import { startThread } from '../support/session';

const tooLong = (actual: number) => ({
  code: -32602,
  message: 'Input exceeds the maximum length of 1048576 characters.',
  data: { input_error_code: 'input_too_large', max_chars: MAX_USER_INPUT_CHARS, actual_chars: actual },
});

describe('integration: limits', function () {
  this.timeout(60_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it('counts text input in characters, not bytes or UTF-16 units, across items', async () => {
    const { model, temp } = await fixture.boot();
    const { client } = fixture.server;
    const threadId = await startThread(client, { cwd: temp.workspace });
    const over = await client.request('turn/start', { threadId, input: [{ type: 'text', text: 'a'.repeat(MAX_USER_INPUT_CHARS / 2) }, { type: 'text', text: 'a'.repeat(MAX_USER_INPUT_CHARS / 2 + 1) }] });
    assert.deepEqual(over.error, tooLong(MAX_USER_INPUT_CHARS + 1));
    const emojiOver = await client.request('turn/start', { threadId, input: [{ type: 'text', text: '😀'.repeat(MAX_USER_INPUT_CHARS + 1) }] });
    assert.deepEqual(emojiOver.error, tooLong(MAX_USER_INPUT_CHARS + 1));
    // 600,000 emoji are 1.2 million UTF-16 units and 2.4 MB, but 600,000 characters: under the limit.
    model.enqueue(textReply('ok'));
    const emoji = await client.request('turn/start', { threadId, input: [{ type: 'text', text: '😀'.repeat(600_000) }] });
    assert.equal(emoji.error, undefined);
    await client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === emoji.result.turn.id, 20_000);
    const steer = await client.request('turn/steer', { threadId, expectedTurnId: emoji.result.turn.id, input: [{ type: 'text', text: 'a'.repeat(MAX_USER_INPUT_CHARS + 1) }] });
    assert.deepEqual(steer.error, tooLong(MAX_USER_INPUT_CHARS + 1));
  });

  it('starts a turn with empty input: no user message, the model answers from the history', async () => {
    const { model, temp } = await fixture.boot();
    const { client } = fixture.server;
    const threadId = await startThread(client, { cwd: temp.workspace });
    model.enqueue(textReply('from nothing'), textReply('slow', { delayMs: 1500 }));
    const started = await client.request('turn/start', { threadId, input: [] });
    assert.equal(started.error, undefined);
    const completed = await client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === started.result.turn.id, 20_000);
    assert.equal(completed.params.turn.status, 'completed');
    assert.deepEqual(completed.params.turn.items.map((i: { type: string }) => i.type), ['agentMessage']);
    const input = model.requests.at(-1)!.body.input as Array<{ role?: string; content?: Array<{ text?: string }> }>;
    assert.ok(!input.some((i) => i.role === 'user' && !i.content?.[0]?.text?.startsWith('<')), 'only context, no user message');
    // Steering needs something to add.
    const running = await client.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
    const steer = await client.request('turn/steer', { threadId, expectedTurnId: running.result.turn.id, input: [] });
    assert.deepEqual(steer.error, { code: -32600, message: 'input must not be empty' });
    await client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === running.result.turn.id, 20_000);
  });

  it('reads a 20 MB stdio line, and answers one over MAX_MESSAGE_BYTES with an error naming the bound', async () => {
    await fixture.boot();
    const { client } = fixture.server;
    const image = (bytes: number) => `data:image/png;base64,${'A'.repeat(bytes)}`;
    const unknownThread = '01a20000-0000-7000-8000-000000000000';
    const big = await client.request('turn/start', { threadId: unknownThread, input: [{ type: 'image', url: image(20 * 1024 * 1024) }] }, 'big');
    assert.deepEqual(big.error, { code: -32600, message: `thread not found: ${unknownThread}` });
    // The id comes after the bulk here: it is read from the line's last bytes.
    const huge = `{"method":"turn/start","params":{"threadId":"${unknownThread}","input":[{"type":"image","url":"${image(MAX_MESSAGE_BYTES)}"}]},"id":"huge"}`;
    const answered = client.waitFor((m) => m.id === 'huge', 30_000);
    client.sendRaw(huge);
    const refused = await answered;
    assert.equal(refused.error?.code, -32602);
    assert.equal(refused.error?.message, `Request exceeds the maximum size of ${MAX_MESSAGE_BYTES} bytes.`);
    assert.deepEqual(refused.error?.data, { input_error_code: 'request_too_large', max_bytes: MAX_MESSAGE_BYTES, actual_bytes: Buffer.byteLength(huge) });
    const after = await client.request('thread/loaded/list', {});
    assert.deepEqual(after.result.data, [], 'the connection still serves');
  });

  it('reads a 20 MB websocket frame (codex stops at 16 MiB) and closes with 1009 past the bound', async () => {
    await fixture.start();
    const server = await fixture.webSocket();
    const { ws, client } = await connectWebSocket(server.url);
    await client.initialize();
    const unknownThread = '01a20000-0000-7000-8000-000000000000';
    const big = await client.request('turn/start', { threadId: unknownThread, input: [{ type: 'image', url: `data:image/png;base64,${'A'.repeat(20 * 1024 * 1024)}` }] });
    assert.equal(big.error?.message, `thread not found: ${unknownThread}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(MAX_MESSAGE_BYTES + 1));
    assert.equal(await closed, 1009);
  });
});
